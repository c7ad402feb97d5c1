import {
  areaCalendar,
  categoryInfo,
  deadlineForArea,
  personInitials,
  redactForReader,
  ukDateOf,
  withheldFields,
  withProvenance,
  workingDaysBetween,
  workingDaysLate,
  type Area,
  type CaseStatus,
  type IsoDate,
  type Notification,
  type Subject,
  type SubjectIdentifiers,
  type TimescaleKey,
  type WorkingCalendar,
} from '../../domain';
import { can, type Principal } from '../../domain/policy';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import type { CaseRecord } from '../ports/case-repository.port';
import type { NotificationRecord } from '../ports/notification-repository.port';
import { actorOf } from '../shared/actor';
import type { DecidedNotification } from './decide';
import { getArea, loadNotification, parseReason, type DecisionVerb, type NotificationDeps } from './shared';

export interface NotificationDeadline {
  readonly key: TimescaleKey;
  readonly label: string;
  readonly due: IsoDate;
  /** Working days from today to the due date, while the step is open and not yet late. */
  readonly daysLeft?: number;
  /** Working days late: of the step when it was done late, or so far when it is still open. */
  readonly lateBy?: number;
  readonly done: boolean;
}

export interface NotificationSummary {
  readonly id: string;
  readonly caseRef: string;
  readonly categoryLabel: string;
  /** e.g. 'J.D.': what a channel card shows instead of a name. */
  readonly initials: string;
  readonly leadAgencyName: string;
  readonly receivedOn: IsoDate;
  readonly status: Notification['status'];
  readonly caseStatus: CaseStatus;
  readonly decision?: {
    /** Which decision button was pressed; absent for a notification returned by other means. */
    readonly verb?: DecisionVerb;
    readonly outcome: 'accepted' | 'returned';
    readonly label: string;
    readonly byName: string;
    readonly at: string;
  };
  readonly deadlines: readonly NotificationDeadline[];
  /** The notification joined the person's open case rather than opening one. */
  readonly joinedExistingCase: boolean;
  /** Today, and the referral date the area's rule suggests (null when the area sets no timescale). */
  readonly today: IsoDate;
  readonly referralDueDefault: IsoDate | null;
  readonly referralRuleLabel: string | null;
  /** Only for a viewer allowed to read the case; reading it is audited as 'case.viewed'. */
  readonly full?: {
    readonly names: { readonly given: string; readonly family: string; readonly aliases: readonly string[] };
    readonly dateOfBirth: IsoDate;
    readonly gender?: string;
    readonly identifiers: SubjectIdentifiers;
    readonly custodyStatus: Subject['status'];
    readonly expectedReleaseDate?: IsoDate;
    readonly sentenceDate?: IsoDate;
    readonly eligibilityReasons: readonly string[];
    readonly notes?: string;
    /** Police-only fields removed for this viewer (dotted paths), for a "some content withheld" line. */
    readonly withheld: readonly string[];
    /** Open cases of other people sharing a reference number with this one (see Notification.identityCheck). */
    readonly identityConflictRefs: readonly string[] | null;
  };
}

const DEADLINE_LABELS: Readonly<Partial<Record<TimescaleKey, string>>> = {
  notificationAfterSentence: 'Notification due after sentence',
  coordinatorDecision: 'Co-ordinator decision due',
  referralAfterNotification: 'Referral to Level 2/3 due',
};

function deadlineRow(
  area: Area,
  cal: WorkingCalendar,
  key: TimescaleKey,
  from: IsoDate,
  doneOn: IsoDate | undefined,
  today: IsoDate,
  chosen?: IsoDate,
): NotificationDeadline | null {
  const d = deadlineForArea(area, key, from);
  if (!d && chosen === undefined) return null;
  const base = {
    key,
    label: d ? withProvenance(DEADLINE_LABELS[key] ?? key, d.provenance) : (DEADLINE_LABELS[key] ?? key),
    // A date the co-ordinator set when deciding replaces the area's rule.
    due: chosen ?? d!.due,
  };
  if (doneOn !== undefined) {
    const late = workingDaysLate(base.due, doneOn, cal);
    return { ...base, done: true, ...(late > 0 ? { lateBy: late } : {}) };
  }
  if (today <= base.due) return { ...base, done: false, daysLeft: workingDaysBetween(today, base.due, cal) };
  return { ...base, done: false, lateBy: workingDaysLate(base.due, today, cal) };
}

async function caseRefs(deps: NotificationDeps, ids: readonly string[]): Promise<string[]> {
  const refs: string[] = [];
  for (const id of ids) {
    const c = await deps.repos.cases.get(id);
    if (c.ok) refs.push(c.value.ref);
  }
  return refs;
}

/**
 * The view model behind notification cards. Everyone gets the minimal view (initials, category, lead
 * agency, dates and deadlines); a viewer allowed to read the case also gets `full`, read through
 * `getForReader` so the read is audited, with police-only fields removed for readers without ViSOR.
 */
export async function notificationSummary(
  deps: NotificationDeps,
  notificationId: string,
  viewer: Principal | null,
): Promise<Result<NotificationSummary, AppError<'NOT_FOUND'>>> {
  const loaded = await loadNotification(deps, null, notificationId);
  if (!loaded.ok) return loaded;
  return ok((await summarise(deps, loaded.value, viewer)).forViewer);
}

/**
 * After a decision, the channel's summary (everyone's minimal view) and the decider's (with the
 * content they may read, audited as `case.viewed`), both from the records the decision wrote or read:
 * nothing is read again, and the person at most once.
 */
export async function decisionSummaries(
  deps: NotificationDeps,
  decided: Pick<DecidedNotification, 'notification' | 'caseRecord'>,
  viewer: Principal,
): Promise<Result<{ channel: NotificationSummary; forViewer: NotificationSummary }, AppError<'NOT_FOUND'>>> {
  const n = decided.notification;
  const c = decided.caseRecord;
  if (n.areaId !== deps.areaId || n.caseId !== c.id) return err(appError('NOT_FOUND'));
  return ok(await summarise(deps, { notification: n, caseRecord: c, area: await getArea(deps) }, viewer));
}

async function summarise(
  deps: NotificationDeps,
  loaded: { notification: NotificationRecord; caseRecord: CaseRecord; area: Area },
  viewer: Principal | null,
): Promise<{ channel: NotificationSummary; forViewer: NotificationSummary }> {
  const { notification: n, caseRecord: c, area } = loaded;
  // A reader in scope reads the person through the audited dossier; everyone else needs only the initials.
  const allowed =
    viewer?.member !== undefined &&
    can(viewer, 'case.read', {
      case: {
        areaId: c.areaId,
        leadAgencyId: c.leadAgencyId,
        involvedAgencyIds: [],
        referrerAadObjectId: n.notifiedBy.aadObjectId,
      },
    }).allowed;
  // The case just read (or written) is handed over, so the audited read reads only the person.
  const dossier = viewer && allowed ? await deps.repos.cases.getForReader(c.id, actorOf(viewer), c) : null;
  const person = dossier?.ok ? dossier.value.subject : null;
  const subjectName = person
    ? person.name
    : await deps.repos.subjects.get(n.subjectId).then((r) => (r.ok ? r.value.name : null));
  const cal = areaCalendar(area);
  const today = ukDateOf(deps.clock.now());
  const { verb } = parseReason(n.decision?.reason);
  const decidedOn = n.decision ? ukDateOf(new Date(n.decision.decidedAt)) : undefined;

  const rows: (NotificationDeadline | null)[] = [
    n.sentenceDate ? deadlineRow(area, cal, 'notificationAfterSentence', n.sentenceDate, n.notifiedOn, today) : null,
    deadlineRow(area, cal, 'coordinatorDecision', n.notifiedOn, decidedOn, today),
    // A referral is still expected unless the co-ordinator settled the case at Level 1 or returned it.
    n.status === 'returned' || verb === 'level1'
      ? null
      : deadlineRow(
          area,
          cal,
          'referralAfterNotification',
          n.notifiedOn,
          c.keyDates.referralDate,
          today,
          n.decision?.referralDue,
        ),
  ];
  const rule = deadlineForArea(area, 'referralAfterNotification', n.notifiedOn);

  const summary: NotificationSummary = {
    id: n.id,
    caseRef: c.ref,
    categoryLabel: categoryInfo(area.jurisdiction, n.category)?.label ?? n.category,
    initials: subjectName ? personInitials(subjectName) : '?',
    leadAgencyName: area.agencies.find((a) => a.id === n.leadAgencyId)?.name ?? n.leadAgencyId,
    receivedOn: n.notifiedOn,
    status: n.status,
    caseStatus: c.status,
    ...(n.decision
      ? {
          decision: {
            ...(verb ? { verb } : {}),
            outcome: n.decision.outcome,
            label:
              (n.decision.reason ?? '').split('\n')[0] || (n.decision.outcome === 'returned' ? 'Returned' : 'Accepted'),
            byName: n.decision.decidedBy.displayName,
            at: n.decision.decidedAt,
          },
        }
      : {}),
    deadlines: rows.filter((r): r is NotificationDeadline => r !== null),
    joinedExistingCase: n.joinedExistingCase ?? false,
    today,
    referralDueDefault: rule?.due ?? null,
    referralRuleLabel: rule?.label ?? null,
  };
  if (!viewer?.member || !person) return { channel: summary, forViewer: summary };
  const visor = area.agencies.find((a) => a.id === viewer.member?.agencyId)?.visorAccess ?? false;
  const shown = redactForReader('subject', person, visor);
  const forViewer: NotificationSummary = {
    ...summary,
    full: {
      names: { given: shown.name.given, family: shown.name.family, aliases: shown.aliases },
      dateOfBirth: shown.dateOfBirth,
      ...(shown.gender !== undefined ? { gender: shown.gender } : {}),
      identifiers: shown.identifiers,
      custodyStatus: shown.status,
      ...(n.expectedReleaseDate !== undefined ? { expectedReleaseDate: n.expectedReleaseDate } : {}),
      ...(n.sentenceDate !== undefined ? { sentenceDate: n.sentenceDate } : {}),
      eligibilityReasons: n.eligibilityReasons,
      ...(n.notes !== undefined ? { notes: n.notes } : {}),
      withheld: visor ? [] : withheldFields('subject', person),
      identityConflictRefs: n.identityCheck ? await caseRefs(deps, n.identityCheck.conflictingCaseIds) : null,
    },
  };
  return { channel: summary, forViewer };
}
