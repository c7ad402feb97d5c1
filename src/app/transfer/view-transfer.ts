import type { Transfer } from '../../domain';
import { can, type Principal } from '../../domain/policy';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import { caseScopeOf } from '../actions/shared';
import { coordinatorArea, type TransferDeps } from './shared';

const hidden = (): AppError<'NOT_FOUND'> => appError('NOT_FOUND', 'There is no such transfer for your area.');

/**
 * A transfer, for someone who may see its case: on the receiving side the area's co-ordinators; on
 * the sending side whoever the need-to-know rule lets read the case while it is still there, and
 * its co-ordinators always. Everyone else gets the answer an unknown id gets, so a transfer id says
 * nothing about a case.
 */
export async function viewTransfer(
  deps: Pick<TransferDeps, 'transfers' | 'cases' | 'actions' | 'meetings'>,
  principal: Principal,
  transferId: string,
): Promise<Result<Transfer, AppError<'NOT_FOUND'>>> {
  const got = await deps.transfers.get(transferId);
  const m = principal.member;
  if (!got.ok || !m?.active) return err(hidden());
  const t = got.value;
  const coordinator = coordinatorArea(principal);
  if (m.areaId === t.toAreaId) return coordinator.ok ? ok(t) : err(hidden());
  if (m.areaId !== t.fromAreaId || t.mode === 'import') return err(hidden());
  if (coordinator.ok) return ok(t);
  const c = await deps.cases.get(t.caseId);
  if (!c.ok || c.value.areaId !== t.fromAreaId) return err(hidden());
  const [meetings, actions] = await Promise.all([
    deps.meetings.listForCase(c.value.id),
    deps.actions.listForCase(c.value.id),
  ]);
  return can(principal, 'case.read', { case: caseScopeOf(c.value, meetings, actions) }).allowed ? ok(t) : err(hidden());
}
