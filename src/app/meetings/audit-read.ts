import type { Meeting } from '../../domain/meeting.schema';
import type { AuditDetails } from '../ports/write-context.port';
import type { RequestActor } from '../ports/write-context.port';
import type { MeetingDeps } from './shared';

/** Appends 'meeting.viewed' (ids and counts only) before meeting content is handed to a user. */
export async function appendReadAudit(
  deps: Pick<MeetingDeps, 'audit'>,
  actor: RequestActor,
  meeting: Meeting,
  details: AuditDetails = {},
): Promise<void> {
  await deps.audit.append({
    tenantId: actor.tenantId,
    areaId: meeting.areaId,
    actorAadObjectId: actor.aadObjectId,
    action: 'meeting.viewed',
    entity: { type: 'meeting', id: meeting.id },
    outcome: 'success',
    details: { caseId: meeting.caseId, ...details },
  });
}
