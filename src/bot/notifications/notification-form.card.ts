import { randomUUID } from 'node:crypto';
import { NOTIFICATION_FIELDS } from '../../app/notifications';
import { leadAgencyChoices } from '../../domain/agency.schema';
import { categoriesFor } from '../../domain/eligibility';
import type { AdaptiveCardJson } from '../cards/render';
import type { HandlerContext } from '../handler-context';
import type { NotificationFormPayload } from './catalogue';

const FORM_KEYS = [...NOTIFICATION_FIELDS, 'identifiers'] as const;

/**
 * The notification form, empty or with what was typed and the messages beside the fields. Its draft
 * id (kept across errors, fresh for a new form) makes a double submit harmless.
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
    formError,
    draftId: typed.draftId ?? randomUUID(),
    agencies: agencies.map((a) => ({ title: a.name, value: a.id })),
    categories: categories.map((c) => ({ title: c.label, value: c.category })),
    values: Object.fromEntries(NOTIFICATION_FIELDS.map((f) => [f, typed.typed?.[f] ?? ''])),
    errors: Object.fromEntries(FORM_KEYS.map((f) => [f, errors[f] ?? ''])),
  });
}
