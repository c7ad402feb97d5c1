import { SignedTransfer, type Transfer } from '../../domain';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import type { RequestActor } from '../ports';
import type { TransferDeps } from './shared';

export type ImportTransferError = AppError<'VALIDATION_FAILED' | 'SIGNATURE_INVALID' | 'NOT_FOUND'>;

/**
 * The receiving deployment's side of a cross-deployment hand-over: checks the signature before
 * trusting a single field, then records the transfer as pending for the receiving area's
 * co-ordinators. Importing the same package twice returns the transfer already recorded.
 */
export async function importTransfer(
  deps: Pick<TransferDeps, 'members' | 'transfers' | 'signer'>,
  by: RequestActor,
  body: unknown,
): Promise<Result<{ readonly transfer: Transfer; readonly created: boolean }, ImportTransferError>> {
  const parsed = SignedTransfer.safeParse(body);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') || 'package';
    return err(
      appError('VALIDATION_FAILED', `The transfer package is not in the documented format (at ${field}).`, { field }),
    );
  }
  const verified = deps.signer.verify(parsed.data);
  if (!verified.ok)
    return err(
      appError(
        'SIGNATURE_INVALID',
        verified.error.code === 'UNKNOWN_KEY'
          ? 'The package was signed with a key this deployment does not trust.'
          : 'The package does not match its signature: it was altered after signing.',
        { reason: verified.error.code },
      ),
    );
  const pkg = verified.value;
  const area = await deps.members.getArea(pkg.to.areaId);
  if (!area.ok) return err(appError('NOT_FOUND', 'The receiving area named in the package is not served here.'));
  const result = await deps.transfers.create(
    {
      id: pkg.transferId,
      mode: 'import',
      caseId: pkg.case.id,
      caseRef: pkg.case.ref,
      fromAreaId: pkg.from.areaId,
      toAreaId: pkg.to.areaId,
      state: 'pending',
      package: pkg,
      requestedBy: { aadObjectId: by.aadObjectId, displayName: by.displayName },
      requestedAt: pkg.createdAt,
    },
    { by },
  );
  return ok(result);
}
