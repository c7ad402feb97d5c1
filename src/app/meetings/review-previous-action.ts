import { z } from 'zod';
import type { ActionRecord } from '../ports/action-repository.port';
import { ukDateOf } from '../../domain/dates';
import type { Meeting } from '../../domain/meeting.schema';
import { reviewAction } from '../../domain/meeting-run';
import type { Principal } from '../../domain/policy';
import { err, ok, type Result } from '../../lib/result';
import { changeRun, fieldErrorsOf, forChairDetails, loadMeeting, runsMeeting, validation } from './shared';
import type { MeetingDeps, MeetingError } from './shared';

export const ActionReviewInput = z.object({
  actionId: z.string().trim().min(1, 'Choose the action.'),
  status: z.enum(['done', 'in_progress', 'not_done'], { error: 'Choose done, in progress or not done.' }),
  note: z.string().trim().max(2000, 'Keep the note under 2,000 characters.').optional(),
});

/** Last time's actions for the case, still open or closed since, for the previous-actions card. */
export async function previousActions(deps: MeetingDeps, meeting: Meeting): Promise<ActionRecord[]> {
  return (await deps.actions.listForCase(meeting.caseId)).filter((a) => a.meetingId !== meeting.id);
}

/**
 * The action's owner agency (or the chair) marks a previous action done / in progress / not done with a
 * note. The review is part of the meeting record; the action document itself is closed when it is done.
 */
export async function reviewPreviousAction(
  deps: MeetingDeps,
  principal: Principal,
  meetingId: string,
  raw: unknown,
): Promise<Result<Meeting, MeetingError>> {
  const loaded = await loadMeeting(deps, principal, meetingId, 'contribute');
  if (!loaded.ok) return loaded;
  const { meeting, actor } = loaded.value;
  const parsed = ActionReviewInput.safeParse(raw);
  if (!parsed.success) return err(validation(fieldErrorsOf(parsed.error)));
  const input = parsed.data;
  const action = (await previousActions(deps, meeting)).find((a) => a.id === input.actionId);
  if (!action) return err(validation({ actionId: 'That action is not one of this case’s previous actions.' }));
  if (!runsMeeting(principal, meeting) && action.ownerAgencyId !== principal.member?.agencyId)
    return err(validation({ actionId: "Only the action's owning agency or the chair can review it." }));
  const saved = await changeRun(
    deps,
    meeting,
    actor,
    (run) =>
      reviewAction(run, {
        actionId: action.id,
        status: input.status,
        ...(input.note ? { note: input.note } : {}),
        reviewedBy: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
      }),
    { forChair: action.ownerAgencyId === principal.member?.agencyId ? undefined : forChairDetails(principal, meeting) },
  );
  if (!saved.ok) return saved;
  // An owner may have marked it in progress from the action card since the last meeting.
  if (input.status === 'done' && (action.status === 'open' || action.status === 'in_progress')) {
    await deps.actions.update(
      action.id,
      action.version,
      { status: 'done', completedOn: ukDateOf(deps.clock.now()), ...(input.note ? { statusNote: input.note } : {}) },
      { by: actor },
      { event: 'reviewed' },
    );
  }
  return ok(saved.value);
}
