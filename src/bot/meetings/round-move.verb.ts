import { meetingProgress, moveAgencyRound } from '../../app/meetings';
import type { ExecuteHandler } from '../capability';
import { notifyTurn } from '../meeting-events/notify-turn';
import type { MeetingFormPayload } from './catalogue';
import { stepOutcome } from './outcome';
import { meetingAnswer } from './shared-card';

/** Agency names as typed (or ids) in the order the chair wants; anything unknown is left for the use case to refuse. */
function orderOf(typed: unknown, names: Readonly<Record<string, string>>): string[] | undefined {
  if (typeof typed !== 'string') return undefined;
  const byName = new Map(Object.entries(names).map(([id, name]) => [name.toLowerCase(), id]));
  return typed
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => byName.get(s.toLowerCase()) ?? s);
}

/**
 * A chair's move of the round (next, skip and come back, absent, reorder), written only against the
 * turn on the card: an earlier turn's button or a second click answers with the round as it is now.
 */
export const roundMoveVerb: ExecuteHandler<MeetingFormPayload> = async (h, p) => {
  const deps = h.deps.meetings.run;
  const progress = await meetingProgress(deps, p.meetingId);
  const move = {
    kind: p.form.kind,
    turn: p.turn,
    ...(typeof p.form.agencyId === 'string' && p.form.agencyId ? { agencyId: p.form.agencyId } : {}),
    ...(p.form.kind === 'reorder' ? { order: orderOf(p.form.order, progress?.agencyNames ?? {}) } : {}),
  };
  const res = await moveAgencyRound(deps, h.principal, p.meetingId, move);
  if (!res.ok) return stepOutcome(h, p, res, 'round', '');
  if (!res.value.moved)
    return meetingAnswer(h, p.meetingId, {
      notice: `Nothing was changed: ${res.value.notice} This card now shows the round as it is.`,
    });
  await notifyTurn(h, res.value.meeting);
  return stepOutcome(h, p, res, 'round', 'The round has moved on.');
};
