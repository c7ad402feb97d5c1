import type { Case } from '../../domain/case.schema';
import { transition } from '../../domain/case-lifecycle';
import type { Meeting } from '../../domain/meeting.schema';
import { endGaps, type MeetingDecision } from '../../domain/meeting-run';
import type { Principal } from '../../domain/policy';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import { draftMinutesAfterEnd } from '../minutes/compile-minutes';
import type { ActionRecord } from '../ports/action-repository.port';
import type { MinutesRepository } from '../ports/minutes-repository.port';
import type { RequestActor } from '../ports/write-context.port';
import { loadArea, loadMeeting, validation, type MeetingDeps, type MeetingError } from './shared';

export interface EndedMeeting {
  readonly meeting: Meeting;
  readonly actions: readonly ActionRecord[];
  /** True when the meeting had already ended (a retry or a second click): nothing new was written. */
  readonly alreadyEnded: boolean;
}

/** The action document for each agreed action has an id derived from the meeting, so a retry finds it. */
export const actionIdFor = (meetingId: string, key: string): string => `${meetingId}:${key}`;

// The case after the meeting's decision: a changed level or category becomes a decision record, once.
function applyDecision(c: Case, meeting: Meeting, d: MeetingDecision): Result<Case, AppError> {
  let next: Case = c;
  const source = { type: 'meeting' as const, id: meeting.id };
  const base = { actor: d.by, decidedAt: d.at, rationale: d.rationale, source };
  const dissent = d.dissent.map((x) => `${x.agencyId}: ${x.view}`).join('\n');
  const extra = dissent ? { dissent } : {};
  const levelId = `${meeting.id}:level`;
  if (next.level !== d.level && !next.history.some((h) => h.id === levelId)) {
    const r = transition(next, {
      type: 'LEVEL_DECIDED',
      decision: { ...base, ...extra, id: levelId, kind: 'level', to: d.level },
    });
    if (!r.ok) return r;
    next = r.value;
  }
  const categoryId = `${meeting.id}:category`;
  if (next.category !== d.category && !next.history.some((h) => h.id === categoryId)) {
    const r = transition(next, {
      type: 'CATEGORY_DECIDED',
      decision: { ...base, ...extra, id: categoryId, kind: 'category', to: d.category },
    });
    if (!r.ok) return r;
    next = r.value;
  }
  return ok({ ...next, keyDates: { ...next.keyDates, nextReviewDate: d.nextReviewDate } });
}

async function saveCaseDecision(
  deps: MeetingDeps,
  actor: RequestActor,
  meeting: Meeting,
  d: MeetingDecision,
): Promise<Result<void, AppError>> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const current = await deps.cases.get(meeting.caseId);
    if (!current.ok) return current;
    const next = applyDecision(current.value, meeting, d);
    if (!next.ok) return next;
    const changed = next.value.history.length !== current.value.history.length;
    const saved = await deps.cases.save(next.value, {
      by: actor,
      action: changed ? 'case.decision_recorded' : 'case.updated',
      details: { meetingId: meeting.id },
    });
    if (saved.ok) return ok(undefined);
    if (saved.error.code !== 'VERSION_CONFLICT') return saved;
  }
  return err(appError('VERSION_CONFLICT', 'The case kept changing while the meeting closed; end the meeting again.'));
}

/**
 * Closes the meeting: writes every agreed action as its own document, records a change of level or
 * category on the case (with the rationale and dissent) and the next review date, then marks the
 * meeting held. Each step is idempotent, in that order, so a retry after a crash completes the close
 * without writing anything twice.
 */
export async function endMeeting(
  deps: MeetingDeps & { readonly minutes?: MinutesRepository },
  principal: Principal,
  meetingId: string,
): Promise<Result<EndedMeeting, MeetingError>> {
  const loaded = await loadMeeting(deps, principal, meetingId, 'chair');
  if (!loaded.ok) return loaded;
  const { meeting, actor, caseRecord, forChair } = loaded.value;
  const actionsOf = async (m: Meeting) =>
    (await deps.actions.listForCase(m.caseId)).filter((a) => a.meetingId === m.id);
  if (meeting.status === 'held') return ok({ meeting, actions: await actionsOf(meeting), alreadyEnded: true });
  if (meeting.status !== 'in_progress' || !meeting.run)
    return err(appError('ILLEGAL_TRANSITION', 'The meeting has not started, so it cannot be ended.'));
  const run = meeting.run;
  const gaps = endGaps(run);
  if (gaps.length > 0) return err(validation({ meeting: `Before ending the meeting: ${gaps.join(' ')}` }));
  const decision = run.decision!;
  const check = applyDecision(caseRecord, meeting, decision);
  if (!check.ok) return err(appError('ILLEGAL_TRANSITION', check.error.message));

  const area = await loadArea(deps);
  const agencyName = (id: string) => area.agencies.find((a) => a.id === id)?.name ?? id;
  for (const a of run.plan) {
    await deps.actions.createOnce(
      actionIdFor(meeting.id, a.key),
      {
        areaId: meeting.areaId,
        caseId: meeting.caseId,
        meetingId: meeting.id,
        text: a.text,
        ownerName: a.ownerName ?? agencyName(a.ownerAgencyId),
        ...(a.ownerAadObjectId ? { ownerAadObjectId: a.ownerAadObjectId } : {}),
        ownerAgencyId: a.ownerAgencyId,
        dueDate: a.dueDate,
        pillar: a.pillar,
        status: 'open',
        updateAtNextMeeting: true,
      },
      { by: actor, details: { key: a.key } },
    );
  }
  const caseSaved = await saveCaseDecision(deps, actor, meeting, decision);
  if (!caseSaved.ok)
    return err(
      appError(
        caseSaved.error.code === 'VERSION_CONFLICT' ? 'VERSION_CONFLICT' : 'ILLEGAL_TRANSITION',
        caseSaved.error.message,
      ),
    );

  let current = meeting;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    if (current.status === 'held')
      return ok({ meeting: current, actions: await actionsOf(current), alreadyEnded: true });
    const now = deps.clock.now().toISOString();
    const closed = await deps.meetings.update(
      current.id,
      current.version,
      {
        status: 'held',
        run: {
          ...current.run!,
          endedAt: now,
          endedBy: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
        },
      },
      { by: actor, action: 'meeting.ended', details: { actions: run.plan.length, ...forChair } },
    );
    if (closed.ok) {
      await draftMinutesAfterEnd(deps, closed.value.id);
      return ok({ meeting: closed.value, actions: await actionsOf(closed.value), alreadyEnded: false });
    }
    if (closed.error.code !== 'VERSION_CONFLICT') return err(closed.error);
    const again = await deps.meetings.get(current.id);
    if (!again.ok) return err(again.error);
    current = again.value;
  }
  return err(appError('VERSION_CONFLICT', 'The meeting kept changing while it closed; end it again.'));
}
