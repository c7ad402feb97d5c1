import { approveMinutes, type MinutesError } from '../../app/minutes';
import type { Minutes } from '../../domain/minutes.schema';
import type { Result } from '../../lib/result';
import type { ExecuteHandler } from '../capability';
import { isPersonal } from '../meetings/find-meeting';
import { updateMinutesCard } from './minutes.card';
import { openForReview, PERSONAL_ONLY, reviewCardOf } from './review.card';
import { staleNotice } from './section-open.verb';

/**
 * Approves the version the chair read. A second click, or an older card's button, approves nothing
 * more: it answers with the minutes as they stand. The shared card then says "approved" for everyone.
 */
export const approveVerb: ExecuteHandler<{ minutesId: string; version?: number | undefined }> = async (h, p) => {
  if (!isPersonal(h)) return h.card('notice', { title: 'Not changed', message: PERSONAL_ONLY, facts: [] });
  const opened = await openForReview(h, p.minutesId);
  if (!opened.ok) return opened.card;
  if (p.version === undefined)
    return reviewCardOf(h, opened.view, { notice: staleNotice(opened.view.minutes.revision) });
  const res: Result<Minutes, MinutesError> = await approveMinutes(h.deps.minutes.run, h.principal, p.minutesId, {
    version: p.version,
  });
  const reopened = await openForReview(h, p.minutesId);
  if (!reopened.ok) return reopened.card;
  if (!res.ok)
    return reviewCardOf(h, reopened.view, {
      notice: `Nothing more was approved. ${res.error.message} This card shows the minutes as they stand now.`,
    });
  await updateMinutesCard(h, res.value.meetingId);
  return reviewCardOf(h, reopened.view, {
    notice: `Approved version ${res.value.revision}. Content hash (SHA-256): ${res.value.contentHash ?? ''}. It can no longer be edited, only corrected with a reason.`,
  });
};
