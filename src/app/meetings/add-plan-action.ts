import { z } from 'zod';
import { Pillar } from '../../domain/action.schema';
import { compareDates, IsoDate, ukDateOf } from '../../domain/dates';
import type { Meeting } from '../../domain/meeting.schema';
import { addPlanAction as applyPlanAction } from '../../domain/meeting-run';
import type { Principal } from '../../domain/policy';
import { err, type Result } from '../../lib/result';
import { changeRun, fieldErrorsOf, invitedAgencies, loadMeeting, validation } from './shared';
import type { MeetingDeps, MeetingError } from './shared';

export const PlanActionInput = z.object({
  pillar: z.enum(Pillar.options, { error: 'Choose the pillar.' }),
  text: z.string().trim().min(1, 'Describe the action.').max(2000, 'Keep the action under 2,000 characters.'),
  ownerAgencyId: z.string().trim().min(1, 'Choose the owning agency.'),
  ownerName: z
    .string()
    .trim()
    .max(200, 'Keep the name under 200 characters.')
    .optional()
    .transform((v) => (v === '' ? undefined : v)),
  dueDate: IsoDate,
});

/** The chair adds an agreed action under a pillar (or contingency), owned by an invited agency. */
export async function addPlanAction(
  deps: MeetingDeps,
  principal: Principal,
  meetingId: string,
  raw: unknown,
): Promise<Result<Meeting, MeetingError>> {
  const loaded = await loadMeeting(deps, principal, meetingId, 'chair');
  if (!loaded.ok) return loaded;
  const { meeting, actor, forChair } = loaded.value;
  const parsed = PlanActionInput.safeParse(raw);
  if (!parsed.success) return err(validation(fieldErrorsOf(parsed.error)));
  const input = parsed.data;
  if (compareDates(input.dueDate, ukDateOf(deps.clock.now())) < 0)
    return err(validation({ dueDate: 'The due date has passed: give today or a later date.' }));
  if (!invitedAgencies(meeting).includes(input.ownerAgencyId))
    return err(validation({ ownerAgencyId: 'The owning agency must be one invited to the meeting.' }));
  const { ownerName, ...rest } = input;
  return changeRun(
    deps,
    meeting,
    actor,
    (run) => applyPlanAction(run, { ...rest, ...(ownerName ? { ownerName } : {}) }),
    { forChair },
  );
}
