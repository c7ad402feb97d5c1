import {
  isExpired,
  SignedTransferReceipt,
  transition,
  ukDateOf,
  type Transfer,
  type TransferReceipt,
} from '../../domain';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import type { RequestActor } from '../ports';
import { expiryFrom, type TransferDeps } from './shared';

/**
 * The signed receipt of a package imported here, once it is declined or accepted, for the sending
 * deployment's admin to import (`importTransferReceipt`). Signed afresh from the stored answer each
 * time it is asked for, so what leaves is exactly what was recorded; it expires a package lifetime
 * after the decision. An acceptance has a receipt only once the move is finished (`accepted`), so
 * the sender never closes its case for a hand-over that could still stall half-way.
 */
export async function transferReceipt(
  deps: Pick<TransferDeps, 'transfers' | 'signer' | 'packageTtlDays'>,
  transferId: string,
): Promise<Result<SignedTransferReceipt, AppError<'NOT_FOUND' | 'ILLEGAL_TRANSITION'>>> {
  const got = await deps.transfers.get(transferId);
  if (!got.ok || got.value.mode !== 'import')
    return err(appError('NOT_FOUND', 'No hand-over from another deployment is recorded under this id.'));
  const t = got.value;
  const base = {
    format: 'mappa-transfer-receipt',
    version: 1,
    transferId: t.id,
    from: { areaId: t.toAreaId },
    to: { areaId: t.fromAreaId },
    caseRef: t.caseRef,
  } as const;
  if (t.state === 'declined' && t.declineReason && t.decidedAt)
    return ok(
      deps.signer.signReceipt({
        ...base,
        outcome: 'declined',
        reason: t.declineReason,
        decidedAt: t.decidedAt,
        expiresAt: expiryFrom(deps, new Date(t.decidedAt)),
      }),
    );
  if (t.state === 'accepted' && t.receivingRef && t.decidedAt)
    return ok(
      deps.signer.signReceipt({
        ...base,
        outcome: 'accepted',
        receivingRef: t.receivingRef,
        decidedAt: t.decidedAt,
        expiresAt: expiryFrom(deps, new Date(t.decidedAt)),
      }),
    );
  return err(
    appError('ILLEGAL_TRANSITION', 'A receipt is made once the hand-over has been accepted or declined.', {
      state: t.state,
    }),
  );
}

export type ImportReceiptError = AppError<
  'VALIDATION_FAILED' | 'SIGNATURE_INVALID' | 'NOT_FOUND' | 'EXPIRED' | 'REPLAYED' | 'ILLEGAL_TRANSITION'
>;

/** Whether the export already records exactly this answer (the same receipt imported again). */
function records(t: Transfer, r: TransferReceipt): boolean {
  if (t.decidedAt !== r.decidedAt) return false;
  return r.outcome === 'declined'
    ? t.state === 'declined' && t.declineReason === r.reason
    : t.state === 'accepted' && t.receivingRef === r.receivingRef;
}

/** An acceptance whose closing here was cut short: the same receipt again finishes it. */
const unfinished = (t: Transfer, r: TransferReceipt): boolean =>
  r.outcome === 'accepted' &&
  t.state === 'accepting' &&
  t.receivingRef === r.receivingRef &&
  t.decidedAt === r.decidedAt;

/**
 * The sending deployment learns what became of its hand-over: the receipt's signature is checked
 * before any field is trusted, it must answer a pending export from this deployment to the area
 * that signed it, and must not have expired. A decline records the receiver's reason, so the case
 * plainly stays here; an acceptance closes the case here as transferred out (`closeTransferredOut`).
 * Either way the sending co-ordinators are told. The same receipt again answers `created: false`; one
 * contradicting the answer already recorded is REPLAYED.
 */
export async function importTransferReceipt(
  deps: Pick<TransferDeps, 'transfers' | 'signer' | 'clock' | 'notifier' | 'cases' | 'actions' | 'reminders'>,
  by: RequestActor,
  body: unknown,
): Promise<Result<{ readonly transfer: Transfer; readonly created: boolean }, ImportReceiptError>> {
  const parsed = SignedTransferReceipt.safeParse(body);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') || 'receipt';
    return err(appError('VALIDATION_FAILED', `The receipt is not in the documented format (at ${field}).`, { field }));
  }
  const verified = deps.signer.verifyReceipt(parsed.data);
  if (!verified.ok)
    return err(
      appError(
        'SIGNATURE_INVALID',
        verified.error.code === 'UNKNOWN_KEY'
          ? 'The receipt was signed with a key this deployment does not trust.'
          : 'The receipt does not match its signature: it was altered after signing.',
        { reason: verified.error.code },
      ),
    );
  const r = verified.value;
  const got = await deps.transfers.get(r.transferId);
  if (!got.ok || got.value.mode !== 'export' || got.value.toAreaId !== r.from.areaId)
    return err(appError('NOT_FOUND', 'No hand-over to that area was sent from here under this id.'));
  const t = got.value;
  if (t.fromAreaId !== r.to.areaId)
    return err(appError('NOT_FOUND', 'No hand-over to that area was sent from here under this id.'));
  if (records(t, r)) return ok({ transfer: t, created: false });
  if (t.state !== 'pending' && !unfinished(t, r))
    return err(appError('REPLAYED', `This hand-over is already ${t.state} here; the receipt changes nothing.`));
  if (t.state === 'pending' && isExpired(r, deps.clock.now()))
    return err(appError('EXPIRED', `The receipt expired on ${r.expiresAt.slice(0, 10)}; ask for a new one.`));
  const ctx = { by };
  const decidedBy = { aadObjectId: by.aadObjectId, displayName: `${r.from.areaId} (signed receipt)` };
  const answered =
    r.outcome === 'declined'
      ? await deps.transfers.advance(
          t.id,
          ['pending'],
          'declined',
          { decidedBy, decidedAt: r.decidedAt, declineReason: r.reason },
          ctx,
        )
      : await acceptExport(deps, t, r, decidedBy, ctx);
  if (!answered.ok) {
    const again = await deps.transfers.get(t.id);
    if (again.ok && records(again.value, r)) return ok({ transfer: again.value, created: false });
    return err(appError('REPLAYED', 'This hand-over was answered meanwhile; the receipt changes nothing.'));
  }
  await deps.notifier.transferDecided(answered.value);
  return ok({ transfer: answered.value, created: true });
}

/**
 * pending → accepting (fixing the receiver's reference and date), then the case is closed here,
 * then accepted: the same crash-safe order as a local move, so the same receipt imported again after
 * a crash finishes the job, and the export reads `accepted` only once the case here is closed.
 */
async function acceptExport(
  deps: Pick<TransferDeps, 'transfers' | 'cases' | 'actions' | 'reminders'>,
  transfer: Transfer,
  r: Extract<TransferReceipt, { outcome: 'accepted' }>,
  decidedBy: { aadObjectId: string; displayName: string },
  ctx: { readonly by: RequestActor },
) {
  let t = transfer;
  if (t.state === 'pending') {
    const moved = await deps.transfers.advance(
      t.id,
      ['pending'],
      'accepting',
      { decidedBy, decidedAt: r.decidedAt, receivingRef: r.receivingRef },
      ctx,
    );
    if (!moved.ok) return moved;
    t = moved.value;
  }
  await closeTransferredOut(deps, t, ukDateOf(new Date(r.decidedAt)), ctx);
  return deps.transfers.advance(t.id, ['accepting'], 'accepted', {}, ctx);
}

const OPEN = new Set(['open', 'in_progress']);

/**
 * What a local move does by taking the case away, done in place for a case that left for another
 * deployment: the case exits as `transferred_out` (an exited case takes no further decisions and
 * cannot be handed over again), its open actions are cancelled with a note naming the receiving
 * area, and its reminders stop. Each step is skipped when already done, so a retry is harmless.
 */
async function closeTransferredOut(
  deps: Pick<TransferDeps, 'transfers' | 'cases' | 'actions' | 'reminders'>,
  t: Transfer,
  on: string,
  ctx: { readonly by: RequestActor },
): Promise<void> {
  const note = `transferred to ${t.toAreaId}`;
  for (const a of await deps.actions.listForCase(t.caseId)) {
    if (a.areaId !== t.fromAreaId || !OPEN.has(a.status)) continue;
    // A concurrent update of the action (its owner marking progress) is read again and retried.
    for (let attempt = 0, current = a; attempt < 3; attempt += 1) {
      const done = await deps.actions.update(current.id, current.version, { status: 'cancelled' }, ctx, {
        event: 'changed',
        note,
      });
      if (done.ok || done.error.code !== 'VERSION_CONFLICT') break;
      const fresh = await deps.actions.get(current.id);
      if (!fresh.ok || !OPEN.has(fresh.value.status)) break;
      current = fresh.value;
    }
  }
  for (const rec of await deps.transfers.recordsToMove(t.caseId, t.fromAreaId))
    if (rec.kind === 'reminder') await deps.reminders.close(rec.id);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const got = await deps.cases.get(t.caseId);
    if (!got.ok || got.value.status === 'exited' || got.value.erasure) return;
    const next = transition(got.value, { type: 'EXITED', reason: 'transferred_out', on });
    if (!next.ok) return;
    const saved = await deps.cases.save(next.value, { ...ctx, action: 'case.exited' });
    if (saved.ok || saved.error.code !== 'VERSION_CONFLICT') return;
  }
}
