import { randomUUID } from 'node:crypto';
import { MessageFactory } from 'botbuilder';
import { z } from 'zod';
import { formatUkDate, formatUkDateTime } from '../../domain/format';
import { leadAgencyChoices } from '../../domain/agency.schema';
import { categoriesFor } from '../../domain/eligibility';
import { can } from '../../domain/policy';
import {
  decideNotification,
  notificationSummary,
  receiveNotification,
  type NotificationSummary,
  type ReceiveDeps,
} from '../../app/notifications';
import { NOTIFICATION_FIELDS } from '../../app/notifications';
import type { CardPostRepository } from '../../app/ports/card-posts.port';
import type { ConversationDirectory } from '../../app/ports/conversations.port';
import { cardAttachment, type AdaptiveCardJson, type CardData } from '../cards/render';
import type { HandlerContext } from '../mappa.bot';
import type { TeamsMessenger } from '../proactive/messenger';
import { coordinatorUserIds as coordinatorIds } from './coordinators';

export interface NotificationBotDeps {
  readonly receive: ReceiveDeps;
  readonly messenger: TeamsMessenger;
  readonly cardPosts: CardPostRepository;
  readonly conversations: ConversationDirectory;
}

export type NotificationVerb =
  | 'notification.submit'
  | 'notification.level1'
  | 'notification.awaitReferral'
  | 'notification.askToRefer'
  | 'notification.open'
  | 'notification.refresh';

const DECISIONS = {
  'notification.level1': 'level1',
  'notification.awaitReferral': 'awaitReferral',
  'notification.askToRefer': 'askToRefer',
} as const;

const IdData = z.object({ notificationId: z.string().min(1).max(128) });
const FORM_KEYS = [...NOTIFICATION_FIELDS, 'identifiers'] as const;
const postKey = (id: string) => `notification:${id}`;
const ukDate = (iso: string) => (iso.length === 10 ? formatUkDate(iso) : formatUkDateTime(iso));

/** `notify`: the notification form, with a draft id that makes a double submit harmless. */
export async function notifyCommand(h: HandlerContext, deps: NotificationBotDeps): Promise<void> {
  const card = await formCard(h, deps, {}, {}, '');
  await h.turn.sendActivity(MessageFactory.attachment(cardAttachment(card)));
}

async function formCard(
  h: HandlerContext,
  deps: NotificationBotDeps,
  input: Record<string, unknown>,
  errors: Record<string, string>,
  formError: string,
): Promise<AdaptiveCardJson> {
  const area = await deps.receive.repos.members.getArea(deps.receive.areaId);
  const agencies = area.ok ? leadAgencyChoices(area.value.agencies) : [];
  const categories = area.ok ? categoriesFor(area.value.jurisdiction) : [];
  const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 2000) : '');
  const draftId = typeof input.draftId === 'string' && input.draftId ? input.draftId.slice(0, 64) : randomUUID();
  return h.card('notification-form', {
    title: 'New MAPPA notification',
    formError,
    draftId,
    agencies: agencies.map((a) => ({ title: a.name, value: a.id })),
    categories: categories.map((c) => ({ title: c.label, value: c.category })),
    values: Object.fromEntries(NOTIFICATION_FIELDS.map((f) => [f, text(input[f])])),
    errors: Object.fromEntries(FORM_KEYS.map((f) => [f, errors[f] ?? ''])),
  });
}

function deadlineRows(s: NotificationSummary): CardData<'notification-channel'>['deadlines'] {
  return s.deadlines.map((d) => {
    if (d.done) {
      return {
        label: d.label,
        text: d.lateBy ? `done, ${d.lateBy} working days late` : 'done',
        color: 'Good' as const,
      };
    }
    if (d.lateBy)
      return {
        label: d.label,
        text: `late by ${d.lateBy} working days (due ${ukDate(d.due)})`,
        color: 'Attention' as const,
      };
    const left = d.daysLeft ?? 0;
    return {
      label: d.label,
      text: `due ${ukDate(d.due)} (${left} working day${left === 1 ? '' : 's'} left)`,
      color: left <= 2 ? ('Warning' as const) : ('Default' as const),
    };
  });
}

/** The card everyone in the channel sees: reference, category, initials; details only per user. */
function channelCard(
  h: Pick<HandlerContext, 'card'>,
  s: NotificationSummary,
  opts: { refreshUserIds: string[]; notice?: string },
): AdaptiveCardJson {
  const f = s.full;
  const detail = f
    ? [
        { title: 'Name', value: `${f.names.given} ${f.names.family}` },
        ...(f.names.aliases.length ? [{ title: 'Aliases', value: f.names.aliases.join(', ') }] : []),
        { title: 'Date of birth', value: ukDate(f.dateOfBirth) },
        ...Object.entries(f.identifiers)
          .filter(([, v]) => typeof v === 'string' && v)
          .map(([k, v]) => ({ title: k.toUpperCase(), value: String(v) })),
        { title: 'Now', value: f.custodyStatus },
        ...(f.expectedReleaseDate ? [{ title: 'Expected release', value: ukDate(f.expectedReleaseDate) }] : []),
        { title: 'Eligibility', value: f.eligibilityReasons.join('; ') },
        ...(f.notes ? [{ title: 'Notes', value: f.notes }] : []),
      ]
    : [];
  return h.card('notification-channel', {
    notificationId: s.id,
    refreshUserIds: opts.refreshUserIds.slice(0, 60),
    caseRef: s.caseRef,
    categoryLabel: s.categoryLabel,
    initials: s.initials,
    leadAgencyName: s.leadAgencyName,
    receivedOn: ukDate(s.receivedOn),
    deadlines: deadlineRows(s),
    showDetail: f !== undefined,
    detail,
    withheldText: f && f.withheld.length ? `${f.withheld.length} police-only field(s) withheld from your view.` : '',
    decided: s.decision !== undefined,
    decisionText: s.decision?.label ?? '',
    decidedBy: s.decision?.byName ?? '',
    decidedAt: s.decision ? ukDate(s.decision.at) : '',
    notice: opts.notice ?? '',
    joinedText: s.joinedExistingCase
      ? 'This person already had an open case: this notification was added to it rather than opening another.'
      : '',
    identityWarning:
      f?.identityConflictRefs != null
        ? `A reference number on this notification also belongs to ${
            f.identityConflictRefs.length ? f.identityConflictRefs.join(', ') : 'another person’s record'
          }, with a different name or date of birth. It was not linked: check both records before deciding.`
        : '',
    referralRuleText: s.referralDueDefault
      ? `${s.referralRuleLabel ?? 'Area rule'}: by ${ukDate(s.referralDueDefault)} unless you choose another date.`
      : 'This area sets no referral timescale: choose the date by which the referral is expected, so it can be chased.',
    referralDueDefault: s.referralDueDefault ?? '',
    today: s.today,
  });
}

function coordinatorUserIds(deps: NotificationBotDeps, tenantId: string): Promise<string[]> {
  return coordinatorIds(deps.receive.repos.members, deps.conversations, deps.receive.areaId, tenantId);
}

/** Posts (or re-posts after a failure) the minimal card in the co-ordinator channel. */
export async function postNotificationToChannel(
  h: Pick<HandlerContext, 'card'>,
  deps: NotificationBotDeps,
  notificationId: string,
  tenantId: string,
): Promise<'posted' | 'already_posted' | 'no_channel'> {
  // Safe to call again after a failure or a repeated delivery: a card already posted is not posted twice.
  if (await deps.cardPosts.get(postKey(notificationId))) return 'already_posted';
  const channel = await deps.conversations.coordinatorChannel(deps.receive.areaId);
  if (!channel) return 'no_channel';
  const summary = await notificationSummary(deps.receive, notificationId, null);
  if (!summary.ok) return 'no_channel';
  const card = channelCard(h, summary.value, { refreshUserIds: await coordinatorUserIds(deps, tenantId) });
  const posted = await deps.messenger.postCard(channel, card, 'the notification card');
  await deps.cardPosts.save({ key: postKey(notificationId), ...posted, targetConversationId: channel.conversationId });
  return 'posted';
}

async function updateChannelCard(
  h: HandlerContext,
  deps: NotificationBotDeps,
  notificationId: string,
  refreshUserIds: string[],
): Promise<void> {
  const post = await deps.cardPosts.get(postKey(notificationId));
  if (!post) return;
  const target = await deps.conversations.byConversationId(post.targetConversationId);
  const summary = await notificationSummary(deps.receive, notificationId, null);
  if (!target || !summary.ok) return;
  const card = channelCard(h, summary.value, { refreshUserIds });
  await deps.messenger.updateCard(target, post, card, 'the notification card');
}

export async function notificationCardAction(
  h: HandlerContext,
  deps: NotificationBotDeps,
  verb: NotificationVerb,
  data: Record<string, unknown>,
): Promise<AdaptiveCardJson> {
  if (verb === 'notification.submit') return submit(h, deps, data);
  const parsed = IdData.safeParse(data);
  if (!parsed.success) {
    return h.card('notice', { title: 'That card is out of date', message: 'Please use the latest card.', facts: [] });
  }
  const id = parsed.data.notificationId;
  if (verb === 'notification.open' || verb === 'notification.refresh') {
    // Only readers entitled to the case get details; everyone else keeps the minimal view.
    const viewer = can(h.principal, 'notification.decide').allowed ? h.principal : null;
    const summary = await notificationSummary(deps.receive, id, viewer);
    if (!summary.ok)
      return h.card('notice', { title: 'Not found', message: 'I cannot find that notification.', facts: [] });
    return channelCard(h, summary.value, { refreshUserIds: await coordinatorUserIds(deps, h.principal.tenantId) });
  }
  const referralDue = typeof data.referralDue === 'string' ? data.referralDue.slice(0, 20) : undefined;
  const decided = await decideNotification(deps.receive, h.principal, id, DECISIONS[verb], undefined, referralDue);
  if (!decided.ok) {
    const summary = await notificationSummary(deps.receive, id, null);
    if (!summary.ok)
      return h.card('notice', { title: 'Not found', message: 'I cannot find that notification.', facts: [] });
    const e = decided.error;
    const notice = 'fieldErrors' in e ? Object.values(e.fieldErrors).join(' ') : e.message;
    return channelCard(h, summary.value, { refreshUserIds: [], notice: `Nothing was decided. ${notice}` });
  }
  const d = decided.value;
  const notices: string[] = [];
  if (d.alreadyDecided) notices.push('This notification had already been decided; nothing was changed.');
  const refreshUserIds = await coordinatorUserIds(deps, h.principal.tenantId);
  if (!d.alreadyDecided) {
    await updateChannelCard(h, deps, id, refreshUserIds).catch((e: unknown) => {
      logFailure(h, e, 'could not update the notification card');
      notices.push('The channel card could not be updated for everyone yet.');
    });
  }
  if (!d.alreadyDecided && d.messageTo) {
    const chat = await deps.conversations.personalChatOf(h.principal.tenantId, d.messageTo.aadObjectId);
    const text = `The MAPPA co-ordinator asks you to make a MAPPA A referral for case ${d.caseRef}${
      d.referralDue ? ` by ${ukDate(d.referralDue)}` : ''
    }. Type **refer ${d.caseRef}** to start.`;
    if (chat) {
      await deps.messenger.sendPersonal(chat, text, 'the referral request').catch((e: unknown) => {
        logFailure(h, e, 'could not send the referral request');
        notices.push('The lead agency could not be messaged in Teams; please contact them directly.');
      });
    } else {
      notices.push('The notifier has no chat with me yet; please contact the lead agency directly.');
    }
  } else if (!d.alreadyDecided && d.messageTo === null) {
    notices.push('This notification came from a case-management system: please ask the lead agency to refer.');
  }
  const summary = await notificationSummary(deps.receive, id, h.principal);
  if (!summary.ok)
    return h.card('notice', { title: 'Not found', message: 'I cannot find that notification.', facts: [] });
  return channelCard(h, summary.value, {
    refreshUserIds,
    notice: notices.join(' '),
  });
}

async function submit(
  h: HandlerContext,
  deps: NotificationBotDeps,
  data: Record<string, unknown>,
): Promise<AdaptiveCardJson> {
  const member = h.principal.member;
  const actor = {
    aadObjectId: h.principal.aadObjectId,
    tenantId: h.principal.tenantId,
    displayName: member?.displayName ?? 'Unknown',
  };
  const draftId = typeof data.draftId === 'string' ? data.draftId.slice(0, 64) : undefined;
  let res;
  try {
    res = await receiveNotification(deps.receive, data, { actor }, draftId ? { idempotencyKey: draftId } : {});
  } catch (e) {
    logFailure(h, e, 'could not save a notification');
    // The draft id makes pressing Send again safe: it completes, never duplicates.
    return formCard(
      h,
      deps,
      data,
      {},
      'I could not save this just now (the database did not answer). Your answers are kept: please press Send again.',
    );
  }
  if (!res.ok) {
    const e = res.error;
    if (e.code === 'IDEMPOTENCY_CONFLICT')
      return formCard(
        h,
        deps,
        data,
        {},
        'This form was already sent for a different person, so it was not sent again. Your answers are kept here: type **notify** to open a new form for this person.',
      );
    const fieldErrors = 'fieldErrors' in e ? e.fieldErrors : { leadAgencyId: e.message };
    return formCard(h, deps, data, fieldErrors, fieldErrors.form ?? 'Some fields need attention.');
  }
  const { notification, created } = res.value;
  let channelNote = 'The co-ordinator has been notified in their channel.';
  try {
    const outcome = await postNotificationToChannel(h, deps, notification.id, h.principal.tenantId);
    if (outcome === 'no_channel')
      channelNote =
        'Saved. The co-ordinator channel is not set up yet, so no card has been posted: ask your MAPPA admin to set it up, then press Send again to post it.';
  } catch (e) {
    logFailure(h, e, 'could not post the notification card');
    channelNote =
      'Saved, but the co-ordinator channel could not be reached just now, so the co-ordinator has not seen it yet. Press Send again in a moment to post it: it will not be saved twice.';
  }
  // No case reference: the person may already have a case this notifier cannot see, and naming it
  // (or not) would tell them whether the person is known to MAPPA. The co-ordinator's reply names it.
  return h.card('notice', {
    title: created ? 'Notification sent to the MAPPA co-ordinator' : 'Already sent to the MAPPA co-ordinator',
    message: channelNote,
    facts: [{ title: 'Received', value: ukDate(notification.notifiedOn) }],
  });
}

/** What a refresh shows someone not entitled to more: the same minimal card the channel has. */
export async function minimalNotificationCard(
  h: Pick<HandlerContext, 'card'>,
  deps: NotificationBotDeps,
  data: Record<string, unknown>,
): Promise<AdaptiveCardJson> {
  const parsed = IdData.safeParse(data);
  const summary = parsed.success ? await notificationSummary(deps.receive, parsed.data.notificationId, null) : null;
  if (!summary?.ok)
    return h.card('notice', { title: 'Not found', message: 'I cannot find that notification.', facts: [] });
  return channelCard(h, summary.value, { refreshUserIds: [] });
}

/** Only the error's class and code: messages may quote what was sent. */
function logFailure(h: HandlerContext, e: unknown, what: string): void {
  h.deps.logger.warn({ error: { class: (e as Error).name, code: (e as { code?: unknown }).code } }, what);
}
