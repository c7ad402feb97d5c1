import { z } from 'zod';
import { IsoDateTime } from '../../domain/dates';
import { sameJoinUrl, type Meeting } from '../../domain/meeting.schema';
import type { MeetingRun } from '../../domain/meeting-run';
import { err, ok, type Result } from '../../lib/result';
import type { RequestActor, UpdateError } from '../ports/write-context.port';
import type { MeetingDeps } from './shared';

/** A Teams meeting's start or end, as the bot read it off the platform's event activity. */
export const TeamsMeetingEvent = z.object({
  kind: z.enum(['start', 'end']),
  /** The meeting chat the event came from. */
  conversationId: z.string().min(1).max(512),
  teamsMeetingId: z.string().min(1).max(1024).optional(),
  /** The meeting's join link as Teams gave it on the event. */
  joinUrl: z.string().max(4096).optional(),
  at: IsoDateTime,
});
export type TeamsMeetingEvent = z.infer<typeof TeamsMeetingEvent>;

export type TeamsEventOutcome =
  | { readonly recorded: true; readonly meetingId: string; readonly beforeStart?: true }
  /** No meeting started in that chat, or the time was already recorded: nothing written. */
  | { readonly recorded: false; readonly reason: 'no_meeting' | 'already_recorded' };

const MAX_ATTEMPTS = 5;

/**
 * Records a Teams meeting's actual start or end on the MAPPA meeting the chair started in that chat.
 *
 * A start binds to the meeting running there; an end to the one running, else the latest one ended in
 * the bot without an actual end yet (chairs usually type `end meeting` before they hang up). A start
 * before anyone typed `start meeting` finds no meeting bound to the chat: it is kept on the scheduled
 * meeting whose stored join link (Graph's, from scheduling) is the event's, and `start meeting` takes
 * it from there. Without a matching link nothing is guessed and nothing is written.
 *
 * Teams may deliver an event twice, and a call can be dropped and restarted: the earliest start and the
 * latest end are kept, so a repeat writes nothing. Writes are conditional on the version read.
 */
export async function recordTeamsMeetingEvent(
  deps: Pick<MeetingDeps, 'meetings' | 'areaId'>,
  event: TeamsMeetingEvent,
  by: RequestActor,
): Promise<Result<TeamsEventOutcome, UpdateError>> {
  for (let attempt = 0; ; attempt += 1) {
    const bound = await deps.meetings.listForConversation(deps.areaId, event.conversationId);
    const target = pick(bound, event);
    if (!target?.run) {
      if (event.kind === 'start' && event.joinUrl) return recordEarlyStart(deps, event, event.joinUrl, by);
      return ok({ recorded: false, reason: 'no_meeting' });
    }
    const run = apply(target.run, event);
    if (!run) return ok({ recorded: false, reason: 'already_recorded' });
    const saved = await deps.meetings.update(target.id, target.version, { run }, { by, action: 'meeting.run_updated' });
    if (saved.ok) return ok({ recorded: true, meetingId: target.id });
    if (saved.error.code !== 'VERSION_CONFLICT' || attempt + 1 >= MAX_ATTEMPTS) return err(saved.error);
  }
}

/** The start kept on the scheduled meeting with this join link, earliest first, written conditionally. */
async function recordEarlyStart(
  deps: Pick<MeetingDeps, 'meetings' | 'areaId'>,
  event: TeamsMeetingEvent,
  joinUrl: string,
  by: RequestActor,
): Promise<Result<TeamsEventOutcome, UpdateError>> {
  for (let attempt = 0; ; attempt += 1) {
    const found = await deps.meetings.listScheduledByJoinUrl(deps.areaId, joinUrl);
    const target = found.find((m) => m.onlineMeetingUrl !== undefined && sameJoinUrl(m.onlineMeetingUrl, joinUrl));
    if (!target) return ok({ recorded: false, reason: 'no_meeting' });
    const kept = target.teamsCallStart;
    if (kept && kept.at <= event.at) return ok({ recorded: false, reason: 'already_recorded' });
    const teamsCallStart = {
      at: event.at,
      conversationId: event.conversationId,
      ...(event.teamsMeetingId ? { teamsMeetingId: event.teamsMeetingId } : {}),
    };
    const saved = await deps.meetings.update(
      target.id,
      target.version,
      { teamsCallStart },
      { by, action: 'meeting.updated' },
    );
    if (saved.ok) return ok({ recorded: true, meetingId: target.id, beforeStart: true });
    if (saved.error.code !== 'VERSION_CONFLICT' || attempt + 1 >= MAX_ATTEMPTS) return err(saved.error);
  }
}

function pick(bound: readonly Meeting[], event: TeamsMeetingEvent): Meeting | undefined {
  const running = bound.find((m) => m.status === 'in_progress');
  if (event.kind === 'start' || running) return running;
  return bound.find((m) => m.status === 'held' && m.run !== undefined && m.run.startedAt <= event.at);
}

/** The run with the event applied, or null when it adds nothing. */
function apply(run: MeetingRun, event: TeamsMeetingEvent): MeetingRun | null {
  const id = run.teamsMeetingId ?? event.teamsMeetingId;
  const withId = id === undefined ? {} : { teamsMeetingId: id };
  if (event.kind === 'start') {
    if (run.actualStart !== undefined && run.actualStart <= event.at && run.teamsMeetingId === id) return null;
    const actualStart = run.actualStart !== undefined && run.actualStart <= event.at ? run.actualStart : event.at;
    return { ...run, ...withId, actualStart };
  }
  if (run.actualEnd !== undefined && run.actualEnd >= event.at && run.teamsMeetingId === id) return null;
  const actualEnd = run.actualEnd !== undefined && run.actualEnd >= event.at ? run.actualEnd : event.at;
  return { ...run, ...withId, actualEnd };
}
