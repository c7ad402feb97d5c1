import type { TeamsChannelAccount, TurnContext } from 'botbuilder';
import { TeamsInfo } from 'botbuilder';
import { agencyRepresentatives } from '../../app/meetings';
import { describeError } from '../../config/logger';
import type { Meeting } from '../../domain/meeting.schema';
import type { HandlerContext } from '../handler-context';
import { teamsMeetingIdOf } from './meeting-event';

/** Teams accepts at most this many recipients in one targeted meeting notification. */
export const MAX_RECIPIENTS_PER_CALL = 50;
/** The roster is read a page at a time; a meeting chat larger than this is not a MAPPA meeting. */
const MAX_ROSTER_PAGES = 4;
/** The whole notification, roster included, gives up after this: the chair's turn is not held up. */
export const NOTIFY_BUDGET_MS = 4000;

/**
 * Tells the current agency's representatives in a Teams meeting that it is their turn (a targeted
 * in-meeting notification). Best effort: it never throws and never delays the chair's turn beyond
 * one connector call; outside a Teams meeting it does nothing.
 *
 * Recipients are the people in the meeting's chat (the Teams roster, which gives their `29:` ids) who
 * are active enrolled members of the agency whose turn it is. The roster, not `getMeetingParticipant`,
 * because that would be one call per member; Teams only shows the notification to those in the call.
 */
export async function notifyTurn(hc: HandlerContext, meeting: Meeting): Promise<void> {
  const run = meeting.run;
  const current = run?.round?.order.find((s) => s.state === 'current');
  if (!run?.conversationId || !current) return;
  const inThatChat = hc.turn.activity.conversation?.id === run.conversationId;
  const teamsMeetingId = run.teamsMeetingId ?? (inThatChat ? teamsMeetingIdOf(hc.turn.activity) : undefined);
  // Not a Teams meeting chat (a group chat or a channel thread): the shared card says whose turn it is.
  if (!teamsMeetingId) return;
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), NOTIFY_BUDGET_MS);
  });
  try {
    const outcome = await Promise.race([
      send(hc, run.conversationId, teamsMeetingId, current.agencyId, meeting.areaId),
      budget,
    ]);
    if (outcome === 'timeout') hc.deps.logger.warn({ turnNotification: 'timeout' }, 'turn notification gave up');
  } catch (e) {
    hc.deps.logger.warn({ error: describeError(e), turnNotification: 'failed' }, 'turn notification failed');
  } finally {
    clearTimeout(timer);
  }
}

async function send(
  hc: HandlerContext,
  conversationId: string,
  teamsMeetingId: string,
  agencyId: string,
  areaId: string,
): Promise<void> {
  const base = hc.deps.publicBaseUrl;
  // The notification opens a page on the meeting stage, which must be on the app's own domain.
  if (!base) {
    hc.deps.logger.info({ turnNotification: 'no_public_url' }, 'turn notification skipped');
    return;
  }
  const [reps, roster] = await Promise.all([
    agencyRepresentatives({ members: hc.deps.members.members, areaId }, agencyId),
    rosterOf(hc.turn, conversationId),
  ]);
  const recipients = [
    ...new Set(roster.filter((m) => m.aadObjectId && reps.aadObjectIds.has(m.aadObjectId)).map((m) => m.id)),
  ];
  if (recipients.length === 0) return;
  const title = `${reps.agencyName}: your turn`;
  const url = new URL('meeting/turn', base.endsWith('/') ? base : `${base}/`);
  url.searchParams.set('agency', agencyId);
  for (let i = 0; i < recipients.length; i += MAX_RECIPIENTS_PER_CALL) {
    await TeamsInfo.sendMeetingNotification(
      hc.turn,
      {
        type: 'targetedMeetingNotification',
        value: {
          recipients: recipients.slice(i, i + MAX_RECIPIENTS_PER_CALL),
          surfaces: [
            {
              surface: 'meetingStage',
              contentType: 'task',
              content: { value: { height: 240, width: 400, title, url: url.toString() } },
            },
          ],
        },
      },
      teamsMeetingId,
    );
  }
}

/**
 * The people in the meeting's chat, with their Teams (`29:`) ids and Entra object ids. The team variant
 * of the paged roster takes any conversation id (it is GET /v3/conversations/{id}/pagedmembers), so the
 * chat is read even when the chair's turn came from elsewhere.
 */
async function rosterOf(turn: TurnContext, conversationId: string): Promise<TeamsChannelAccount[]> {
  const out: TeamsChannelAccount[] = [];
  let continuationToken: string | undefined;
  for (let page = 0; page < MAX_ROSTER_PAGES; page++) {
    const res = await TeamsInfo.getPagedTeamMembers(turn, conversationId, 500, continuationToken);
    out.push(...res.members);
    continuationToken = res.continuationToken || undefined;
    if (!continuationToken) break;
  }
  return out;
}
