import { MessageFactory, TeamsInfo } from 'botbuilder';
import { z } from 'zod';
import {
  meetingProgress,
  meetingReaders,
  previousActions,
  viewMeeting,
  type MeetingProgress,
} from '../../app/meetings';
import type { ConversationTarget } from '../../app/ports/conversations.port';
import { conversationTargetOf } from '../activity-identity';
import { cardAttachment, type AdaptiveCardJson } from '../cards/render';
import type { HandlerContext, OpenHandlerContext } from '../handler-context';
import { logFailure } from '../notifications/log-failure';
import { postKeys } from '../proactive/post-keys';
import { meetingCard } from './meeting.card';

/** Teams shows user-specific views to at most 60 people per card. */
export const MAX_REFRESH_USERS = 60;
const ROSTER_CAP = 1000;

const RosterAccount = z.object({ id: z.string().min(1).max(256), aadObjectId: z.string().min(1).max(64) }).loose();
const RosterPage = z.object({ members: z.array(z.unknown()).default([]), continuationToken: z.string().optional() });

/**
 * The people in the meeting's conversation whose view of the meeting card refreshes to the detailed
 * one: enrolled members of invited agencies (and co-ordinators), the chair first. Beyond 60 (the
 * platform's limit) the rest keep the minimal card and its "Show details (only you)" button, which
 * answers them alone. Empty when Teams does not give the roster: everyone then has that button.
 *
 * The roster is read by the conversation's id (the team's, for a channel), not from the turn, so a
 * form saved in someone's personal chat refreshes the shared card for the same people.
 */
export async function readerUserIds(
  h: OpenHandlerContext,
  p: MeetingProgress,
  where: ConversationTarget | null,
): Promise<string[]> {
  if (!where || where.conversationType === 'personal') return [];
  const rosterId = where.teamId ?? where.conversationId;
  const people: z.infer<typeof RosterAccount>[] = [];
  try {
    let token: string | undefined;
    do {
      const page = RosterPage.parse(await TeamsInfo.getPagedTeamMembers(h.turn, rosterId, 500, token));
      for (const m of page.members) {
        const a = RosterAccount.safeParse(m);
        if (a.success) people.push({ id: a.data.id, aadObjectId: a.data.aadObjectId.toLowerCase() });
      }
      token = page.continuationToken || undefined;
    } while (token && people.length < ROSTER_CAP);
  } catch (e) {
    logFailure(h.deps.logger, e, 'could not read the meeting conversation roster');
    return [];
  }
  const allowed = new Set(
    await meetingReaders(
      h.deps.meetings.run,
      p.meeting,
      p.tenantId,
      people.map((x) => x.aadObjectId),
    ),
  );
  const chair = p.meeting.chair.aadObjectId?.toLowerCase();
  return people
    .filter((x) => allowed.has(x.aadObjectId))
    .sort((a, b) => Number(b.aadObjectId === chair) - Number(a.aadObjectId === chair))
    .slice(0, MAX_REFRESH_USERS)
    .map((x) => x.id);
}

/** Posts the one shared card in this conversation and remembers it, so later steps update it in place. */
export async function postMeetingCard(h: HandlerContext, meetingId: string): Promise<void> {
  const deps = h.deps.meetings;
  const p = await meetingProgress(deps.run, meetingId);
  const target = conversationTargetOf(h.turn.activity);
  if (!p || !target) return;
  const card = meetingCard(h, {
    progress: p,
    view: null,
    principal: null,
    refreshUserIds: await readerUserIds(h, p, target),
  });
  const res = await h.turn.sendActivity(MessageFactory.attachment(cardAttachment(card)));
  await deps.cardPosts.save({
    key: postKeys.meeting(meetingId),
    conversationId: h.turn.activity.conversation.id,
    activityId: res?.id ?? '',
    targetConversationId: target.conversationId,
  });
}

/**
 * After a step, the shared card in the meeting's conversation changes for everyone (minimal content;
 * Teams then refreshes each listed reader's view), whether the step was taken there or on a form in
 * someone's personal chat. Returns the readers listed, or null when there is no shared card to
 * update. Never fails the step.
 */
export async function updateMeetingCard(h: OpenHandlerContext, meetingId: string): Promise<readonly string[] | null> {
  const deps = h.deps.meetings;
  try {
    const post = await deps.cardPosts.get(postKeys.meeting(meetingId));
    if (!post) return null;
    const target = await deps.conversations.byConversationId(post.targetConversationId);
    const p = await meetingProgress(deps.run, meetingId);
    if (!target || !p) return null;
    const ids = await readerUserIds(h, p, target);
    const card = meetingCard(h, { progress: p, view: null, principal: null, refreshUserIds: ids });
    await deps.messenger.updateCard(target, post, card, 'the meeting card');
    return ids;
  } catch (e) {
    logFailure(h.deps.logger, e, 'could not update the meeting card');
    return null;
  }
}

/**
 * The meeting card as this reader may see it, as the answer to their click: the detailed view (read
 * through `viewMeeting`, so redacted and audited) for an entitled reader, the minimal card for anyone
 * else. Nothing here says whether a reader was refused because of the case or the meeting.
 */
export async function meetingAnswer(
  h: OpenHandlerContext,
  meetingId: string,
  opts: { readonly notice?: string; readonly refreshUserIds?: readonly string[] | null } = {},
): Promise<AdaptiveCardJson> {
  const run = h.deps.meetings.run;
  const p = await meetingProgress(run, meetingId);
  if (!p) return h.card('notice', { title: 'Not found', message: 'I cannot find that meeting.', facts: [] });
  const self = h.turn.activity.from?.id;
  // The shared conversation's readers mean nothing on a card in someone's personal chat (a form saved
  // there): that card refreshes for its reader alone.
  const personal = (h.turn.activity.conversation?.conversationType ?? 'personal') === 'personal';
  const given = personal && opts.refreshUserIds?.length ? null : opts.refreshUserIds;
  const refreshUserIds = given ?? (self ? [self] : []);
  const notice = opts.notice ? { notice: opts.notice } : {};
  if (h.principal) {
    const view = await viewMeeting(run, h.principal, meetingId);
    if (view.ok) {
      const previous = await previousActions(run, view.value.meeting);
      return meetingCard(h, {
        progress: { ...p, meeting: view.value.meeting },
        view: view.value,
        principal: h.principal,
        previous,
        refreshUserIds,
        ...notice,
      });
    }
  }
  return meetingCard(h, {
    progress: p,
    view: null,
    principal: null,
    refreshUserIds: given ?? [],
    ...notice,
  });
}
