import { receiveNotification } from '../../app/notifications';
import type { ExecuteHandler } from '../capability';
import type { NotificationFormPayload } from './catalogue';
import { logFailure } from './log-failure';
import { postNotificationToChannel, ukDate } from './notification-channel.card';
import { notificationFormCard } from './notification-form.card';

/** The form sent: saved and posted to the co-ordinator channel, or the form again with what was typed. */
export const submitVerb: ExecuteHandler<NotificationFormPayload> = async (h, p) => {
  const deps = h.deps.notifications;
  const member = h.principal.member;
  const actor = {
    aadObjectId: h.principal.aadObjectId,
    tenantId: h.principal.tenantId,
    displayName: member?.displayName ?? 'Unknown',
  };
  let res;
  try {
    res = await receiveNotification(deps.receive, p.form, { actor }, p.draftId ? { idempotencyKey: p.draftId } : {});
  } catch (e) {
    logFailure(h.deps.logger, e, 'could not save a notification');
    // The draft id makes pressing Send again safe: it completes, never duplicates.
    return notificationFormCard(
      h,
      p,
      {},
      'I could not save this just now (the database did not answer). Your answers are kept: please press Send again.',
    );
  }
  if (!res.ok) {
    const e = res.error;
    if (e.code === 'IDEMPOTENCY_CONFLICT')
      return notificationFormCard(
        h,
        p,
        {},
        'This form was already sent for a different person, so it was not sent again. Your answers are kept here: type **notify** to open a new form for this person.',
      );
    const fieldErrors = 'fieldErrors' in e ? e.fieldErrors : { leadAgencyId: e.message };
    return notificationFormCard(h, p, fieldErrors, fieldErrors.form ?? '');
  }
  const { notification, created } = res.value;
  let channelNote = 'The co-ordinator has been notified in their channel.';
  try {
    const outcome = await postNotificationToChannel(h, deps, notification.id, h.principal.tenantId);
    if (outcome === 'no_channel')
      channelNote =
        'Saved. The co-ordinator channel is not set up yet, so no card has been posted: ask your MAPPA admin to set it up, then press Send again to post it.';
  } catch (e) {
    logFailure(h.deps.logger, e, 'could not post the notification card');
    channelNote =
      'Saved, but the co-ordinator channel could not be reached just now, so the co-ordinator has not seen it yet. Press Send again in a moment to post it: it will not be saved twice.';
  }
  // No case reference: the person may already have a case this notifier cannot see, and naming it
  // (or not) would tell them whether the person is known to MAPPA. The co-ordinator's reply names it.
  // The next step: the MAPPA A for the same person. `refer new` with the name as typed on this form
  // (in this personal chat only) starts a draft with the name filled in; the identity rule links it to
  // the case on submit, so the notifier is still told no case reference.
  const name = [p.typed.givenName, p.typed.familyName]
    .map((w) => w.replace(/\s+/g, ' ').trim())
    .join(' ')
    .trim();
  return h.card('notice', {
    title: created ? 'Notification sent to the MAPPA co-ordinator' : 'Already sent to the MAPPA co-ordinator',
    message: `${channelNote} If the person needs Level 2 or 3 management, start the MAPPA A referral now: I'll ask one question at a time and save each answer.`,
    facts: [{ title: 'Received', value: ukDate(notification.notifiedOn) }],
    nextSteps: [{ title: 'Start the MAPPA A referral', command: `refer new${name ? ` ${name}` : ''}` }],
  });
};
