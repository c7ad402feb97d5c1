import { correctMinutes } from '../../app/minutes';
import type { ExecuteHandler } from '../capability';
import { isPersonal } from '../meetings/find-meeting';
import { updateMinutesCard } from './minutes.card';
import { openForReview, PERSONAL_ONLY, reviewCardOf } from './review.card';
import type { CorrectPayload } from './catalogue';
import type { z } from 'zod';

/** "Correct…": with a reason, opens the next version as a draft; the approved one stays in the history. */
export const correctVerb: ExecuteHandler<z.output<typeof CorrectPayload>> = async (h, p) => {
  if (!isPersonal(h)) return h.card('notice', { title: 'Not changed', message: PERSONAL_ONLY, facts: [] });
  const opened = await openForReview(h, p.minutesId);
  if (!opened.ok) return opened.card;
  if (p.reason.trim() === '')
    return reviewCardOf(h, opened.view, {
      reason: p.reason,
      reasonError: 'Say why the approved minutes need correcting: the reason is kept with the new version.',
    });
  const res = await correctMinutes(h.deps.minutes.run, h.principal, p.minutesId, {
    version: p.version ?? -1,
    reason: p.reason,
  });
  const reopened = await openForReview(h, p.minutesId);
  if (!reopened.ok) return reopened.card;
  const now = reopened.view.minutes;
  // Lost a race to someone else's correction: say whose and why, and keep this reader's reason to add to it.
  if (!res.ok && now.status !== 'approved' && now.correction)
    return reviewCardOf(h, reopened.view, {
      notice:
        `No second correction was opened: ${now.correction.by.displayName} already opened version ${now.revision} ` +
        `to correct version ${now.correction.corrects}, because: "${now.correction.reason}". ` +
        `Your reason was not saved; it is kept here so you can add it to that draft: "${p.reason.trim()}"`,
    });
  if (!res.ok)
    return reviewCardOf(h, reopened.view, {
      notice: `No correction was opened. ${res.error.message}`,
      ...(reopened.view.minutes.status === 'approved' ? { reason: p.reason } : {}),
    });
  await updateMinutesCard(h, res.value.meetingId);
  return reviewCardOf(h, reopened.view, {
    notice: `Version ${res.value.revision} is open as a draft to correct: edit the sections, then approve it. Version ${res.value.revision - 1} stays, approved, in the history.`,
  });
};
