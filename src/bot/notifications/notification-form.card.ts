import { randomUUID } from 'node:crypto';
import { NOTIFICATION_FIELDS } from '../../app/notifications';
import { leadAgencyChoices } from '../../domain/agency.schema';
import { categoriesFor } from '../../domain/eligibility';
import { errorSummary } from '../cards/error-summary';
import type { AdaptiveCardJson } from '../cards/render';
import type { HandlerContext } from '../handler-context';
import type { NotificationFormPayload } from './catalogue';

const FORM_KEYS = [...NOTIFICATION_FIELDS, 'identifiers'] as const;

/** The form's fields as its labels name them, in the card's order, for the error summary. */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  givenName: 'Given name',
  familyName: 'Family name',
  aliases: 'Aliases',
  dateOfBirth: 'Date of birth',
  identifiers: 'Identifiers',
  pnc: 'PNC',
  crn: 'nDelius CRN',
  visor: 'ViSOR reference',
  prisonNumber: 'Prison number',
  category: 'MAPPA category',
  eligibilityReasons: 'Why the person is eligible',
  leadAgencyId: 'Lead agency',
  sentenceDate: 'Sentence date',
  releaseDate: 'Expected release date',
  custodyStatus: 'Where the person is now',
  notes: 'Notes',
};

/**
 * The notification form, empty or with what was typed and the messages beside the fields. Its draft
 * id (kept across errors, fresh for a new form) makes a double submit harmless. Beside the Send
 * button, where the user is looking, `formError` (a message about the whole form) or else a line
 * naming the fields to fix; a field's message shows only while that field is wrong.
 */
export async function notificationFormCard(
  h: Pick<HandlerContext, 'card' | 'deps'>,
  typed: Partial<Pick<NotificationFormPayload, 'typed' | 'draftId'>>,
  errors: Record<string, string>,
  formError: string,
): Promise<AdaptiveCardJson> {
  const receive = h.deps.notifications.receive;
  const area = await receive.repos.members.getArea(receive.areaId);
  const agencies = area.ok ? leadAgencyChoices(area.value.agencies) : [];
  const categories = area.ok ? categoriesFor(area.value.jurisdiction) : [];
  return h.card('notification-form', {
    title: 'New MAPPA notification',
    formError: formError || errorSummary(errors, FIELD_LABELS),
    draftId: typed.draftId ?? randomUUID(),
    agencies: agencies.map((a) => ({ title: a.name, value: a.id })),
    categories: categories.map((c) => ({ title: c.label, value: c.category })),
    values: Object.fromEntries(NOTIFICATION_FIELDS.map((f) => [f, typed.typed?.[f] ?? ''])),
    errors: Object.fromEntries(FORM_KEYS.map((f) => [f, errors[f] ?? ''])),
  });
}
