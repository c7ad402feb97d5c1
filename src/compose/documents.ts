import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Db } from 'mongodb';
import type { MinutesExportDeps } from '../app/minutes-export';
import type { TransferSigner } from '../app/ports/transfer-signer.port';
import type { ExportDeps } from '../app/referral-export';
import type { StatsExportDeps } from '../app/stats';
import type { Config } from '../config/config';
import type { Area } from '../domain/area.schema';
import { docxMappaARenderer } from '../documents/mappa-a.docx';
import { minutesRenderer } from '../documents/minutes-renderer';
import { hmacDownloadLinkSigner } from '../documents/signed-link';
import { statsChartRenderer, statsDocumentRenderer } from '../documents/stats-renderer';
import { ed25519TransferSigner } from '../documents/transfer-signature';
import { MongoStatsQuery } from '../store';
import { MongoLinkClaims } from '../store/link-claims.repository';

/**
 * The single-use document links (MAPPA A, minutes, statistics) share one signer, one claim store and
 * one permission re-check at download; each export adds its own renderer.
 */
export function documentExports(d: {
  readonly config: Config;
  readonly db: Db;
  readonly area: Area;
  readonly base: Omit<ExportDeps, 'claims' | 'signer' | 'document' | 'marking' | 'ttlSeconds'>;
  readonly minutes: MinutesExportDeps['minutes'];
  readonly stats: Omit<StatsExportDeps['stats'], 'query' | 'chart' | 'areaId' | 'threshold'>;
}): { readonly mappaA: ExportDeps; readonly minutes: MinutesExportDeps; readonly stats: StatsExportDeps } {
  const { config } = d;
  const mappaA: ExportDeps = {
    ...d.base,
    claims: new MongoLinkClaims(d.db),
    signer: hmacDownloadLinkSigner(
      config.DOWNLOAD_LINK_SECRET ? Buffer.from(config.DOWNLOAD_LINK_SECRET, 'base64') : randomBytes(32),
    ),
    document: docxMappaARenderer,
    marking: config.PROTECTIVE_MARKING,
    ttlSeconds: config.DOWNLOAD_LINK_TTL_SECONDS,
  };
  return {
    mappaA,
    minutes: { ...mappaA, minutes: d.minutes, minutesDocument: minutesRenderer },
    stats: {
      ...mappaA,
      stats: {
        ...d.stats,
        query: new MongoStatsQuery(d.db),
        chart: statsChartRenderer,
        areaId: d.area.id,
        threshold: config.STATS_SUPPRESS_BELOW,
      },
      document: statsDocumentRenderer,
    },
  };
}

/** This deployment's transfer signing key; unset, a random one per process (README). */
export function transferSignerFrom(config: Config): TransferSigner {
  const privateKeyPem = config.TRANSFER_SIGNING_KEY
    ? Buffer.from(config.TRANSFER_SIGNING_KEY, 'base64').toString('utf8')
    : generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return ed25519TransferSigner({ keyId: config.TRANSFER_KEY_ID, privateKeyPem, trusted: config.TRANSFER_TRUSTED_KEYS });
}
