import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { recordTeamsMeetingEvent } from '../../app/meetings';
import { systemActor } from '../../app/shared/actor';
import { describeError } from '../../config/logger';
import { callerIds } from '../activity-identity';
import type { BotDeps } from '../handler-context';

/** The value of Teams's `application/vnd.microsoft.meetingStart` / `meetingEnd` event (PascalCase, as sent). */
const MeetingEventValue = z
  .object({
    Id: z.string().min(1).max(1024).optional(),
    MeetingType: z.string().max(100).optional(),
    JoinUrl: z.string().max(4096).optional(),
    Title: z.string().max(1000).optional(),
    StartTime: z.string().max(64).optional(),
    EndTime: z.string().max(64).optional(),
  })
  .loose();

/** Where Teams puts the meeting's id on every activity from a meeting chat. */
export const MeetingChannelData = z
  .object({
    meeting: z
      .object({ id: z.string().min(1).max(1024) })
      .loose()
      .optional(),
  })
  .loose();

/** The Teams meeting id of the conversation this activity came from, if it is a meeting chat. */
export function teamsMeetingIdOf(activity: { channelData?: unknown }): string | undefined {
  const parsed = MeetingChannelData.safeParse(activity.channelData ?? {});
  return parsed.success ? parsed.data.meeting?.id : undefined;
}

const instant = (raw: string | undefined): string | undefined => {
  if (raw === undefined) return undefined;
  const t = Date.parse(raw);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
};

/**
 * A Teams meeting started or ended in a chat the bot is in: records the actual time on the MAPPA meeting
 * started there (or, for a start before `start meeting`, on the scheduled meeting with the event's join
 * link). The router has already refused other tenants. Nothing is said in the chat, an event matching no
 * meeting is dropped quietly, and a failure is logged (no personal data) without a retry:
 * the event is a convenience and the chair's own start and end stand without it.
 */
export async function onMeetingEvent(turn: TurnContext, deps: BotDeps, kind: 'start' | 'end'): Promise<void> {
  const activity = turn.activity;
  const value = MeetingEventValue.safeParse(activity.value ?? {});
  const { tenantId } = callerIds(activity);
  if (!value.success || !tenantId) {
    deps.logger.warn({ badInput: { activityType: 'event', fields: ['value'] } }, 'bad input');
    return;
  }
  const at =
    instant(kind === 'start' ? value.data.StartTime : value.data.EndTime) ??
    instant(activity.timestamp === undefined ? undefined : String(activity.timestamp as unknown)) ??
    deps.meetings.run.clock.now().toISOString();
  const teamsMeetingId = teamsMeetingIdOf(activity) ?? value.data.Id;
  try {
    const outcome = await recordTeamsMeetingEvent(
      deps.meetings.run,
      {
        kind,
        conversationId: activity.conversation.id,
        at,
        ...(teamsMeetingId ? { teamsMeetingId } : {}),
        ...(value.data.JoinUrl ? { joinUrl: value.data.JoinUrl } : {}),
      },
      systemActor(tenantId),
    );
    const result = outcome.ok ? (outcome.value.recorded ? 'recorded' : outcome.value.reason) : outcome.error.code;
    deps.logger.info({ meetingEvent: { kind, result } }, 'teams meeting event');
  } catch (e) {
    deps.logger.error({ error: describeError(e), meetingEvent: { kind } }, 'could not record a teams meeting event');
  }
}
