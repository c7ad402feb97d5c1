import type { Principal } from '../domain/policy';
import { appError, type AppError } from '../lib/errors';
import { err, ok, type Result } from '../lib/result';
import type { AuditLog } from './ports/audit-log.port';
import type { Clock } from './ports/clock.port';
import type { DownloadLinkSigner } from './ports/download-link.port';
import type { MappaADocumentRenderer } from './ports/mappa-a-document.port';
import { prepareMappaAExport, type ReferralDeps } from './referrals';

/** Records that a link's nonce was used; true only for the first use (single-use links). */
export interface LinkClaims {
  claim(nonce: string, expiresAt: Date): Promise<boolean>;
}

export interface ExportDeps {
  readonly referrals: ReferralDeps;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly claims: LinkClaims;
  readonly signer: DownloadLinkSigner;
  readonly document: MappaADocumentRenderer;
  /** Read when a link is made: the port is only known once the server listens. */
  readonly baseUrl: () => string;
  readonly marking: string;
  readonly ttlSeconds: number;
  /** The reader as of now: a member removed since the link was made gets nothing. */
  readonly principalOf: (aadObjectId: string) => Promise<Principal | null>;
}

const DOC_PREFIX = 'mappa-a:';

/** A short-lived, single-use link to the MAPPA A, for a reader the referral rules allow. */
export async function mappaALink(deps: ExportDeps, reader: Principal, referralId: string): Promise<string | null> {
  const allowed = await prepareMappaAExport(deps.referrals, reader, referralId);
  if (!allowed.ok) return null;
  const token = deps.signer.sign({
    docId: `${DOC_PREFIX}${referralId}`,
    readerAadObjectId: reader.aadObjectId,
    ttlSeconds: deps.ttlSeconds,
    now: deps.clock.now(),
  });
  return `${deps.baseUrl().replace(/\/$/, '')}/api/documents/${token}`;
}

export type DownloadError = AppError<'NOT_FOUND' | 'NOT_PERMITTED' | 'ALREADY_DECIDED'> & {
  readonly status: 403 | 404 | 410;
};

/**
 * Serves a link: signature and expiry first, then the single-use claim, then the reader's
 * permission as it stands now, then the document (police-only fields withheld for non-ViSOR readers).
 * Every download is audited.
 */
export async function downloadByLink(
  deps: ExportDeps,
  token: string,
): Promise<Result<{ fileName: string; body: Buffer }, DownloadError>> {
  const now = deps.clock.now();
  const claims = deps.signer.verify(token, now);
  if (!claims.ok) {
    return err({
      ...appError(
        'NOT_FOUND',
        claims.error.code === 'EXPIRED'
          ? 'This link has expired: export the MAPPA A again from the card.'
          : 'This link is not valid.',
      ),
      status: claims.error.code === 'EXPIRED' ? 410 : 404,
    });
  }
  const { docId, readerAadObjectId, nonce, expiresAt } = claims.value;
  if (!docId.startsWith(DOC_PREFIX)) return err({ ...appError('NOT_FOUND', 'This link is not valid.'), status: 404 });
  if (!(await deps.claims.claim(nonce, new Date(expiresAt)))) {
    return err({
      ...appError('ALREADY_DECIDED', 'This link has already been used: export the MAPPA A again from the card.'),
      status: 410,
    });
  }
  const reader = await deps.principalOf(readerAadObjectId);
  if (!reader) return err({ ...appError('NOT_PERMITTED', 'You no longer have access to this referral.'), status: 403 });
  const referralId = docId.slice(DOC_PREFIX.length);
  const prepared = await prepareMappaAExport(deps.referrals, reader, referralId);
  if (!prepared.ok) return err({ ...appError('NOT_FOUND', 'That referral was not found.'), status: 404 });
  const p = prepared.value;
  await deps.audit.append({
    tenantId: reader.tenantId,
    areaId: p.referral.areaId,
    actorAadObjectId: reader.aadObjectId,
    action: 'case.viewed',
    entity: { type: 'referral', id: referralId },
    details: { document: 'mappa_a_docx', redacted: !p.readerHasVisorAccess },
  });
  const body = await deps.document.render({
    referral: p.referral,
    areaName: p.areaName,
    formLabel: p.formLabel,
    marking: deps.marking,
    ...(p.caseRef ? { caseRef: p.caseRef } : {}),
    generatedAt: now.toISOString(),
    readerHasVisorAccess: p.readerHasVisorAccess,
    agencyNames: p.agencyNames,
  });
  return ok({ fileName: deps.document.fileName(p.caseRef ?? referralId, p.formLabel), body });
}
