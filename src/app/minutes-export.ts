import type { Principal } from '../domain/policy';
import { appError, type AppError } from '../lib/errors';
import { err, ok, type Result } from '../lib/result';
import { prepareMinutesExport, type MinutesDeps } from './minutes';
import { auditMinutesRead } from './minutes/shared';
import type { MinutesDocumentFormat, MinutesDocumentRenderer } from './ports/minutes-document.port';
import { MinutesDocumentFormats } from './ports/minutes-document.port';
import { actorOf } from './shared/actor';
import { downloadByLink, type DownloadError, type ExportDeps } from './referral-export';

/** The MAPPA A export's signer, claims, clock and reader lookup, plus the minutes and their renderer. */
export interface MinutesExportDeps extends ExportDeps {
  readonly minutes: MinutesDeps;
  readonly minutesDocument: MinutesDocumentRenderer;
}

const DOC_PREFIX = 'minutes:';

/** A short-lived, single-use link to the minutes as Word or PDF, for a reader the minutes' rules allow. */
export async function minutesLink(
  deps: MinutesExportDeps,
  reader: Principal,
  minutesId: string,
  format: MinutesDocumentFormat,
): Promise<string | null> {
  const allowed = await prepareMinutesExport(deps.minutes, reader, minutesId);
  if (!allowed.ok) return null;
  const token = deps.signer.sign({
    docId: `${DOC_PREFIX}${format}:${minutesId}`,
    readerAadObjectId: reader.aadObjectId,
    ttlSeconds: deps.ttlSeconds,
    now: deps.clock.now(),
  });
  return `${deps.baseUrl().replace(/\/$/, '')}/api/documents/${token}`;
}

/** A download refused, or a document the renderer could not produce (a new link may work). */
export type MinutesDownloadError = DownloadError | (AppError<'DOCUMENT_UNAVAILABLE'> & { readonly status: 503 });

const FORMAT_NAMES: Readonly<Record<MinutesDocumentFormat, string>> = { docx: 'Word document', pdf: 'PDF' };

const invalid = (): DownloadError => ({ ...appError('NOT_FOUND', 'This link is not valid.'), status: 404 });

/**
 * Serves any document link: minutes here, anything else by the MAPPA A path. For minutes, as for the
 * MAPPA A: signature and expiry, the single-use claim, the reader's permission as it stands now, an
 * audit event, then the document redacted for that reader.
 */
export async function downloadDocumentByLink(
  deps: MinutesExportDeps,
  token: string,
): Promise<Result<{ fileName: string; body: Buffer }, MinutesDownloadError>> {
  const now = deps.clock.now();
  const claims = deps.signer.verify(token, now);
  if (!claims.ok || !claims.value.docId.startsWith(DOC_PREFIX)) return downloadByLink(deps, token);
  const { docId, readerAadObjectId, nonce, expiresAt } = claims.value;
  const [format, minutesId] = docId.slice(DOC_PREFIX.length).split(/:(.*)/s, 2) as [string, string | undefined];
  const kind = MinutesDocumentFormats.find((f) => f === format);
  if (!kind || !minutesId) return err(invalid());
  if (!(await deps.claims.claim(nonce, new Date(expiresAt))))
    return err({
      ...appError('ALREADY_DECIDED', 'This link has already been used: export the minutes again from the card.'),
      status: 410,
    });
  const reader = await deps.principalOf(readerAadObjectId);
  if (!reader) return err({ ...appError('NOT_PERMITTED', 'You no longer have access to these minutes.'), status: 403 });
  const prepared = await prepareMinutesExport(deps.minutes, reader, minutesId);
  if (!prepared.ok) return err({ ...appError('NOT_FOUND', 'Those minutes were not found.'), status: 404 });
  const p = prepared.value;
  await auditMinutesRead(deps.minutes, actorOf(reader), p.minutes, {
    document: `minutes_${kind}`,
    redacted: !p.readerHasVisorAccess,
  });
  let body: Buffer;
  // A renderer failure (a library bug, a font missing) is the document's, not the minutes': they are
  // unchanged and the read was audited, so the reader is told so and may ask the card for a new link.
  try {
    body = await deps.minutesDocument.render(
      {
        minutes: p.minutes,
        caseRef: p.caseRef,
        areaName: p.areaName,
        marking: deps.marking,
        generatedAt: now.toISOString(),
        readerHasVisorAccess: p.readerHasVisorAccess,
        withheld: p.withheld,
        agencyNames: p.agencyNames,
      },
      kind,
    );
  } catch {
    return err({
      ...appError(
        'DOCUMENT_UNAVAILABLE',
        `The ${FORMAT_NAMES[kind]} of these minutes could not be produced just now. The minutes are unchanged: ` +
          `press Download ${kind === 'pdf' ? 'PDF' : 'Word'} on the minutes card again for a new link, or try the other format.`,
      ),
      status: 503,
    });
  }
  return ok({ fileName: deps.minutesDocument.fileName(p.caseRef, p.minutes.revision, kind), body });
}
