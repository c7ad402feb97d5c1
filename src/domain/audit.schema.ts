import { z } from 'zod';
import { AadObjectId, Id, TenantId } from './common.schema';
import { IsoDateTime } from './dates';

export const AuditAction = z.enum([
  'notification.received',
  'referral.submitted',
  'referral.decided',
  'case.viewed',
  'case.decision_recorded',
  'case.exited',
  'meeting.scheduled',
  'minutes.viewed',
  'minutes.approved',
  'action.updated',
  'document.redacted_view',
  'member.changed',
  'area.changed',
  'access.denied',
]);
export type AuditAction = z.infer<typeof AuditAction>;

/**
 * Who did or saw what, when. Append-only and never versioned. `details` holds ids and codes only,
 * never case content, because audit logs are read more widely than the records.
 */
export const AuditEvent = z.object({
  id: Id,
  at: IsoDateTime,
  tenantId: TenantId,
  areaId: Id,
  actorAadObjectId: AadObjectId,
  action: AuditAction,
  entity: z.object({
    type: z.enum([
      'area',
      'member',
      'subject',
      'case',
      'notification',
      'referral',
      'meeting',
      'minutes',
      'action',
      'agency_update',
    ]),
    id: Id,
  }),
  outcome: z.enum(['success', 'denied']).default('success'),
  details: z.record(z.string(), z.union([z.string().max(200), z.number(), z.boolean()])).default({}),
});
export type AuditEvent = z.infer<typeof AuditEvent>;
