import { isExpired, SignedTransfer, type Transfer } from '../../domain';
import { canonicalJson } from '../../lib/canonical-json';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import type { RequestActor } from '../ports';
import type { TransferDeps } from './shared';

export type ImportTransferError = AppError<
  'VALIDATION_FAILED' | 'SIGNATURE_INVALID' | 'NOT_FOUND' | 'EXPIRED' | 'REPLAYED'
>;

/**
 * The receiving deployment's side of a cross-deployment hand-over: checks the signature before
 * trusting a single field, then the expiry, then records the transfer as pending for the receiving
 * area's co-ordinators. The same package uploaded again while it waits for an answer returns the
 * transfer already recorded; once answered (or under an id already used for anything else) it is
 * a replay and refused.
 */
export async function importTransfer(
  deps: Pick<TransferDeps, 'members' | 'transfers' | 'signer' | 'clock'>,
  by: RequestActor,
  body: unknown,
): Promise<Result<{ readonly transfer: Transfer; readonly created: boolean }, ImportTransferError>> {
  const parsed = SignedTransfer.safeParse(body);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') || 'package';
    const old =
      typeof body === 'object' && body !== null && (body as { package?: { version?: unknown } }).package?.version === 1;
    return err(
      appError(
        'VALIDATION_FAILED',
        old
          ? 'This is a version 1 package, which has no expiry date; ask the sending area for a new package.'
          : `The transfer package is not in the documented format (at ${field}).`,
        { field },
      ),
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
  if (isExpired(pkg, deps.clock.now()))
    return err(
      appError('EXPIRED', `The package expired on ${pkg.expiresAt.slice(0, 10)}; ask the sending area for a new one.`),
    );
  const area = await deps.members.getArea(pkg.to.areaId);
  if (!area.ok) return err(appError('NOT_FOUND', 'The receiving area named in the package is not served here.'));
  if (area.value.jurisdiction !== pkg.case.jurisdiction)
    return err(
      appError(
        'VALIDATION_FAILED',
        `The case is managed under ${pkg.case.jurisdiction} arrangements but ${pkg.to.areaId} uses ${area.value.jurisdiction}.`,
        { field: 'package.case.jurisdiction' },
      ),
    );
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
      signature: parsed.data.signature,
      requestedBy: { aadObjectId: by.aadObjectId, displayName: by.displayName },
      requestedAt: pkg.createdAt,
    },
    { by },
  );
  if (!result.created) {
    const t = result.transfer;
    const same = t.mode === 'import' && canonicalJson(t.package) === canonicalJson(pkg);
    if (!same)
      return err(
        appError('REPLAYED', 'A different transfer is already recorded under this package id; it was not imported.'),
      );
    if (t.state !== 'pending')
      return err(
        appError(
          'REPLAYED',
          `This package was already ${t.state === 'declined' ? 'declined' : 'accepted'} here${t.decidedAt ? ` on ${t.decidedAt.slice(0, 10)}` : ''}; it cannot be used again.`,
        ),
      );
  }
  return ok(result);
}
