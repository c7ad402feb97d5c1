import type { Transfer } from '../../domain';
import type { Principal } from '../../domain/policy';
import type { AppError } from '../../lib/errors';
import { ok, type Result } from '../../lib/result';
import { coordinatorArea, type TransferDeps } from './shared';

/** Transfers leaving or joining the caller's area, newest first: both sides see the state. */
export async function listTransfers(
  deps: Pick<TransferDeps, 'transfers'>,
  principal: Principal,
): Promise<Result<Transfer[], AppError<'NOT_PERMITTED'>>> {
  const area = coordinatorArea(principal);
  if (!area.ok) return area;
  return ok(await deps.transfers.listForArea(area.value, 50));
}

/**
 * `transfers`: the hand-overs still waiting (or part-way through accepting) in and out of the
 * co-ordinator's area, so the receiving side can find one without scrolling its channel.
 */
export async function pendingTransfers(
  deps: Pick<TransferDeps, 'transfers'>,
  principal: Principal,
): Promise<Result<Transfer[], AppError<'NOT_PERMITTED'>>> {
  const area = coordinatorArea(principal);
  if (!area.ok) return area;
  return ok(await deps.transfers.listForArea(area.value, 200, ['pending', 'accepting']));
}
