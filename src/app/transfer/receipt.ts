import { isExpired, SignedTransferReceipt, type Transfer } from '../../domain';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import type { RequestActor } from '../ports';
import { expiryFrom, type TransferDeps } from './shared';

/**
 * The signed "declined" receipt for a package imported here, for the sending deployment's admin to
 * import (`importTransferReceipt`). Signed afresh from the stored answer each time it is asked for,
 * so what leaves is exactly what was recorded; it expires a package lifetime after the decision.
 */
export async function transferReceipt(
  deps: Pick<TransferDeps, 'transfers' | 'signer' | 'packageTtlDays'>,
  transferId: string,
): Promise<Result<SignedTransferReceipt, AppError<'NOT_FOUND' | 'ILLEGAL_TRANSITION'>>> {
  const got = await deps.transfers.get(transferId);
  if (!got.ok || got.value.mode !== 'import')
    return err(appError('NOT_FOUND', 'No hand-over from another deployment is recorded under this id.'));
  const t = got.value;
  if (t.state !== 'declined' || !t.declineReason || !t.decidedAt)
    return err(
      appError('ILLEGAL_TRANSITION', 'A receipt is made once the hand-over has been declined.', { state: t.state }),
    );
  return ok(
    deps.signer.signReceipt({
      format: 'mappa-transfer-receipt',
      version: 1,
      transferId: t.id,
      outcome: 'declined',
      from: { areaId: t.toAreaId },
      to: { areaId: t.fromAreaId },
      caseRef: t.caseRef,
      reason: t.declineReason,
      decidedAt: t.decidedAt,
      expiresAt: expiryFrom(deps, new Date(t.decidedAt)),
    }),
  );
}

export type ImportReceiptError = AppError<
  'VALIDATION_FAILED' | 'SIGNATURE_INVALID' | 'NOT_FOUND' | 'EXPIRED' | 'REPLAYED' | 'ILLEGAL_TRANSITION'
>;

/**
 * The sending deployment learns its hand-over was declined: the receipt's signature is checked
 * before any field is trusted, it must answer a pending export from this deployment to the area
 * that signed it, and then the export is declined with the receiver's reason, so the case plainly
 * stays here and the sending co-ordinators are told. The same receipt again answers `created: false`.
 */
export async function importTransferReceipt(
  deps: Pick<TransferDeps, 'transfers' | 'signer' | 'clock' | 'notifier'>,
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
  if (t.state === 'declined' && t.declineReason === r.reason && t.decidedAt === r.decidedAt)
    return ok({ transfer: t, created: false });
  if (t.state !== 'pending')
    return err(appError('REPLAYED', `This hand-over is already ${t.state} here; the receipt changes nothing.`));
  if (isExpired(r, deps.clock.now()))
    return err(appError('EXPIRED', `The receipt expired on ${r.expiresAt.slice(0, 10)}; ask for a new one.`));
  const declined = await deps.transfers.advance(
    t.id,
    ['pending'],
    'declined',
    {
      decidedBy: { aadObjectId: by.aadObjectId, displayName: `${r.from.areaId} (signed receipt)` },
      decidedAt: r.decidedAt,
      declineReason: r.reason,
    },
    { by },
  );
  if (!declined.ok) {
    const again = await deps.transfers.get(t.id);
    if (again.ok && again.value.state === 'declined' && again.value.decidedAt === r.decidedAt)
      return ok({ transfer: again.value, created: false });
    return err(appError('REPLAYED', 'This hand-over was answered meanwhile; the receipt changes nothing.'));
  }
  await deps.notifier.transferDecided(declined.value);
  return ok({ transfer: declined.value, created: true });
}
