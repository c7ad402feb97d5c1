import { z } from 'zod';
import type { ActionRecord } from '../ports/action-repository.port';
import { ukDateOf } from '../../domain/dates';
import { formatUkDate } from '../../domain/format';
import type { RequestActor } from '../ports/write-context.port';
import { appError } from '../../lib/errors';
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
 * note. The review is part of the meeting record, and reaches the action itself too (`writeReview`).
 */
export async function reviewPreviousAction(
  deps: MeetingDeps,
  principal: Principal,
  meetingId: string,
  raw: unknown,
): Promise<Result<ReviewedPreviousAction, MeetingError>> {
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
  const written = await writeReview(deps, action, input, actor, meetingDateOf(meeting));
  // The review is saved in the meeting either way: an action that could not follow is said, not refused.
  return ok({ meeting: saved.value, notice: written.ok ? 'Previous action reviewed.' : written.error.message });
}

/** The meeting with the review saved, and what to tell the reviewer (including when the action itself could not follow). */
export interface ReviewedPreviousAction {
  readonly meeting: Meeting;
  readonly notice: string;
}

type ActionReview = z.infer<typeof ActionReviewInput>;

const REVIEWED: Readonly<Record<ActionReview['status'], string>> = {
  done: 'done',
  in_progress: 'in progress',
  not_done: 'not done',
};

/** The meeting's date as its minutes say it: the day it started, or else the day it was set for. */
const meetingDateOf = (m: Meeting): string => formatUkDate(m.run?.startedAt ?? m.scheduledStart);

// A history note's limit (the action schema's); the note itself is kept whole as the status note.
const HISTORY_NOTE_MAX = 2000;

/**
 * The review reaches the action itself, whatever the status given: done closes it, in progress marks
 * it so, not done leaves its status; the note becomes its status note, and its history says which
 * meeting reviewed it. Conditional on the action's version: if its owner changed it in the same moment,
 * the review is written on top of that change (read again), never over it.
 */
async function writeReview(
  deps: MeetingDeps,
  first: ActionRecord,
  input: ActionReview,
  actor: RequestActor,
  meetingDate: string,
): Promise<Result<void, MeetingError>> {
  let action = first;
  const said = `Reviewed at the meeting of ${meetingDate}: ${REVIEWED[input.status]}.${input.note ? ` ${input.note}` : ''}`;
  const note = said.length > HISTORY_NOTE_MAX ? `${said.slice(0, HISTORY_NOTE_MAX - 1)}…` : said;
  for (let attempt = 0; attempt < 3; attempt++) {
    // Closed or cancelled since: the meeting record keeps the review; a closed action is not reopened here.
    if (action.status !== 'open' && action.status !== 'in_progress') return ok(undefined);
    const to = input.status === 'done' ? 'done' : input.status === 'in_progress' ? 'in_progress' : action.status;
    const res = await deps.actions.update(
      action.id,
      action.version,
      {
        ...(to !== action.status ? { status: to } : {}),
        ...(to === 'done' ? { completedOn: ukDateOf(deps.clock.now()) } : {}),
        ...(input.note ? { statusNote: input.note } : {}),
      },
      { by: actor },
      { event: 'reviewed', note },
    );
    if (res.ok) return ok(undefined);
    if (res.error.code !== 'VERSION_CONFLICT' && res.error.code !== 'NOT_FOUND') break;
    const again = res.error.code === 'VERSION_CONFLICT' ? await deps.actions.get(action.id) : undefined;
    if (!again?.ok) {
      // Gone from here (moved with its case, removed): marking it again could never work, so say so.
      return err(
        appError(
          'NOT_FOUND',
          'The review is in the meeting record, but the action is no longer here (it moved with its case or was removed), so it was not updated.',
        ),
      );
    }
    action = again.value;
  }
  return err(
    appError(
      'VERSION_CONFLICT',
      'The review is in the meeting record, but the action itself could not be updated just now: mark it again.',
    ),
  );
}
