import { z } from 'zod';
import type { Meeting } from '../../domain/meeting.schema';
import { RiskToWhom } from '../../domain/meeting-run';
import type { Principal } from '../../domain/policy';
import { err, type Result } from '../../lib/result';
import { changeRun, fieldErrorsOf, loadMeeting, validation } from './shared';
import type { MeetingDeps, MeetingError } from './shared';

const list = (message: string) =>
  z
    .union([z.array(z.string()), z.string()])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(RiskToWhom, { error: message }).min(1, message));

export const RiskInput = z.object({
  level: z.enum(['low', 'medium', 'high', 'very_high'], { error: 'Choose the risk of serious harm level.' }),
  toWhom: list('Choose who is at risk: public, known adult, children, staff or prisoners.'),
});

/** The chair records the risk of serious harm: level, and to whom. */
export async function recordRisk(
  deps: MeetingDeps,
  principal: Principal,
  meetingId: string,
  raw: unknown,
): Promise<Result<Meeting, MeetingError>> {
  const loaded = await loadMeeting(deps, principal, meetingId, 'chair');
  if (!loaded.ok) return loaded;
  const { meeting, actor, forChair } = loaded.value;
  const parsed = RiskInput.safeParse(raw);
  if (!parsed.success) return err(validation(fieldErrorsOf(parsed.error)));
  const risk = {
    ...parsed.data,
    recordedBy: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
  };
  return changeRun(deps, meeting, actor, (run) => ({ ok: true, run: { ...run, risk } }), { forChair });
}
