import { z } from 'zod';
import type { Meeting } from '../../domain/meeting.schema';
import { moveRound, openRound, type RoundMove } from '../../domain/meeting-run';
import type { Principal } from '../../domain/policy';
import { err, ok, type Result } from '../../lib/result';
import { changeRun, fieldErrorsOf, invitedAgencies, loadMeeting, validation } from './shared';
import type { MeetingDeps, MeetingError } from './shared';

/** The chair closes attendance and opens the round: present agencies in turn, the first one current. */
export async function openAgencyRound(
  deps: MeetingDeps,
  principal: Principal,
  meetingId: string,
): Promise<Result<Meeting, MeetingError>> {
  const loaded = await loadMeeting(deps, principal, meetingId, 'chair');
  if (!loaded.ok) return loaded;
  const { meeting, actor, forChair } = loaded.value;
  return changeRun(deps, meeting, actor, (run, m) => openRound(run, invitedAgencies(m)), { forChair });
}

export const RoundMoveInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('next'), turn: z.coerce.number().int().nonnegative() }),
  z.object({ kind: z.literal('skip'), turn: z.coerce.number().int().nonnegative() }),
  z.object({
    kind: z.literal('absent'),
    turn: z.coerce.number().int().nonnegative(),
    agencyId: z.string().trim().min(1, 'Choose the agency.'),
  }),
  z.object({
    kind: z.literal('reorder'),
    turn: z.coerce.number().int().nonnegative(),
    order: z
      .union([z.array(z.string()), z.string()])
      .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean)),
  }),
]);

export type RoundOutcome =
  | { readonly moved: true; readonly meeting: Meeting }
  /** The card was from an earlier turn (or a second click): nothing changed; here is the round as it is. */
  | { readonly moved: false; readonly meeting: Meeting; readonly notice: string };

/**
 * A chair move (next / skip / absent / reorder), written only against the turn on the chair's card:
 * a stale card or a double click changes nothing and answers with the current state.
 */
export async function moveAgencyRound(
  deps: MeetingDeps,
  principal: Principal,
  meetingId: string,
  raw: unknown,
): Promise<Result<RoundOutcome, MeetingError>> {
  const loaded = await loadMeeting(deps, principal, meetingId, 'chair');
  if (!loaded.ok) return loaded;
  const { meeting, actor, forChair } = loaded.value;
  // A card that does not say which turn it was pressed at cannot be checked against the round as it
  // is, so it moves nothing (the same answer as a stale card).
  const sentTurn = (raw as { turn?: unknown } | null)?.turn;
  if (sentTurn === undefined || sentTurn === null || sentTurn === '' || !Number.isInteger(Number(sentTurn)))
    return ok({
      moved: false,
      meeting,
      notice: 'That button did not say which turn of the round it was pressed at, so the round was not moved.',
    });
  const parsed = RoundMoveInput.safeParse(raw);
  if (!parsed.success) return err(validation(fieldErrorsOf(parsed.error)));
  const { turn, ...rest } = parsed.data;
  const move = rest as RoundMove;
  const saved = await changeRun(deps, meeting, actor, (run) => moveRound(run, turn, move), { atTurn: turn, forChair });
  if (saved.ok) return ok({ moved: true, meeting: saved.value });
  const e = saved.error;
  if ('runError' in e && e.runError.code === 'STALE_TURN')
    return ok({ moved: false, meeting: e.meeting, notice: e.runError.message });
  return err('runError' in e ? { code: e.code, message: e.message } : e);
}
