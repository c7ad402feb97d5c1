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
  const typed = p.reason.trim();
  if (!res.ok && res.error.code === 'VALIDATION_FAILED') {
    const why = res.error.fieldErrors.reason ?? res.error.message;
    // The reason box is on the approved card only; on a draft the typed reason goes in the notice.
    return now.status === 'approved'
      ? reviewCardOf(h, reopened.view, { reason: p.reason, reasonError: why })
      : reviewCardOf(h, reopened.view, { notice: `No correction was opened. ${why} Your reason: "${typed}"` });
  }
  // Lost a race to someone else's correction: say whose and why, and keep this reader's reason to add to it.
  if (!res.ok && now.status !== 'approved' && now.correction)
    return reviewCardOf(h, reopened.view, {
      notice:
        `No second correction was opened: ${now.correction.by.displayName} already opened version ${now.revision} ` +
        `to correct version ${now.correction.corrects}, because: "${now.correction.reason}". ` +
        `Your reason was not saved; it is kept here so you can add it to that draft: "${typed}"`,
    });
  // The click was made on the draft, and someone approved it in between: say who, and that the
  // correction can be opened now, with the reason kept in its box.
  if (!res.ok && now.status === 'approved' && p.version !== now.version && now.approvedBy)
    return reviewCardOf(h, reopened.view, {
      notice:
        `${now.approvedBy.displayName} approved version ${now.revision} just now, so no correction was opened ` +
        'from your click (it was made on the draft). The correction can be opened now: your reason is kept ' +
        'below, so press Correct… again.',
      reason: p.reason,
    });
  if (!res.ok)
    return reviewCardOf(h, reopened.view, {
      notice:
        `No correction was opened. ${res.error.message}` +
        (now.status === 'approved' ? '' : ` Your reason is kept here: "${typed}"`),
      ...(now.status === 'approved' ? { reason: p.reason } : {}),
    });
  await updateMinutesCard(h, res.value.meetingId);
  return reviewCardOf(h, reopened.view, {
    notice: `Version ${res.value.revision} is open as a draft to correct: edit the sections, then approve it. Version ${res.value.revision - 1} stays, approved, in the history.`,
  });
};
