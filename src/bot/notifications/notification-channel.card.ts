import { randomUUID } from 'node:crypto';
import {
  notificationSummary,
  type DecisionVerb,
  type NotificationDeadline,
  type NotificationSummary,
} from '../../app/notifications';
import { formatUkDate, formatUkDateTime, whereNowLabel } from '../../domain/format';
import type { AdaptiveCardJson } from '../cards/render';
import type { HandlerContext, OpenHandlerContext } from '../handler-context';
import { coordinatorUserIds as coordinatorIds } from '../proactive/coordinators';
import { postKeys } from '../proactive/post-keys';
import type { NotificationBotDeps } from './deps';

const postKey = postKeys.notification;
/** Notification dates are days; decisions and receipts are moments. */
export const ukDate = (iso: string) => (iso.length === 10 ? formatUkDate(iso) : formatUkDateTime(iso));

const days = (n: number) => `${n} working day${n === 1 ? '' : 's'}`;

/** Each deadline in words (a state is never shown by colour alone), for the card's facts. */
function deadlineText(d: NotificationDeadline): string {
  if (d.done)
    return d.lateBy ? `Met ${days(d.lateBy)} late (due ${ukDate(d.due)})` : `Met on time (due ${ukDate(d.due)})`;
  if (d.lateBy) return `${ukDate(d.due)} · ${days(d.lateBy)} overdue`;
  return `${ukDate(d.due)} · ${days(d.daysLeft ?? 0)} left`;
}

const DECIDED: Readonly<Record<DecisionVerb, string>> = {
  level1: 'Managed at Level 1',
  awaitReferral: 'Accepted, referral awaited',
  askToRefer: 'Accepted, lead agency asked to refer',
};

/** The line read first: the decision deadline while open, then who decided what and when. */
function statusLine(s: NotificationSummary): { text: string; urgent: boolean } {
  const d = s.decision;
  if (d) {
    const what = d.verb ? DECIDED[d.verb] : d.outcome === 'returned' ? 'Returned' : 'Accepted';
    return { text: `${what}: decided by ${d.byName}, ${formatUkDate(d.at)}`, urgent: false };
  }
  const due = s.deadlines.find((x) => x.key === 'coordinatorDecision');
  if (!due) return { text: 'Waiting for the co-ordinator’s decision', urgent: false };
  const left = due.lateBy ? `${days(due.lateBy)} overdue` : `${days(due.daysLeft ?? 0)} left`;
  return { text: `Decide by ${ukDate(due.due)} · ${left}`, urgent: (due.lateBy ?? 0) > 0 || (due.daysLeft ?? 0) <= 2 };
}

/** Identifier names as the notification form labels them. */
const IDENTIFIER_LABELS: Readonly<Record<string, string>> = {
  pnc: 'PNC',
  crn: 'nDelius CRN',
  visor: 'ViSOR reference',
  prisonNumber: 'Prison number',
  chi: 'CHI number',
};

/** The card everyone in the channel sees: reference, category, initials; details only per user. */
export function channelCard(
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
          .map(([k, v]) => ({ title: IDENTIFIER_LABELS[k] ?? k, value: String(v) })),
        { title: 'Where now', value: whereNowLabel(f.custodyStatus) },
        ...(f.sentenceDate ? [{ title: 'Sentence date', value: ukDate(f.sentenceDate) }] : []),
        ...(f.expectedReleaseDate ? [{ title: 'Expected release', value: ukDate(f.expectedReleaseDate) }] : []),
        { title: 'Eligibility', value: f.eligibilityReasons.join('; ') },
        ...(f.notes ? [{ title: 'Notes', value: f.notes }] : []),
      ]
    : [];
  const decided = s.decision !== undefined;
  const status = statusLine(s);
  const deadlineFacts = s.deadlines
    // The decision deadline is the status line; a referral date shows once the co-ordinator has set one.
    .filter((d) => d.key !== 'coordinatorDecision' && (d.key !== 'referralAfterNotification' || decided))
    .map((d) => ({ title: d.label, value: deadlineText(d) }));
  return h.card('notification-channel', {
    notificationId: s.id,
    refreshUserIds: opts.refreshUserIds.slice(0, 60),
    caseRef: s.caseRef,
    statusLine: status.text,
    statusUrgent: status.urgent,
    facts: [
      { title: 'Category', value: s.categoryLabel },
      { title: 'Subject', value: s.initials },
      { title: 'Lead agency', value: s.leadAgencyName },
      { title: 'Received', value: ukDate(s.receivedOn) },
      ...deadlineFacts,
    ],
    showDetail: f !== undefined,
    detail,
    withheldText: f && f.withheld.length ? `${f.withheld.length} police-only field(s) withheld from your view.` : '',
    decided,
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

/** Co-ordinators whose view of the channel card refreshes to the detailed one. */
export function coordinatorUserIds(deps: NotificationBotDeps, tenantId: string): Promise<string[]> {
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
  // A repeat delivery can arrive while the first post is still on its way to Teams: a lease on the post
  // lets one of them post; the other answers as posted. A holder that dies loses the lease when it expires,
  // so the sender's next retry posts the card.
  const { areaId, claims } = deps.receive;
  const key = `post:${postKey(notificationId)}`;
  const owner = randomUUID();
  if (!(await claims.acquire(areaId, key, owner, POST_LEASE_MS))) return 'already_posted';
  try {
    if (await deps.cardPosts.get(postKey(notificationId))) return 'already_posted';
    const channel = await deps.conversations.coordinatorChannel(areaId);
    if (!channel) return 'no_channel';
    const summary = await notificationSummary(deps.receive, notificationId, null);
    if (!summary.ok) return 'no_channel';
    const card = channelCard(h, summary.value, { refreshUserIds: await coordinatorUserIds(deps, tenantId) });
    const posted = await deps.messenger.postCard(channel, card, 'the notification card', {
      dedupeKey: `card:${postKey(notificationId)}`,
      recordAs: postKey(notificationId),
      about: summary.value.caseRef,
    });
    await deps.cardPosts.save({
      key: postKey(notificationId),
      ...posted,
      targetConversationId: channel.conversationId,
    });
    return 'posted';
  } finally {
    await claims.release(areaId, key, owner).catch(() => undefined);
  }
}

/** Longer than a post with the messenger's retries takes, short enough for the sender's next retry. */
const POST_LEASE_MS = 60_000;

/**
 * After a decision the channel card changes for everyone, not just the clicker. `summary` is the
 * channel's (no `full`): whatever the clicker may read stays out of the card everyone sees.
 */
export async function updateChannelCard(
  h: Pick<HandlerContext, 'card'>,
  deps: NotificationBotDeps,
  summary: NotificationSummary,
  refreshUserIds: string[],
): Promise<void> {
  if (summary.full) throw new Error('The channel card is built from the minimal summary only');
  const post = await deps.cardPosts.get(postKey(summary.id));
  if (!post) return;
  const target = await deps.conversations.byConversationId(post.targetConversationId);
  if (!target) return;
  const card = channelCard(h, summary, { refreshUserIds });
  await deps.messenger.updateCard(target, post, card, 'the notification card');
}

/**
 * The channel card as this reader may see it: details only for those entitled to the case. Anyone
 * else (or a refresh from someone not enrolled) keeps the minimal view the channel has.
 */
export async function viewCard(
  h: Pick<OpenHandlerContext, 'card' | 'deps' | 'principal'>,
  notificationId: string | undefined,
  refreshUserIds: () => Promise<string[]>,
): Promise<AdaptiveCardJson> {
  const deps = h.deps.notifications;
  const summary =
    notificationId === undefined ? null : await notificationSummary(deps.receive, notificationId, h.principal);
  if (!summary?.ok)
    return h.card('notice', { title: 'Not found', message: 'I cannot find that notification.', facts: [] });
  return channelCard(h, summary.value, { refreshUserIds: await refreshUserIds() });
}
