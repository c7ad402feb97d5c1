import type { Area } from '../../domain/area.schema';
import { areaCalendar } from '../../domain/area.schema';
import type { DecisionRecord } from '../../domain/case.schema';
import { compareDates, ukDateOf } from '../../domain/dates';
import type { Meeting } from '../../domain/meeting.schema';
import type { Minutes } from '../../domain/minutes.schema';
import { readerCopy } from '../minutes/shared';
import { redactForReader, withheldFields } from '../../domain/police-only';
import { can, type Principal } from '../../domain/policy';
import type { Subject } from '../../domain/subject.schema';
import { workingDaysLate } from '../../domain/timescales';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import type { ActionRecord } from '../ports/action-repository.port';
import { CaseRef, type CaseRecord } from '../ports/case-repository.port';
import { actorOf } from '../shared/actor';
import { requireArea } from '../shared/area';
import type { FieldErrors } from '../shared/field-errors';
import { caseScopeOf, isCaseChair, isCoordinator, type ActionDeps } from './shared';

/** Where the case's next meeting or review stands; `lateBy` in working days when it is overdue. */
export type CaseSchedule =
  | { readonly kind: 'meeting'; readonly meeting: Meeting; readonly dueBy?: string; readonly lateBy: number }
  | { readonly kind: 'review'; readonly dueBy: string; readonly lateBy: number }
  | { readonly kind: 'none' };

export interface CaseOverview {
  readonly caseRecord: CaseRecord;
  /** As this reader may see it: police-only identifiers removed for duty-to-co-operate readers. */
  readonly subject: Subject | null;
  /** True when police-only text was withheld from this reader. */
  readonly withheld: boolean;
  readonly area: Area;
  readonly schedule: CaseSchedule;
  /** Open and in-progress actions, each with whether this reader may update it. */
  readonly openActions: readonly { readonly action: ActionRecord; readonly mayUpdate: boolean }[];
  /** The case's minutes, oldest first, with their meeting's date: dates, revision and status only. */
  readonly minutes: readonly {
    readonly minutes: Minutes;
    readonly meetingDate?: string;
    /** The draft revision of an open correction; `minutes` is then the approved revision readers see. */
    readonly correctionInProgress: number | null;
  }[];
  /** Level and category decisions, oldest first, with who decided and why. */
  readonly decisions: readonly DecisionRecord[];
}

export type CaseViewError =
  AppError<'NOT_FOUND'> | (AppError<'VALIDATION_FAILED'> & { readonly fieldErrors: FieldErrors });

const UPCOMING: readonly Meeting['status'][] = ['scheduled', 'in_progress'];

function scheduleOf(c: CaseRecord, meetings: readonly Meeting[], area: Area, today: string): CaseSchedule {
  const cal = areaCalendar(area);
  const next = meetings
    .filter((m) => UPCOMING.includes(m.status))
    .sort((a, b) => a.scheduledStart.localeCompare(b.scheduledStart))[0];
  if (next) {
    // Late when it is set after the date it was due by, or that date has passed without it.
    const held = ukDateOf(new Date(next.scheduledStart));
    const lateBy = next.dueBy ? workingDaysLate(next.dueBy, compareDates(held, today) > 0 ? held : today, cal) : 0;
    return { kind: 'meeting', meeting: next, ...(next.dueBy ? { dueBy: next.dueBy } : {}), lateBy };
  }
  const due = c.keyDates.nextReviewDate;
  if (due && c.status !== 'exited') return { kind: 'review', dueBy: due, lateBy: workingDaysLate(due, today, cal) };
  return { kind: 'none' };
}

/**
 * `case` and a reference: where the case stands, for anyone the need-to-know rule lets see it. A case
 * that does not exist and one the caller may not see get the same answer, word for word. The
 * opening is audited once ('case.viewed') before anything is returned.
 */
export async function viewCase(
  deps: ActionDeps,
  principal: Principal,
  rawRef: string,
): Promise<Result<CaseOverview, CaseViewError>> {
  const ref = CaseRef.safeParse(rawRef);
  if (!ref.success)
    return err({
      ...appError('VALIDATION_FAILED', 'Case references look like MAPPA-2026-0042.'),
      fieldErrors: { reference: 'Type case and the case reference, for example case MAPPA-2026-0042.' },
    });
  const notFound = appError('NOT_FOUND', `No case ${ref.data} was found among the cases you can see.`);
  const found = await deps.cases.getByRef(deps.areaId, ref.data);
  if (!found.ok) return err(notFound);
  const c = found.value;
  const [meetings, actions, minutes] = await Promise.all([
    deps.meetings.listForCase(c.id),
    deps.actions.listForCase(c.id),
    deps.minutes.listForCase(c.id),
  ]);
  if (!can(principal, 'case.read', { case: caseScopeOf(c, meetings, actions) }).allowed) return err(notFound);
  const dossier = await deps.cases.getForReader(c.id, actorOf(principal));
  if (!dossier.ok) return err(notFound);
  const area = await requireArea(deps.members, deps.areaId);
  const reader = area.agencies.find((a) => a.id === principal.member?.agencyId);
  const visor = reader?.visorAccess ?? false;
  const subject = dossier.value.subject;
  const today = ukDateOf(deps.clock.now());
  const chair = isCaseChair(principal, meetings);
  const mayUpdate = (a: ActionRecord) =>
    can(principal, 'action.update', { case: caseScopeOf(c, meetings, actions) }).allowed &&
    (isCoordinator(principal) || chair || principal.member?.agencyId === a.ownerAgencyId);
  const meetingDate = (id: string) => meetings.find((m) => m.id === id)?.scheduledStart;
  return ok({
    caseRecord: dossier.value.case,
    subject: subject ? redactForReader('subject', subject, visor) : null,
    withheld: !visor && subject !== null && withheldFields('subject', subject).length > 0,
    area,
    schedule: scheduleOf(c, meetings, area, today),
    openActions: actions
      .filter((a) => a.status === 'open' || a.status === 'in_progress')
      .map((a) => ({ action: a, mayUpdate: mayUpdate(a) })),
    minutes: await Promise.all(
      minutes.map(async (stored) => {
        const held = meetings.find((x) => x.id === stored.meetingId)?.level ?? stored.meetingDetails.level;
        const { minutes: m, correctionInProgress } = await readerCopy(deps, stored, held);
        const date = meetingDate(m.meetingId);
        return date ? { minutes: m, meetingDate: date, correctionInProgress } : { minutes: m, correctionInProgress };
      }),
    ),
    decisions: [...dossier.value.case.history].sort((a, b) => a.decidedAt.localeCompare(b.decidedAt)),
  });
}
