import { openAgencyRound } from '../../app/meetings';
import type { ExecuteHandler } from '../capability';
import { notifyTurn } from '../meeting-events/notify-turn';
import type { MeetingFormPayload } from './catalogue';
import { stepOutcome } from './outcome';

/** The chair closes attendance and opens the round of agency updates. */
export const roundOpenVerb: ExecuteHandler<MeetingFormPayload> = async (h, p) => {
  const res = await openAgencyRound(h.deps.meetings.run, h.principal, p.meetingId);
  if (res.ok) await notifyTurn(h, res.value);
  return stepOutcome(h, p, res, null, 'The round of agency updates has begun.');
};
