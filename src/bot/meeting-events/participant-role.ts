import { TeamsInfo } from 'botbuilder';
import { z } from 'zod';
import { describeError } from '../../config/logger';
import type { HandlerContext } from '../handler-context';
import { teamsMeetingIdOf } from './meeting-event';

/** Teams retries a failing call itself; the caller's turn waits no longer than this for an answer. */
const LOOKUP_BUDGET_MS = 3000;

export const MeetingRole = z.enum(['Organizer', 'Presenter', 'Attendee']);
export type MeetingRole = z.infer<typeof MeetingRole>;

const Participant = z
  .object({
    meeting: z
      .object({ role: z.string().max(50).optional() })
      .loose()
      .optional(),
  })
  .loose();

/**
 * The caller's role in the Teams meeting this turn came from (GET /v1/meetings/{id}/participants/{aad id}),
 * or null when the turn is not from a meeting chat, the caller is not a participant (Teams answers 404),
 * or Teams could not say. Never throws; asked afresh each time, as Teams advises (roles change mid-call).
 * A caller Teams lists with a role this code does not know counts as an Attendee.
 */
export async function meetingParticipantRole(hc: HandlerContext): Promise<MeetingRole | null> {
  const meetingId = teamsMeetingIdOf(hc.turn.activity);
  if (!meetingId) return null;
  let timer: NodeJS.Timeout | undefined;
  try {
    const answer = await Promise.race([
      TeamsInfo.getMeetingParticipant(hc.turn, meetingId, hc.principal.aadObjectId, hc.principal.tenantId),
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), LOOKUP_BUDGET_MS);
      }),
    ]);
    if (answer === 'timeout') {
      hc.deps.logger.warn({ meetingParticipant: 'timeout' }, 'meeting participant lookup gave up');
      return null;
    }
    const found = Participant.parse(answer);
    const role = found.meeting?.role;
    if (role === undefined) return null;
    const known = MeetingRole.safeParse(role);
    return known.success ? known.data : 'Attendee';
  } catch (e) {
    const status = (e as { statusCode?: unknown }).statusCode;
    if (status !== 404) hc.deps.logger.warn({ error: describeError(e) }, 'meeting participant lookup failed');
    return null;
  } finally {
    clearTimeout(timer);
  }
}
