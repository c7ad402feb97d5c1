import { z } from 'zod';
import type { Meeting } from '../../domain/meeting.schema';
import type { Principal } from '../../domain/policy';
import { appError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import { reviewsFromActions } from '../../domain/action-update';
import { previousActions } from './review-previous-action';
import { fieldErrorsOf, loadMeeting, validation, type MeetingDeps, type MeetingError } from './shared';

/** Who takes the minutes, as the chair names them at the start (optional: the minutes card can say later). */
const MinuteTaker = z.object({
  minuteTaker: z
    .string()
    .trim()
    .max(200, 'Minute-taker: keep the name under 200 characters.')
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
});

/**
 * The chair (or the co-ordinator on the chair's behalf) opens the meeting in a conversation.
 * Idempotent: starting a meeting already running returns it as it stands.
 */
export async function startMeeting(
  deps: MeetingDeps,
  principal: Principal,
  meetingId: string,
  where: { readonly conversationId?: string; readonly minuteTaker?: unknown } = {},
): Promise<Result<{ meeting: Meeting; alreadyStarted: boolean }, MeetingError>> {
  const loaded = await loadMeeting(deps, principal, meetingId, 'chair_or_coordinator');
  if (!loaded.ok) return loaded;
  const taker = MinuteTaker.safeParse({ minuteTaker: where.minuteTaker });
  if (!taker.success) return err(validation(fieldErrorsOf(taker.error)));
  const { minuteTaker } = taker.data;
  const { meeting, actor, forChair } = loaded.value;
  if (meeting.status === 'in_progress') return ok({ meeting, alreadyStarted: true });
  if (meeting.status !== 'scheduled')
    return err(appError('ILLEGAL_TRANSITION', `The meeting is ${meeting.status}, so it cannot be started.`));
  // What owners reported on their action cards since the last meeting opens the review of previous
  // actions; the chair can still review each one again in the meeting.
  const reported = reviewsFromActions(await previousActions(deps, meeting));
  // A Teams call on the meeting's join link that began before this: its start is the actual start, and
  // its meeting id serves the turn notifications when the meeting runs in that call's chat.
  const call = meeting.teamsCallStart;
  const sameChat = call !== undefined && call.conversationId === where.conversationId;
  const saved = await deps.meetings.update(
    meeting.id,
    meeting.version,
    {
      status: 'in_progress',
      run: {
        startedAt: deps.clock.now().toISOString(),
        startedBy: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
        ...(where.conversationId ? { conversationId: where.conversationId } : {}),
        ...(minuteTaker ? { minuteTaker } : {}),
        ...(call ? { actualStart: call.at } : {}),
        ...(sameChat && call.teamsMeetingId ? { teamsMeetingId: call.teamsMeetingId } : {}),
        attendance: [],
        previousActions: reported,
        plan: [],
        views: [],
      },
    },
    { by: actor, action: 'meeting.started', ...(forChair ? { details: forChair } : {}) },
  );
  if (!saved.ok) {
    const again = await deps.meetings.get(meeting.id);
    if (again.ok && again.value.status === 'in_progress') return ok({ meeting: again.value, alreadyStarted: true });
    return err(saved.error);
  }
  return ok({ meeting: saved.value, alreadyStarted: false });
}

/** The meeting to run for a case: the one in progress, else the earliest still scheduled. */
export async function meetingToRun(deps: MeetingDeps, caseId: string): Promise<Meeting | null> {
  const all = await deps.meetings.listForCase(caseId);
  return all.find((m) => m.status === 'in_progress') ?? all.find((m) => m.status === 'scheduled') ?? null;
}
