import { listMinutesVersions } from '../../app/minutes';
import { formatUkDateTime } from '../../domain/format';
import type { ExecuteHandler } from '../capability';
import { notFound } from './review.card';

/** Every version: who approved it and when, its hash, and why a correction was opened (who, when). */
export const historyVerb: ExecuteHandler<{ minutesId: string }> = async (h, p) => {
  const res = await listMinutesVersions(h.deps.minutes.run, h.principal, p.minutesId);
  if (!res.ok) return notFound(h);
  return h.card('notice', {
    title: 'Minutes: version history',
    message:
      res.value.length === 0
        ? 'No version has been approved yet.'
        : 'Each approved version is kept unchanged; a correction opens the next version with its reason.',
    facts: res.value.map((v) => ({
      title: `Version ${v.revision}`,
      value: [
        v.status === 'approved'
          ? `Approved by ${v.approvedBy?.displayName ?? 'unknown'}${v.approvedAt ? `, ${formatUkDateTime(v.approvedAt)}` : ''}`
          : 'Draft, not yet approved',
        v.correction
          ? `Correction of version ${v.correction.corrects} opened by ${v.correction.by.displayName}, ${formatUkDateTime(v.correction.at)}: ${v.correction.reason}`
          : '',
        v.contentHash ? `SHA-256 ${v.contentHash}` : '',
      ]
        .filter(Boolean)
        .join(' · '),
    })),
  });
};
