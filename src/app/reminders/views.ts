import type { ActionView } from '../actions';
import { viewAction } from '../actions';
import type { ActionDeps } from '../actions';
import { agencyNamesOf } from '../actions/shared';
import { areaCalendar } from '../../domain/area.schema';
import { rollToWorkingDay, workingDaysBetween } from '../../domain/calendar';
import { addDays, compareDates, ukDateOf } from '../../domain/dates';
import { can, type Principal } from '../../domain/policy';
import { londonInstant, REMINDER_KIND_LABELS, type Reminder } from '../../domain/reminders';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import { requireArea } from '../shared/area';
import { agenciesWithoutUpdate } from './deadlines';
import type { ReminderDeps } from './deps';

/** At most this many action cards in one `my actions` answer; the rest are counted. */
export const MY_ACTIONS_LIMIT = 10;

export interface MyActions {
  readonly views: ActionView[];
  readonly more: number;
  /**
   * The open actions of the caller's agency with no named owner (they are reminded of those too), kept
   * apart from their own: null when the caller has no agency.
   */
  readonly unowned: { readonly agencyName: string; readonly views: ActionView[]; readonly more: number } | null;
}

// How many of an agency's unowned actions are read to count them; a backlog past this is "at least".
const UNOWNED_SCAN = 200;

/**
 * The caller's open actions across cases (named as owner), soonest due first, each as its card shows
 * it; then their agency's open actions that name no owner.
 */
export async function myActions(
  deps: ReminderDeps & { readonly run: ActionDeps },
  principal: Principal,
): Promise<MyActions> {
  const [open, inProgress] = await Promise.all([
    deps.actions.listForOwner(principal.aadObjectId),
    deps.actions.listForOwner(principal.aadObjectId, { status: 'in_progress' }),
  ]);
  const mine = [...open, ...inProgress]
    .filter((a) => a.areaId === deps.areaId)
    .sort((a, b) => compareDates(a.dueDate, b.dueDate));
  // Seeing an action still needs need-to-know on its case (an owner moved agency, a case closed), so
  // both what is shown and what is counted as "due later" go through viewAction; actions of one case
  // share its answer, so a long list costs one check per case, not per action.
  const visibleByCase = new Map<string, boolean>();
  const listed = async (list: readonly { id: string; caseId: string }[]) => {
    const views: ActionView[] = [];
    let more = 0;
    for (const a of list) {
      if (views.length >= MY_ACTIONS_LIMIT) {
        if (visibleByCase.get(a.caseId) === false) continue;
        if (!visibleByCase.has(a.caseId)) visibleByCase.set(a.caseId, (await viewAction(deps.run, principal, a.id)).ok);
        if (visibleByCase.get(a.caseId)) more++;
        continue;
      }
      const v = await viewAction(deps.run, principal, a.id);
      visibleByCase.set(a.caseId, v.ok);
      if (v.ok) views.push(v.value);
    }
    return { views, more };
  };
  const own = await listed(mine);
  const agencyId = principal.member?.agencyId;
  let unowned: MyActions['unowned'] = null;
  if (agencyId) {
    const theirs = await deps.actions.listUnownedForAgency(deps.areaId, agencyId, UNOWNED_SCAN);
    const area = await requireArea(deps.members, deps.areaId);
    unowned = { agencyName: agencyNamesOf(area)[agencyId] ?? agencyId, ...(await listed(theirs)) };
  }
  return { views: own.views, more: own.more, unowned };
}

export interface OverdueLine {
  readonly caseRef: string;
  readonly what: string;
  readonly due: string;
  readonly overdueDays: number;
}

export interface OverdueGroup {
  readonly agency: string;
  readonly lines: OverdueLine[];
}

export type CoordinatorOnly = AppError<'NOT_PERMITTED'>;

const coordinatorsOnly = (p: Principal): CoordinatorOnly | null =>
  p.member?.roles.includes('coordinator') && can(p, 'case.read').allowed
    ? null
    : appError('NOT_PERMITTED', 'Only the co-ordinator can see this.');

/**
 * Every overdue action and late deadline in the area, grouped by the agency that owns the next step
 * (deadlines the co-ordinator owns under "MAPPA co-ordinator"), most overdue first. A deadline owned
 * by several agencies is a line under each, and counts once per agency.
 */
export async function overdueReport(
  deps: ReminderDeps,
  principal: Principal,
): Promise<Result<{ groups: OverdueGroup[]; total: number }, CoordinatorOnly>> {
  const refused = coordinatorsOnly(principal);
  if (refused) return err(refused);
  const area = await requireArea(deps.members, deps.areaId);
  const calendar = areaCalendar(area);
  const names = agencyNamesOf(area);
  const today = ukDateOf(deps.clock.now());
  const yesterday = addDays(today, -1);
  const actions = await deps.actions.listDue({ onOrBefore: yesterday, areaId: deps.areaId, limit: 2000 });
  const refs = new Map<string, string>();
  const refOf = async (caseId: string): Promise<string> => {
    if (!refs.has(caseId)) {
      const c = await deps.cases.get(caseId);
      refs.set(caseId, c.ok ? c.value.ref : 'unknown case');
    }
    return refs.get(caseId) ?? 'unknown case';
  };
  const byAgency = new Map<string, OverdueLine[]>();
  const add = (agency: string, line: OverdueLine) => byAgency.set(agency, [...(byAgency.get(agency) ?? []), line]);
  for (const a of actions) {
    add(names[a.ownerAgencyId] ?? a.ownerAgencyId, {
      caseRef: await refOf(a.caseId),
      what: 'Action',
      due: a.dueDate,
      overdueDays: workingDaysBetween(a.dueDate, today, calendar),
    });
  }
  const now = deps.clock.now().toISOString();
  for (const r of await deps.reminders.listOpenDeadlines(deps.areaId, today, 2000)) {
    // Past its closing time it is no longer late work, only not yet swept away.
    if (r.closesAt !== null && r.closesAt <= now) continue;
    const line = {
      caseRef: r.caseRef,
      what: REMINDER_KIND_LABELS[r.kind],
      due: r.due,
      overdueDays: workingDaysBetween(r.due, today, calendar),
    };
    for (const agencyId of await stepOwners(deps, r)) add(agencyId ? (names[agencyId] ?? agencyId) : COORDINATOR, line);
  }
  const groups = [...byAgency.entries()]
    .map(([agency, lines]) => ({ agency, lines: lines.sort((x, y) => y.overdueDays - x.overdueDays) }))
    .sort((x, y) => y.lines.length - x.lines.length || x.agency.localeCompare(y.agency));
  return ok({ groups, total: groups.reduce((n, g) => n + g.lines.length, 0) });
}

const COORDINATOR = 'MAPPA co-ordinator';

/**
 * The agencies that own a late deadline's step (null: the co-ordinator). Prepared updates belong to
 * each invited agency still without one, so each is listed under its own agency; an agency that has
 * prepared since is not.
 */
async function stepOwners(deps: ReminderDeps, r: Reminder): Promise<(string | null)[]> {
  if (r.kind !== 'prepared_updates') return [r.agencyId];
  const meeting = await deps.deadlines.meetings.get(r.subjectId);
  return meeting.ok ? agenciesWithoutUpdate(deps, meeting.value) : [null];
}

export interface RemindersReport {
  readonly upcoming: Reminder[];
  /** Each reminder with a send since `sentSince`, once; its `sends` say how many and when. */
  readonly sent: Reminder[];
  readonly sentSince: string;
  readonly undelivered: Reminder[];
}

/** What is due to go out (to the end of the next working day), what went out this week, what did not arrive. */
export async function remindersReport(
  deps: ReminderDeps,
  principal: Principal,
): Promise<Result<RemindersReport, CoordinatorOnly>> {
  const refused = coordinatorsOnly(principal);
  if (refused) return err(refused);
  const now = deps.clock.now();
  const area = await requireArea(deps.members, deps.areaId);
  // To the end of the next working day (weekends and bank holidays skipped): on a Friday, Monday's.
  const nextWorkingDay = rollToWorkingDay(addDays(ukDateOf(now), 1), areaCalendar(area), 1);
  const until = londonInstant(addDays(nextWorkingDay, 1), '00:00');
  const upcoming = await deps.reminders.listUpcoming(deps.areaId, until, 50);
  const since = new Date(now.getTime() - 7 * 86_400_000);
  const sent = await deps.reminders.listSentSince(deps.areaId, since, 200);
  return ok({
    upcoming: upcoming.filter(
      (r) => (r.claimToken === null || r.nextAt > now.toISOString()) && (r.closesAt === null || r.nextAt < r.closesAt),
    ),
    sent,
    sentSince: since.toISOString(),
    undelivered: await deps.reminders.listUndelivered(deps.areaId, 200),
  });
}

export interface DigestLine {
  readonly caseRef: string;
  readonly agency: string;
  readonly due: string;
  readonly overdue: boolean;
}

/**
 * The co-ordinator channel's morning digest: open actions overdue or due within five working days,
 * by case reference, owner agency and due date only (the channel is no place for names or text).
 * Empty on a closed day, so the job posts nothing then.
 */
export async function channelDigest(deps: ReminderDeps): Promise<DigestLine[]> {
  const area = await requireArea(deps.members, deps.areaId);
  const calendar = areaCalendar(area);
  const today = ukDateOf(deps.clock.now());
  if (calendar.closure(today) !== null) return [];
  const names = agencyNamesOf(area);
  let horizon = today;
  for (let n = 0; n < 5;) {
    horizon = addDays(horizon, 1);
    if (calendar.closure(horizon) === null) n += 1;
  }
  const due = await deps.actions.listDue({ onOrBefore: horizon, areaId: deps.areaId, limit: 500 });
  const out: DigestLine[] = [];
  for (const a of due) {
    const c = await deps.cases.get(a.caseId);
    if (!c.ok) continue;
    out.push({
      caseRef: c.value.ref,
      agency: names[a.ownerAgencyId] ?? a.ownerAgencyId,
      due: a.dueDate,
      overdue: compareDates(a.dueDate, today) < 0,
    });
  }
  return out.sort((x, y) => x.caseRef.localeCompare(y.caseRef) || compareDates(x.due, y.due));
}
