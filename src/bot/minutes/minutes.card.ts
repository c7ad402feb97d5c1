import { MessageFactory } from 'botbuilder';
import { meetingReaders } from '../../app/meetings';
import { compileMinutes, minutesSummary, openMinutes, type MinutesSummary, type MinutesView } from '../../app/minutes';
import { formatUkDate } from '../../domain/format';
import type { Meeting } from '../../domain/meeting.schema';
import type { Principal } from '../../domain/policy';
import { minutesBlocks } from '../../documents/minutes-content';
import { conversationTargetOf } from '../activity-identity';
import { cardAttachment, type AdaptiveCardJson } from '../cards/render';
import type { OpenHandlerContext } from '../handler-context';
import { logFailure } from '../notifications/log-failure';
import { postKeys } from '../proactive/post-keys';

/** Teams shows user-specific views to at most 60 people per card. */
const MAX_REFRESH_USERS = 60;

/** The minutes card of a meeting, in the meeting's conversation, remembered so approval updates it. */
export const minutesPostKey = (meetingId: string) => `minutes:${meetingId}`;

export const NO_MINUTES =
  'I cannot find minutes for that case reference that you are part of. Check the reference (for example MAPPA-2026-0042).';

const STATUS: Readonly<Record<MinutesSummary['status'], string>> = {
  draft: 'Draft',
  circulated: 'Circulated draft',
  approved: 'Approved',
};

/** In words: "Draft, version 1: waiting for the chair's approval", "Approved, version 2, on 14 Jan 2027". */
export function statusLine(s: Pick<MinutesSummary, 'status' | 'revision' | 'approvedAt'>): string {
  if (s.status === 'approved')
    return `Approved, version ${s.revision}${s.approvedAt ? `, on ${formatUkDate(s.approvedAt)}` : ''}`;
  return `${STATUS[s.status]}, version ${s.revision}: waiting for the chair's approval`;
}

/** What any reader of the shared conversation may see: references, date, levels, decision, counts. */
export function summaryFacts(s: MinutesSummary): { title: string; value: string }[] {
  return [
    { title: 'Case reference', value: s.caseRef },
    { title: 'Meeting date', value: formatUkDate(s.date) },
    { title: 'Level', value: `Level ${s.meetingLevel}` },
    { title: 'Decision', value: s.decision ?? 'No decision recorded' },
    { title: 'Actions agreed', value: String(s.actionCount) },
    { title: 'Status', value: `${STATUS[s.status]}, version ${s.revision}` },
  ];
}

export const isChairOrCoordinator = (p: Principal, meeting: Pick<Meeting, 'chair'>): boolean =>
  p.member?.roles.includes('coordinator') === true ||
  (meeting.chair.aadObjectId !== undefined && meeting.chair.aadObjectId.toLowerCase() === p.aadObjectId.toLowerCase());

/*
 * Teams refuses a message over about 100 KB. Minutes whose sections are each near their 20,000-character
 * limit would pass it, so the card carries at most this much section text (as sent, in bytes): the
 * longest texts are shortened, each to the same length, and say where the whole text is.
 */
const SECTION_TEXT_BUDGET = 40_000;
/** No text is shortened below this, however many there are. */
const MIN_SHOWN = 300;

/** Bytes a character takes in the card's JSON (UTF-8, with JSON's escapes). */
const charBytes = (ch: string): number => {
  const c = ch.codePointAt(0) ?? 0;
  if (c === 0x22 || c === 0x5c || c < 0x20) return c < 0x20 && c !== 0x0a && c !== 0x09 && c !== 0x0d ? 6 : 2;
  return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
};
export const sizeOf = (s: string): number => {
  let n = 0;
  for (const ch of s) n += charBytes(ch);
  return n;
};
export const cutTo = (s: string, bytes: number): string => {
  let n = 0;
  let out = '';
  for (const ch of s) {
    n += charBytes(ch);
    if (n > bytes) break;
    out += ch;
  }
  return out.trimEnd();
};

type Facts = { heading: string; facts: { title: string; value: string }[] }[];

/** The sections with their longest texts shortened (saying `where` the whole text is) to fit the budget. */
export function fitToCard(sections: Facts, where: string, budget: number = SECTION_TEXT_BUDGET): Facts {
  const sizes = sections.flatMap((b) => b.facts.map((f) => sizeOf(f.value)));
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total <= budget) return sections;
  const suffix = ` … (shortened here: ${where})`;
  const extra = sizeOf(suffix);
  const fits = (cap: number) => sizes.reduce((a, b) => a + (b <= cap ? b : cap + extra), 0) <= budget;
  // The largest length every long text can keep with the whole still inside the budget.
  let lo = MIN_SHOWN;
  let hi = Math.max(...sizes);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return sections.map((b) => ({
    heading: b.heading,
    facts: b.facts.map((f) =>
      sizeOf(f.value) <= lo ? f : { title: f.title, value: `${cutTo(f.value, lo)}${suffix}` },
    ),
  }));
}

/** Where a reader of the minutes card finds a shortened text whole. */
export const READ_WHOLE = 'download the minutes (Word or PDF) to read it all';

/**
 * The minutes as sections of label/text rows: the same words the Word and PDF documents print, the
 * longest shortened to keep the card inside what Teams accepts (saying `where` to read them whole).
 */
export function minutesSections(
  h: Pick<OpenHandlerContext, 'deps'>,
  view: MinutesView,
  where: string = READ_WHOLE,
): { heading: string; facts: { title: string; value: string }[] }[] {
  return fitToCard(
    minutesBlocks({
      minutes: view.minutes,
      caseRef: view.caseRef,
      areaName: h.deps.areaName,
      marking: h.deps.protectiveMarking,
      generatedAt: new Date(0).toISOString(),
      readerHasVisorAccess: !view.withheld,
      agencyNames: view.agencyNames,
    }).map((b) => ({ heading: b.heading, facts: b.rows.map((r) => ({ title: r.label || ' ', value: r.text })) })),
    where,
  );
}

/** Said to readers shown the approved minutes while the chair drafts a correction. */
export const correctionNote = (revision: number) =>
  `A correction (version ${revision}) is in progress; these are the approved minutes until it is approved.`;

export const WITHHELD = 'Police-only information is withheld from your view (your agency has no ViSOR access).';

/**
 * Teams user ids (29:…) whose view of the minutes card refreshes to the full minutes: active members
 * of the meeting's invited agencies and the co-ordinators the bot knows from their personal chats, the
 * chair first. Not the conversation's roster, so the card can be updated from anywhere (approval
 * happens in the chair's personal chat); someone listed but not in the conversation never sees it.
 */
async function readerUserIds(h: OpenHandlerContext, meeting: Meeting, tenantId: string): Promise<string[]> {
  const run = h.deps.minutes.run;
  const members = await h.deps.members.members.listMembers(run.areaId);
  const allowed = await meetingReaders(
    run,
    meeting,
    tenantId,
    members.map((m) => m.aadObjectId),
  );
  const chair = meeting.chair.aadObjectId?.toLowerCase();
  allowed.sort((a, b) => Number(b.toLowerCase() === chair) - Number(a.toLowerCase() === chair));
  const ids: string[] = [];
  for (const aad of allowed) {
    if (ids.length >= MAX_REFRESH_USERS) break;
    const chat = await h.deps.conversations.personalChatOf(tenantId, aad);
    if (chat?.userId) ids.push(chat.userId);
  }
  return ids;
}

interface CardOptions {
  readonly view?: MinutesView | null;
  readonly canReview?: boolean;
  readonly refreshUserIds: readonly string[];
  readonly notice?: string;
  readonly download?: { readonly url: string; readonly title: string };
}

/** The minutes card: minimal for everyone; with `view` (an entitled reader's own), the minutes too. */
export function minutesCard(h: OpenHandlerContext, s: MinutesSummary, o: CardOptions): AdaptiveCardJson {
  const view = o.view ?? null;
  const correcting = view?.correctionInProgress ?? s.correctionRevision ?? null;
  return h.card('minutes', {
    minutesId: s.minutesId,
    refreshUserIds: o.refreshUserIds.slice(0, MAX_REFRESH_USERS),
    title: `Minutes of the Level ${s.meetingLevel} meeting`,
    statusLine: statusLine(s),
    notice: [o.notice, correcting !== null ? correctionNote(correcting) : undefined].filter(Boolean).join(' '),
    facts: summaryFacts(s),
    showDetail: view !== null,
    withheldText: view?.withheld ? WITHHELD : '',
    sections: view ? minutesSections(h, view) : [],
    canReview: view !== null && o.canReview === true,
    downloadUrl: o.download?.url ?? '',
    downloadTitle: o.download?.title ?? '',
  });
}

/** The summary of the minutes with this id (no content, no audit), or null. */
export async function summaryOf(h: OpenHandlerContext, minutesId: string): Promise<MinutesSummary | null> {
  const run = h.deps.minutes.run;
  const m = await run.minutes.get(minutesId);
  if (!m.ok || m.value.areaId !== run.areaId) return null;
  return minutesSummary(run, m.value.meetingId);
}

/**
 * The minutes card as this reader may see it, as the answer to their click: the full minutes (read
 * through `openMinutes`, so redacted and audited) for a member of an invited agency or a co-ordinator,
 * the minimal card for anyone else. Nothing says why someone gets the minimal card.
 */
export async function minutesAnswer(
  h: OpenHandlerContext,
  minutesId: string,
  opts: { readonly notice?: string; readonly download?: { url: string; title: string } } = {},
): Promise<AdaptiveCardJson> {
  const s = await summaryOf(h, minutesId);
  if (!s) return h.card('notice', { title: 'Not found', message: NO_MINUTES, facts: [] });
  const self = h.turn.activity.from?.id;
  const refreshUserIds = self ? [self] : [];
  if (h.principal) {
    const view = await openMinutes(h.deps.minutes.run, h.principal, minutesId);
    if (view.ok) {
      const meeting = await h.deps.minutes.run.meetings.get(view.value.minutes.meetingId);
      return minutesCard(h, s, {
        view: view.value,
        canReview: meeting.ok && isChairOrCoordinator(h.principal, meeting.value),
        refreshUserIds,
        ...opts,
      });
    }
  }
  return minutesCard(h, s, { refreshUserIds: [], ...(opts.notice ? { notice: opts.notice } : {}) });
}

async function sharedCard(h: OpenHandlerContext, s: MinutesSummary): Promise<AdaptiveCardJson | null> {
  const meeting = await h.deps.minutes.run.meetings.get(s.meetingId);
  if (!meeting.ok) return null;
  return minutesCard(h, s, { refreshUserIds: await readerUserIds(h, meeting.value, s.tenantId) });
}

/**
 * After `end meeting`: posts the minimal minutes card in the meeting's conversation (where its
 * meeting card is) and remembers it. Never fails the end: the meeting has ended whatever happens here.
 */
export async function postMinutesCard(h: OpenHandlerContext, meetingId: string): Promise<void> {
  try {
    const deps = h.deps.minutes;
    let s = await minutesSummary(deps.run, meetingId);
    // The end drafts the minutes best effort; one more try here, since it is idempotent.
    if (!s && (await compileMinutes(deps.run, meetingId)).ok) s = await minutesSummary(deps.run, meetingId);
    if (!s) return;
    if (await deps.cardPosts.get(minutesPostKey(meetingId))) return updateMinutesCard(h, meetingId);
    const card = await sharedCard(h, s);
    const meeting = await deps.run.meetings.get(meetingId);
    const meetingPost = await deps.cardPosts.get(postKeys.meeting(meetingId));
    const targetId = meetingPost?.targetConversationId ?? (meeting.ok ? meeting.value.run?.conversationId : undefined);
    if (!card || !targetId) return;
    const here = conversationTargetOf(h.turn.activity);
    if (here && here.conversationId === targetId) {
      const res = await h.turn.sendActivity(MessageFactory.attachment(cardAttachment(card)));
      await deps.cardPosts.save({
        key: minutesPostKey(meetingId),
        conversationId: h.turn.activity.conversation.id,
        activityId: res?.id ?? '',
        targetConversationId: targetId,
      });
      return;
    }
    const target = await deps.conversations.byConversationId(targetId);
    if (!target) return;
    const posted = await deps.messenger.replyInThread(
      target,
      meetingPost?.conversationId ?? targetId,
      card,
      'the minutes card',
    );
    await deps.cardPosts.save({ key: minutesPostKey(meetingId), ...posted, targetConversationId: targetId });
  } catch (e) {
    logFailure(h.deps.logger, e, 'could not post the minutes card');
  }
}

/** After approval or a correction the shared card changes for everyone (still minimal). Never fails the step. */
export async function updateMinutesCard(h: OpenHandlerContext, meetingId: string): Promise<void> {
  try {
    const deps = h.deps.minutes;
    const post = await deps.cardPosts.get(minutesPostKey(meetingId));
    const s = await minutesSummary(deps.run, meetingId);
    if (!post || !s) return;
    const target = await deps.conversations.byConversationId(post.targetConversationId);
    const card = await sharedCard(h, s);
    if (!target || !card) return;
    await deps.messenger.updateCard(target, post, card, 'the minutes card');
  } catch (e) {
    logFailure(h.deps.logger, e, 'could not update the minutes card');
  }
}
