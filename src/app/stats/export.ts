import type { Principal } from '../../domain/policy';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import type { DownloadError, ExportDeps } from '../referral-export';
import type { StatsDocumentRenderer } from './ports';
import { reportCsv } from './csv';
import { StatsPeriod } from './report.schema';
import { areaReport, type StatsDeps } from './run-report';

export type StatsFileFormat = 'csv' | 'docx' | 'png';

export interface StatsExportDeps extends Pick<
  ExportDeps,
  'signer' | 'claims' | 'clock' | 'baseUrl' | 'marking' | 'ttlSeconds' | 'principalOf'
> {
  readonly stats: StatsDeps;
  readonly document: StatsDocumentRenderer;
}

const DOC_PREFIX = 'stats:';

/** A single-use link to the report as CSV, Word or the chart image, for a co-ordinator. */
export function statsLink(
  deps: StatsExportDeps,
  reader: Principal,
  period: StatsPeriod,
  format: StatsFileFormat,
): string {
  const token = deps.signer.sign({
    docId: `${DOC_PREFIX}${format}:${period.from}:${period.to}`,
    readerAadObjectId: reader.aadObjectId,
    ttlSeconds: deps.ttlSeconds,
    now: deps.clock.now(),
  });
  return `${deps.baseUrl().replace(/\/$/, '')}/api/documents/${token}`;
}

type Download = Result<
  { fileName: string; body: Buffer },
  DownloadError | (AppError<'DOCUMENT_UNAVAILABLE'> & { readonly status: 503 })
>;

/**
 * Serves a statistics link, and hands every other token to `fallback` (the minutes and MAPPA A path).
 * As for those: signature and expiry, the single-use claim, the reader's role as it stands now, the
 * read audited, then the figures counted afresh (suppressed as on the card).
 */
export function withStatsDownloads(
  deps: StatsExportDeps,
  fallback: (token: string) => Promise<Download>,
): (token: string) => Promise<Download> {
  return async (token) => {
    const claims = deps.signer.verify(token, deps.clock.now());
    if (!claims.ok || !claims.value.docId.startsWith(DOC_PREFIX)) return fallback(token);
    const [format, from, to] = claims.value.docId.slice(DOC_PREFIX.length).split(':');
    const period = StatsPeriod.safeParse({ from, to });
    if (!period.success || (format !== 'csv' && format !== 'docx' && format !== 'png'))
      return err({ ...appError('NOT_FOUND', 'This link is not valid.'), status: 404 });
    if (!(await deps.claims.claim(claims.value.nonce, new Date(claims.value.expiresAt))))
      return err({
        ...appError('ALREADY_DECIDED', 'This link has already been used: ask for the report again with report.'),
        status: 410,
      });
    const reader = await deps.principalOf(claims.value.readerAadObjectId);
    const res = reader ? await areaReport(deps.stats, reader, period.data, format) : null;
    if (!res?.ok)
      return err({ ...appError('NOT_PERMITTED', 'The statistics are for MAPPA co-ordinators.'), status: 403 });
    const { report, chartPng } = res.value;
    const name = `mappa-statistics-${report.period.from}-to-${report.period.to}`;
    if (format === 'png') return ok({ fileName: `${name}.png`, body: chartPng });
    if (format === 'csv')
      return ok({ fileName: `${name}.csv`, body: Buffer.from(reportCsv(report, deps.marking), 'utf8') });
    try {
      return ok({ fileName: `${name}.docx`, body: await deps.document.docx(report, chartPng, deps.marking) });
    } catch {
      return err({
        ...appError(
          'DOCUMENT_UNAVAILABLE',
          'The Word document could not be produced just now: type report again for a new link.',
        ),
        status: 503,
      });
    }
  };
}
