import type { Transfer } from '../../domain';
import type { Principal } from '../../domain/policy';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import { actorOf } from '../shared/actor';
import { acceptImported } from './imported';
import { answeredMessage, checkReceiver, type TransferDeps } from './shared';

export type AcceptTransferError = AppError<
  | 'NOT_PERMITTED'
  | 'NOT_FOUND'
  | 'ALREADY_DECIDED'
  | 'ILLEGAL_TRANSITION'
  | 'VERSION_CONFLICT'
  | 'SIGNATURE_INVALID'
  | 'EXPIRED'
>;

/**
 * The receiving co-ordinator accepts: the case, its decision history (carried in the case), its
 * actions and their reminders, its meetings, minutes and agency updates move to the receiving area. There are no transactions, so:
 * 1. pending → accepting, fixing the receiving ref in the same write;
 * 2. each action and reminder moves by a conditional write keyed by the transfer (held, so neither
 *    area's lists show it meanwhile);
 * 3. the case moves last, so the receiver never finds a case whose records are still on the way;
 * 4. accepting → accepted, then the holds are lifted.
 * Every step is idempotent: calling this again after a crash anywhere completes the move.
 */
export async function acceptTransfer(
  deps: TransferDeps,
  principal: Principal,
  transferId: string,
): Promise<Result<Transfer, AcceptTransferError>> {
  const got = await deps.transfers.get(transferId);
  if (!got.ok) return err(appError('NOT_FOUND', 'There is no such transfer for your area.'));
  let t = got.value;
  const allowed = checkReceiver(principal, t);
  if (!allowed.ok) return allowed;
  if (t.state === 'declined' || t.state === 'withdrawn') return err(appError('ALREADY_DECIDED', answeredMessage(t)));
  if (t.mode === 'import') return acceptImported(deps, principal, t);
  if (t.mode !== 'local')
    return err(appError('ILLEGAL_TRANSITION', 'The receiving deployment answers this hand-over, not this one.'));
  const by = actorOf(principal);
  const ctx = { by };

  if (t.state === 'pending') {
    // Kept when free in the receiving area, so people of both areas know the case by one reference.
    const ref = await deps.transfers.refForMove(
      t.caseRef,
      t.fromAreaId,
      t.toAreaId,
      deps.clock.now().toISOString().slice(0, 4),
    );
    const moved = await deps.transfers.advance(
      t.id,
      ['pending'],
      'accepting',
      {
        decidedBy: { aadObjectId: by.aadObjectId, displayName: by.displayName },
        decidedAt: deps.clock.now().toISOString(),
        receivingRef: ref,
      },
      ctx,
    );
    if (!moved.ok) {
      // Someone else answered first: carry on from what they left, or report their answer.
      const again = await deps.transfers.get(t.id);
      if (!again.ok) return again;
      if (again.value.state === 'declined' || again.value.state === 'withdrawn')
        return err(appError('ALREADY_DECIDED', answeredMessage(again.value)));
      if (again.value.state === 'pending') return moved;
      t = again.value;
    } else {
      t = moved.value;
    }
  }

  if (t.state === 'accepting') {
    const ref = t.receivingRef;
    if (!ref) return err(appError('ILLEGAL_TRANSITION', 'The transfer has no receiving reference.'));
    const move = { transferId: t.id, caseId: t.caseId, fromAreaId: t.fromAreaId, toAreaId: t.toAreaId, ref };
    for (const r of await deps.transfers.recordsToMove(t.caseId, t.fromAreaId)) {
      await deps.transfers.moveRecord(r.kind, r.id, move, ctx);
    }
    if (!(await deps.transfers.moveCase(t.caseId, move, ctx)))
      return err(
        appError('VERSION_CONFLICT', 'The case is no longer in the sending area; the transfer cannot finish.'),
      );
    const done = await deps.transfers.advance(t.id, ['accepting'], 'accepted', {}, ctx);
    if (!done.ok) {
      const again = await deps.transfers.get(t.id);
      if (!again.ok || again.value.state !== 'accepted') return done;
      t = again.value;
    } else {
      t = done.value;
    }
  }

  await deps.transfers.releaseHolds(t.id);
  await deps.notifier.transferDecided(t);
  return ok(t);
}
