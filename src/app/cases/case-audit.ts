import { CaseRef } from '../ports/case-repository.port';
import type { AuditEntry, AuditLog } from '../ports/audit-log.port';
import type { CaseRepository } from '../ports/case-repository.port';
import type { MemberRepository } from '../ports/member-repository.port';
import { formatUkDateTime } from '../../domain/format';
import { can, type Principal } from '../../domain/policy';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';

export interface CaseAuditDeps {
  readonly cases: CaseRepository;
  readonly audit: AuditLog;
  readonly areaId: string;
  /** Names each event's actor; without it every member would show as "Unknown user". */
  readonly members: Pick<MemberRepository, 'getMember'>;
}

const LIMIT = 50;

/**
 * Who an event's actor was when they are not an enrolled member: the intake API's calling system
 * (its audit details carry the agency), the bot itself, or someone no longer enrolled.
 */
function nonMemberName(e: AuditEntry): string {
  if (e.details.via === 'api')
    return typeof e.details.agency === 'string'
      ? `Case-management system (${e.details.agency}, intake API)`
      : 'Case-management system (intake API)';
  if (e.actorAadObjectId === 'system') return 'MAPPA Assistant (system)';
  return 'Unknown user';
}

/**
 * A case's access log for the co-ordinator. Out-of-scope and unknown cases answer the same
 * NOT_FOUND so the reply does not reveal whether a case exists.
 */
export async function caseAccessLog(
  deps: CaseAuditDeps,
  principal: Principal,
  rawRef: string,
): Promise<
  Result<
    { caseRef: string; events: { at: string; who: string; what: string }[] },
    AppError<'NOT_FOUND' | 'VALIDATION_FAILED'>
  >
> {
  const ref = CaseRef.safeParse(rawRef);
  if (!ref.success) return err(appError('VALIDATION_FAILED', 'Case references look like MAPPA-2026-0042.'));
  const found = await deps.cases.getByRef(deps.areaId, ref.data);
  if (!found.ok) return err(appError('NOT_FOUND'));
  const c = found.value;
  const decision = can(principal, 'case.audit.read', {
    case: { areaId: c.areaId, leadAgencyId: c.leadAgencyId, involvedAgencyIds: [] },
  });
  if (!decision.allowed) return err(appError('NOT_FOUND'));
  const entries = await deps.audit.listForEntity('case', c.id, { limit: LIMIT });
  const names = new Map<string, string>();
  for (const e of entries) {
    if (names.has(e.actorAadObjectId)) continue;
    const m = await deps.members.getMember(e.tenantId, e.actorAadObjectId);
    names.set(e.actorAadObjectId, m.ok ? m.value.displayName : nonMemberName(e));
  }
  return ok({
    caseRef: c.ref,
    events: entries
      .slice(-LIMIT)
      .reverse()
      .map((e) => ({
        at: formatUkDateTime(e.at),
        who: names.get(e.actorAadObjectId) ?? nonMemberName(e),
        what: `${e.action}${e.outcome === 'denied' ? ' (denied)' : ''}`,
      })),
  });
}
