import { z } from 'zod';
import { NOTIFICATION_FIELDS, type NotificationField } from '../../app/notifications';
import type { Catalogue } from '../capability';
import { optionalText, SubmittedForm, typedText } from '../payload';

const NotificationId = z.object({ notificationId: z.string().min(1).max(128) });

const TypedFields = z.object(
  Object.fromEntries(NOTIFICATION_FIELDS.map((f) => [f, typedText(2000)])) as Record<
    NotificationField,
    ReturnType<typeof typedText>
  >,
);
/** A draft id that is empty or missing is no draft id: the form gets a fresh one. */
const DraftId = optionalText(64).transform((v) => v || undefined);

/**
 * The notification form: `form` goes to the use case as sent (it names each field's problem in the
 * card's words); `typed` and `draftId` are what the card shows again.
 */
export const NotificationFormPayload = SubmittedForm.transform((form) => ({
  form,
  typed: TypedFields.parse(form),
  draftId: DraftId.parse(form.draftId),
}));
export type NotificationFormPayload = z.output<typeof NotificationFormPayload>;

/** A decision button: the referral date comes from the date input beside Await / Ask to refer. */
export const NotificationDecisionPayload = NotificationId.extend({ referralDue: optionalText(20) });

export const NOTIFICATION_CATALOGUE = {
  commands: {
    notify: {
      description: 'Notify the co-ordinator of a MAPPA-eligible person',
      audience: 'practitioner',
      action: 'notification.create',
      where: 'personal',
    },
  },
  verbs: {
    'notification.submit': { via: 'execute', action: 'notification.create', payload: NotificationFormPayload },
    'notification.level1': { via: 'execute', action: 'notification.decide', payload: NotificationDecisionPayload },
    'notification.awaitReferral': {
      via: 'execute',
      action: 'notification.decide',
      payload: NotificationDecisionPayload,
    },
    'notification.askToRefer': {
      via: 'execute',
      action: 'notification.decide',
      payload: NotificationDecisionPayload,
    },
    'notification.open': { via: 'execute', action: 'notification.decide', payload: NotificationId },
    // Anyone enrolled may refresh; what they then see depends on their role.
    'notification.refresh': { via: 'execute', action: 'help.show', payload: NotificationId },
  },
} as const satisfies Catalogue;
