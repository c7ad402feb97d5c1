import type { ExecuteHandler } from '../capability';
import { minutesAnswer } from './minutes.card';

const FORMAT = { docx: 'Word document', pdf: 'PDF' } as const;

/**
 * "Download Word" / "Download PDF": a single-use, short-lived link made for the clicker and shown only
 * in the answer to their click. Permission is checked now and again when the link is used.
 */
export const downloadVerb: ExecuteHandler<{ minutesId: string; format: 'docx' | 'pdf' }> = async (h, p) => {
  const deps = h.deps.minutes;
  const url = await deps.link(h.principal, p.minutesId, p.format);
  if (!url) return minutesAnswer(h, p.minutesId);
  const minutes = Math.max(1, Math.round(deps.linkTtlSeconds / 60));
  return minutesAnswer(h, p.minutesId, {
    notice: `Your link to the ${FORMAT[p.format]} works once, for you only, within ${minutes} minute${minutes === 1 ? '' : 's'}.`,
    download: {
      url,
      title: `Open the ${FORMAT[p.format]} (single use, expires in ${minutes} minute${minutes === 1 ? '' : 's'})`,
    },
  });
};
