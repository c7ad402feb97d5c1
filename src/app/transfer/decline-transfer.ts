import type { Transfer } from '../../domain';
import type { Principal } from '../../domain/policy';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import { actorOf } from '../shared/actor';
import { answeredMessage, checkReceiver, type TransferDeps } from './shared';

export type DeclineTransferError = AppError<
  'NOT_PERMITTED' | 'NOT_FOUND' | 'ALREADY_DECIDED' | 'ILLEGAL_TRANSITION' | 'VERSION_CONFLICT' | 'VALIDATION_FAILED'
>;

/** The receiving co-ordinator declines with a reason; nothing moves and the sender is told. */
export async function declineTransfer(
  deps: TransferDeps,
  principal: Principal,
  input: { readonly transferId: string; readonly reason: string },
): Promise<Result<Transfer, DeclineTransferError>> {
  const got = await deps.transfers.get(input.transferId);
  if (!got.ok) return err(appError('NOT_FOUND', 'There is no such transfer for your area.'));
  const allowed = checkReceiver(principal, got.value);
  if (!allowed.ok) return allowed;
  const reason = input.reason.trim();
  if (reason.length === 0)
    return err(
      appError('VALIDATION_FAILED', 'Give a reason for declining: the sending area needs it.', { field: 'reason' }),
    );
  if (reason.length > 2000)
    return err(
      appError('VALIDATION_FAILED', `The reason is ${reason.length} characters; keep it to 2000.`, { field: 'reason' }),
    );
  const by = actorOf(principal);
  const declined = await deps.transfers.advance(
    input.transferId,
    ['pending'],
    'declined',
    {
      decidedBy: { aadObjectId: by.aadObjectId, displayName: by.displayName },
      decidedAt: deps.clock.now().toISOString(),
      declineReason: reason,
    },
    { by },
  );
  if (!declined.ok) {
    // Lost a race with an accept or a withdrawal: say which.
    const now = await deps.transfers.get(input.transferId);
    if (now.ok && now.value.state !== 'pending') return err(appError('ALREADY_DECIDED', answeredMessage(now.value)));
    return declined;
  }
  await deps.notifier.transferDecided(declined.value);
  return ok(declined.value);
}
