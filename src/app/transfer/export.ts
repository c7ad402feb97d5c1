import type { Principal } from '../../domain/policy';
import { appError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import type { DownloadError, ExportDeps } from '../referral-export';
import { coordinatorArea, type TransferDeps } from './shared';

export interface TransferExportDeps extends Pick<
  ExportDeps,
  'signer' | 'claims' | 'clock' | 'baseUrl' | 'ttlSeconds' | 'principalOf'
> {
  readonly transfer: Pick<TransferDeps, 'transfers' | 'signer'>;
}

const DOC_PREFIX = 'transfer:';

type File = { fileName: string; body: Buffer };

/** A single-use link to the signed hand-over package of an export, for the sending co-ordinator. */
export function transferLink(deps: TransferExportDeps, reader: Principal, transferId: string): string {
  const token = deps.signer.sign({
    docId: `${DOC_PREFIX}${transferId}`,
    readerAadObjectId: reader.aadObjectId,
    ttlSeconds: deps.ttlSeconds,
    now: deps.clock.now(),
  });
  return `${deps.baseUrl().replace(/\/$/, '')}/api/documents/${token}`;
}

/**
 * Serves a transfer package link and hands every other token to `fallback`. The link works once,
 * for a co-ordinator of the sending area as they stand now, while the export is still pending; the
 * package is signed afresh from the stored one, so what leaves is exactly what was recorded.
 */
export function withTransferDownloads<E>(
  deps: TransferExportDeps,
  fallback: (token: string) => Promise<Result<File, E>>,
): (token: string) => Promise<Result<File, E | DownloadError>> {
  return async (token) => {
    const claims = deps.signer.verify(token, deps.clock.now());
    if (!claims.ok || !claims.value.docId.startsWith(DOC_PREFIX)) return fallback(token);
    const found = await deps.transfer.transfers.get(claims.value.docId.slice(DOC_PREFIX.length));
    if (!found.ok) return err({ ...appError('NOT_FOUND', 'This link is not valid.'), status: 404 });
    if (!(await deps.claims.claim(claims.value.nonce, new Date(claims.value.expiresAt))))
      return err({
        ...appError('ALREADY_DECIDED', 'This link has already been used: ask for the transfer package again.'),
        status: 410,
      });
    const t = found.value;
    const reader = await deps.principalOf(claims.value.readerAadObjectId);
    const area = reader ? coordinatorArea(reader) : null;
    if (!area?.ok || area.value !== t.fromAreaId || t.mode !== 'export' || t.state !== 'pending')
      return err({
        ...appError(
          'NOT_PERMITTED',
          "The package is for the sending area's co-ordinators while the transfer is pending.",
        ),
        status: 403,
      });
    const body = Buffer.from(JSON.stringify(deps.transfer.signer.sign(t.package), null, 2), 'utf8');
    return ok({ fileName: `mappa-transfer-${t.caseRef}.json`, body });
  };
}
