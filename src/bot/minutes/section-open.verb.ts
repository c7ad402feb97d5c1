import { APPROVED_REFUSAL } from '../../app/minutes';
import type { MinutesSectionId } from '../../domain/minutes.schema';
import type { ExecuteHandler } from '../capability';
import { isPersonal } from '../meetings/find-meeting';
import { openForReview, PERSONAL_ONLY, readerHasVisor, reviewCardOf, sectionCardOf } from './review.card';

export const staleNotice = (revision: number) =>
  `That card showed an earlier version of the minutes; this is version ${revision} as it stands now. Nothing was changed.`;

const NOT_A_SECTION =
  'That is not a section of these minutes, so nothing was opened. Press Edit beside the section you want below.';

/** "Edit <section>": the section on its own card, prefilled. An approved or stale version gets the current state. */
export const sectionOpenVerb: ExecuteHandler<{
  minutesId: string;
  section?: MinutesSectionId | undefined;
  revision?: number | undefined;
  part?: string | undefined;
  page?: number | undefined;
}> = async (h, p) => {
  if (!isPersonal(h)) return h.card('notice', { title: 'Not changed', message: PERSONAL_ONLY, facts: [] });
  const opened = await openForReview(h, p.minutesId);
  if (!opened.ok) return opened.card;
  const m = opened.view.minutes;
  if (m.status === 'approved') return reviewCardOf(h, opened.view, { notice: APPROVED_REFUSAL });
  if (p.section === undefined) return reviewCardOf(h, opened.view, { notice: NOT_A_SECTION });
  if (p.revision !== m.revision) return reviewCardOf(h, opened.view, { notice: staleNotice(m.revision) });
  return sectionCardOf(h, opened.view, p.section, await readerHasVisor(h), { part: p.part, page: p.page });
};
