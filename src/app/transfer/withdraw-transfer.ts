import type { Transfer } from '../../domain';
import type { Principal } from '../../domain/policy';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import { CaseRef } from '../ports';
import { actorOf } from '../shared/actor';
import { answeredMessage, coordinatorArea, type TransferDeps } from './shared';

export type WithdrawTransferError = AppError<'NOT_PERMITTED' | 'NOT_FOUND' | 'VALIDATION_FAILED' | 'ALREADY_DECIDED'>;

/**
 * `transfer withdraw <case ref>`: the sending area's co-ordinator takes back a hand-over nobody has
 * answered. One conditional write (`pending → withdrawn`): racing an accept or a decline, exactly
 * one wins and the other is told what happened. Nothing has moved, so nothing needs undoing; both
 * areas' channels are told and both chains audit it.
 */
export async function withdrawTransfer(
  deps: TransferDeps,
  principal: Principal,
  input: { readonly caseRef: string },
): Promise<Result<Transfer, WithdrawTransferError>> {
  const area = coordinatorArea(principal);
  if (!area.ok) return area;
  const ref = CaseRef.safeParse(input.caseRef.trim().toUpperCase());
  if (!ref.success)
    return err(
      appError('VALIDATION_FAILED', `Case reference "${input.caseRef}" should look like MAPPA-2026-0042.`, {
        field: 'caseRef',
      }),
    );
  // By the sender's own reference, so a case already moved (and renumbered) is still found.
  const t = await deps.transfers.latestFromArea(area.value, ref.data);
  // An import's sender is another deployment: there is nothing of it to withdraw here.
  if (!t || t.mode === 'import')
    return err(appError('NOT_FOUND', `No transfer of ${ref.data} from your area is waiting for an answer.`));
  if (t.state !== 'pending') return err(appError('ALREADY_DECIDED', `${answeredMessage(t)} It cannot be withdrawn.`));
  const by = actorOf(principal);
  const withdrawn = await deps.transfers.advance(
    t.id,
    ['pending'],
    'withdrawn',
    {
      decidedBy: { aadObjectId: by.aadObjectId, displayName: by.displayName },
      decidedAt: deps.clock.now().toISOString(),
    },
    { by },
  );
  if (!withdrawn.ok) {
    const now = await deps.transfers.get(t.id);
    return err(
      appError(
        'ALREADY_DECIDED',
        now.ok ? `${answeredMessage(now.value)} It cannot be withdrawn.` : answeredMessage(t),
      ),
    );
  }
  await deps.notifier.transferWithdrawn(withdrawn.value);
  return ok(withdrawn.value);
}
