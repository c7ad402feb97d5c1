import { z } from 'zod';
import type { Catalogue } from '../capability';
import { SCHEDULE_FIELDS } from '../cards/render';
import { optionalText, SubmittedForm, typedText } from '../payload';

const TypedFields = z.object(
  Object.fromEntries(SCHEDULE_FIELDS.map((f) => [f, typedText(2000)])) as Record<
    (typeof SCHEDULE_FIELDS)[number],
    ReturnType<typeof typedText>
  >,
);

/**
 * The schedule card as sent: `form` goes to the use case (it names each field's problem), `typed` is
 * what the card shows again, and the key makes the same card sent twice schedule one meeting.
 */
export const ScheduleFormPayload = SubmittedForm.transform((form) => ({
  form,
  typed: TypedFields.parse(form),
  caseRef: optionalText(40).parse(form.caseRef) ?? '',
  scheduleKey: optionalText(64).parse(form.scheduleKey) ?? '',
}));
export type ScheduleFormPayload = z.output<typeof ScheduleFormPayload>;

export const SubstitutePayload = z.object({
  meetingId: z.string().min(1).max(128),
  agencyId: z.string().min(1).max(64),
  substitute: typedText(200),
});
export type SubstitutePayload = z.output<typeof SubstitutePayload>;

export const SCHEDULING_CATALOGUE = {
  commands: {
    'schedule meeting': {
      description:
        'Schedule a Level 2 or 3 meeting and invite the agencies: type schedule meeting and the case reference',
      audience: 'coordinator',
      example: 'schedule meeting MAPPA-2026-0042',
      action: 'meeting.run',
      where: 'personal',
    },
  },
  verbs: {
    'schedule.submit': { via: 'execute', action: 'meeting.run', payload: ScheduleFormPayload },
    // Any contributor may press it; the use case lets only the agency's members or the co-ordinator act.
    'invitation.substitute': { via: 'execute', action: 'meeting.contribute', payload: SubstitutePayload },
  },
} as const satisfies Catalogue;
