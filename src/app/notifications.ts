import { z } from 'zod';
import {
  areaCalendar,
  categoryInfo,
  compareIdentity,
  deadlineForArea,
  personInitials,
  leadAgencyStatus,
  redactForReader,
  transition,
  ukDateOf,
  withheldFields,
  withProvenance,
  workingDaysBetween,
  workingDaysLate,
  type Actor,
  type Area,
  type CaseError,
  type CaseStatus,
  IsoDate,
  type Notification,
  type Subject,
  type SubjectIdentifiers,
  type TimescaleKey,
  type WorkingCalendar,
} from '../domain';
import { can, type Principal } from '../domain/policy';
import { appError, type AppError } from '../lib/errors';
import { err, ok, type Result } from '../lib/result';
import {
  areaErrors,
  dateErrors,
  NotificationForm,
  notificationFieldErrors,
  type FieldErrors,
} from './notification-form';
import type { CaseRecord } from './ports/case-repository.port';
import type { Clock } from './ports/clock.port';
import { conflictingOpenCaseIds, ensureOpenCase, ensurePerson, matchPerson } from './open-case';
import type { IntakeClaim, IntakeClaimRepository, IntakeProgress } from './ports/intake-claim.port';
import type { Repositories } from './ports';
import type { NewNotification, NotificationRecord } from './ports/notification-repository.port';
import type { AuditDetails, RequestActor } from './ports/write-context.port';

export {
  BOOLEAN_ELIGIBILITY_FACTS,
  NOTIFICATION_FIELDS,
  NotificationForm,
  NotificationJson,
  notificationFieldErrors,
  type FieldErrors,
  type NotificationErrorKey,
  type NotificationField,
  type NotificationJsonInput,
} from './notification-form';

/* ------------------------------------------------------------------ receive */

export interface NotificationDeps {
  readonly repos: Repositories;
  readonly clock: Clock;
  readonly areaId: string;
}

/** Lease timing for intake; the defaults suit production, tests shorten them. */
export interface IntakeTiming {
  /** How long a holder may take before another delivery of the same key may take over. */
  readonly leaseMs: number;
  /** How often a delivery waiting on another one checks whether it has finished. */
  readonly pollMs: number;
  /** How long a delivery waits for another one before giving up with IntakeBusyError. */
  readonly maxWaitMs: number;
}
const DEFAULT_TIMING: IntakeTiming = { leaseMs: 30_000, pollMs: 100, maxWaitMs: 35_000 };

export interface ReceiveDeps extends NotificationDeps {
  readonly claims: IntakeClaimRepository;
  readonly timing?: Partial<IntakeTiming>;
}

export type NotificationValidationError = AppError<'VALIDATION_FAILED'> & { readonly fieldErrors: FieldErrors };
export type ReceiveNotificationError =
  NotificationValidationError | AppError<'UNKNOWN_AGENCY' | 'NOT_A_LEAD_AGENCY'> | AppError<'IDEMPOTENCY_CONFLICT'>;

export interface ReceivedNotification {
  readonly notification: NotificationRecord;
  readonly caseRef: string;
  /** False when this key had already been received: nothing new was written. */
  readonly created: boolean;
}

/**
 * Another delivery of the same notification held the lease for longer than we were willing to wait.
 * Nothing was written by this call; the sender should retry (the intake route answers 503).
 */
export class IntakeBusyError extends Error {
  readonly code = 'INTAKE_BUSY';
  constructor() {
    super('Another delivery of this notification is still being processed');
    this.name = 'IntakeBusyError';
  }
}

class LeaseLost extends Error {}

/** The sending system's reference as the API accepts it: printable ASCII, short enough to namespace. */
export const IntakeExternalRef = z
  .string({ error: 'Give the reference your system holds for this notification' })
  .trim()
  .min(1, 'Give the reference your system holds for this notification')
  .max(128, 'Keep externalRef to 128 characters')
  .regex(/^[\x20-\x7e]+$/, 'Use printable ASCII characters only');

const DraftId = z.string().trim().min(1).max(128);

const invalid = (fieldErrors: FieldErrors): NotificationValidationError => ({
  ...appError('VALIDATION_FAILED', 'Some fields need attention.'),
  fieldErrors,
});

/*
 * Idempotency keys are namespaced by who sent them, so one agency's reference can never return
 * another agency's notification, nor a Teams draft id someone else's.
 */
const API_PREFIX = 'ext:';
const TEAMS_PREFIX = 'teams:';

function intakeKey(
  by: { actor: RequestActor; fixedLeadAgencyId?: string },
  opts: { externalRef?: string; idempotencyKey?: string },
): Result<string, FieldErrors> {
  if (opts.externalRef !== undefined) {
    const ref = IntakeExternalRef.safeParse(opts.externalRef);
    if (!ref.success) return err({ externalRef: ref.error.issues[0]?.message ?? 'Invalid externalRef' });
    return ok(`${API_PREFIX}${by.fixedLeadAgencyId ?? by.actor.aadObjectId}:${ref.data}`);
  }
  const draft = DraftId.safeParse(opts.idempotencyKey);
  // Without a draft id a retry cannot be recognised; a fresh key still keeps the write path single.
  return ok(`${TEAMS_PREFIX}${by.actor.aadObjectId}:${draft.success ? draft.data : globalThis.crypto.randomUUID()}`);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function caseRefOf(deps: NotificationDeps, n: NotificationRecord): Promise<string> {
  if (n.caseId === undefined) throw new Error(`Notification ${n.id} has no case`);
  const c = await deps.repos.cases.get(n.caseId);
  if (!c.ok) throw new Error(`Notification ${n.id} points at a missing case`);
  return c.value.ref;
}

/**
 * Receives a notification from the Teams form or the intake API (the same path for both). Writes
 * the subject (or reuses the matching one), a 'notified' case and the notification, in that order,
 * under a lease on the idempotency key: the notification (the only thing the co-ordinator's queue
 * shows) is written last and carries its case, so it is never visible half-made, and a retry after
 * a crash resumes from the recorded progress instead of duplicating. The same key twice returns the
 * first notification with `created: false` and writes nothing.
 *
 * `by.fixedLeadAgencyId` is the intake caller's agency: the body may repeat it but not change it.
 * `opts.externalRef` is the API sender's reference; `opts.idempotencyKey` the Teams form's draft id.
 * Database failures throw (nothing is reported as received); IntakeBusyError means retry later.
 */
export async function receiveNotification(
  deps: ReceiveDeps,
  raw: unknown,
  by: { actor: RequestActor; fixedLeadAgencyId?: string },
  opts: { externalRef?: string; idempotencyKey?: string } = {},
): Promise<Result<ReceivedNotification, ReceiveNotificationError>> {
  const timing = { ...DEFAULT_TIMING, ...deps.timing };
  const today = ukDateOf(deps.clock.now());
  const key = intakeKey(by, opts);
  if (!key.ok) return err(invalid(key.error));
  const parsed = NotificationForm.safeParse(raw);
  if (!parsed.success) return err(invalid(notificationFieldErrors(parsed.error)));
  const form = parsed.data;
  const dates = dateErrors(form, today);
  if (Object.keys(dates).length > 0) return err(invalid(dates));

  const area = await getArea(deps);
  const fieldErrors = areaErrors(form, area);
  const fixed = by.fixedLeadAgencyId;
  if (fixed !== undefined && form.leadAgencyId !== undefined && form.leadAgencyId !== fixed) {
    fieldErrors.leadAgencyId = `Notifications from this application are led by ${fixed}; leave leadAgencyId out or send ${fixed}`;
  }
  const leadAgencyId = fixed ?? form.leadAgencyId;
  if (leadAgencyId === undefined) fieldErrors.leadAgencyId = 'Choose the lead agency';
  if (Object.keys(fieldErrors).length > 0 || leadAgencyId === undefined) return err(invalid(fieldErrors));
  const lead = leadAgencyStatus(area.agencies, leadAgencyId);
  if (lead === 'unknown') {
    return err(appError('UNKNOWN_AGENCY', undefined, { agencyId: leadAgencyId, areaId: area.id }));
  }
  if (lead === 'cannot_lead') {
    const name = area.agencies.find((a) => a.id === leadAgencyId)?.name ?? leadAgencyId;
    const why = `${name} cannot lead a case`;
    // An intake caller cannot fix its allow-listed agency by changing the body; a Teams user can pick another.
    if (fixed !== undefined)
      return err(appError('NOT_A_LEAD_AGENCY', `${why}, so it cannot send notifications.`, { agencyId: leadAgencyId }));
    return err(invalid({ leadAgencyId: `${why}; choose the agency that manages the person` }));
  }

  const plan: IntakePlan = { form, area, leadAgencyId, today, key: key.value, actor: by.actor };
  const existing = await deps.repos.notifications.findByExternalRef(area.id, plan.key);
  if (existing.ok) {
    // A repeat must be the same notification: the same reference about another person is a mistake.
    const stored = await deps.repos.subjects.get(existing.value.subjectId);
    if (stored.ok && compareIdentity(stored.value, subjectInput(plan)) !== 'same')
      return err(
        appError(
          'IDEMPOTENCY_CONFLICT',
          'This reference was already used for a notification about a different person. Use a new reference for a new notification.',
        ),
      );
    return ok({ notification: existing.value, caseRef: await caseRefOf(deps, existing.value), created: false });
  }

  const owner = globalThis.crypto.randomUUID();
  for (let attempt = 0; attempt < 3; attempt++) {
    const claimed = await claimOrFinished(deps, plan, owner, timing);
    if ('done' in claimed) {
      return ok({ notification: claimed.done, caseRef: await caseRefOf(deps, claimed.done), created: false });
    }
    try {
      return ok(await writeIntake(deps, plan, owner, claimed.claim));
    } catch (error) {
      // Let a retry start at once instead of waiting out the lease; if the database is down this
      // fails too and the lease simply expires.
      await deps.claims.release(area.id, plan.key, owner).catch(() => undefined);
      if (!(error instanceof LeaseLost)) throw error;
    }
  }
  throw new IntakeBusyError();
}

/** Audit context for the intake's writes; each repository names its own action. */
interface IntakeCtx {
  readonly by: RequestActor;
  readonly details: AuditDetails;
}

interface IntakePlan {
  readonly form: NotificationForm;
  readonly area: Area;
  readonly leadAgencyId: string;
  readonly today: IsoDate;
  readonly key: string;
  readonly actor: RequestActor;
}

async function getArea(deps: NotificationDeps): Promise<Area> {
  const area = await deps.repos.members.getArea(deps.areaId);
  // The composition root names the area; its absence is a deployment fault, not the caller's.
  if (!area.ok) throw new Error(`Area ${deps.areaId} is not configured`);
  return area.value;
}

async function claimOrFinished(
  deps: ReceiveDeps,
  plan: IntakePlan,
  owner: string,
  timing: IntakeTiming,
): Promise<{ claim: IntakeClaim } | { done: NotificationRecord }> {
  const finished = async () => {
    const n = await deps.repos.notifications.findByExternalRef(plan.area.id, plan.key);
    return n.ok ? n.value : null;
  };
  const polls = Math.max(1, Math.ceil(timing.maxWaitMs / timing.pollMs));
  for (let i = 0; i <= polls; i++) {
    const claim = await deps.claims.acquire(plan.area.id, plan.key, owner, timing.leaseMs);
    // The previous holder may have finished between our first look and taking the lease.
    const done = await finished();
    if (done) {
      if (claim) await deps.claims.release(plan.area.id, plan.key, owner);
      return { done };
    }
    if (claim) return { claim };
    await sleep(timing.pollMs);
  }
  throw new IntakeBusyError();
}

async function writeIntake(
  deps: ReceiveDeps,
  plan: IntakePlan,
  owner: string,
  claim: IntakeClaim,
): Promise<ReceivedNotification> {
  const { area, form } = plan;
  const step = async (progress: Partial<IntakeProgress>) => {
    if (!(await deps.claims.record(area.id, plan.key, owner, progress))) throw new LeaseLost();
  };
  const channel = plan.key.startsWith(API_PREFIX) ? 'api' : 'teams';
  const ctx: IntakeCtx = {
    by: plan.actor,
    details: channel === 'api' ? { via: channel, agency: plan.leadAgencyId } : { via: channel },
  };

  const { subject, conflicts, conflictingCaseIds } = await ensureSubject(deps, plan, claim.progress, ctx);
  if (claim.progress.subjectId !== subject.id) await step({ subjectId: subject.id });
  const { caseRecord: c, joined } = await ensureCase(deps, plan, claim.progress, subject, step, ctx);

  const input: NewNotification = {
    areaId: area.id,
    subjectId: subject.id,
    caseId: c.id,
    leadAgencyId: plan.leadAgencyId,
    notifiedBy: { aadObjectId: plan.actor.aadObjectId, displayName: plan.actor.displayName },
    category: form.category,
    eligibilityFacts: form.eligibilityFacts,
    eligibilityReasons: form.eligibilityReasons,
    sentenceDate: form.sentenceDate,
    notifiedOn: plan.today,
    subjectStatus: form.custodyStatus,
    expectedReleaseDate: form.releaseDate,
    notes: form.notes,
    ...(joined ? { joinedExistingCase: true } : {}),
    ...(conflicts ? { identityCheck: { conflictingCaseIds } } : {}),
  };
  const { notification, created } = await deps.repos.notifications.createIfAbsent(input, plan.key, ctx);
  // The notification is the record of completion; the claim's bookkeeping after it is best effort.
  await deps.claims
    .record(area.id, plan.key, owner, { notificationId: notification.id })
    .then(() => deps.claims.release(area.id, plan.key, owner))
    .catch(() => undefined);
  const caseRef = notification.caseId === c.id ? c.ref : await caseRefOf(deps, notification);
  return { notification, caseRef, created };
}

const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

function subjectInput(plan: IntakePlan) {
  const s = plan.form.subject;
  return {
    name: { given: [s.givenName, s.otherNames].filter(Boolean).join(' '), family: s.familyName },
    aliases: s.aliases ?? [],
    dateOfBirth: s.dateOfBirth,
    gender: s.gender,
    identifiers: plan.form.identifiers,
    status: plan.form.custodyStatus,
  };
}

type IdEntry = [keyof SubjectIdentifiers, string];
const idEntries = (ids: SubjectIdentifiers): IdEntry[] =>
  (Object.entries(ids) as [keyof SubjectIdentifiers, string | undefined][]).filter(
    (e): e is IdEntry => e[1] !== undefined,
  );

/**
 * The person this notification is about, by the domain's one identity rule: the same person is
 * reused (what they lacked is added); a reference number that belongs to someone with another name or
 * date of birth is never linked: this notification gets its own person, and the other record's open
 * cases are returned for the co-ordinator to check. A retry finds the person its first attempt made.
 */
async function ensureSubject(
  deps: ReceiveDeps,
  plan: IntakePlan,
  progress: IntakeProgress,
  ctx: IntakeCtx,
): Promise<{ subject: Subject; conflicts: boolean; conflictingCaseIds: string[] }> {
  const wanted = subjectInput(plan);
  const recorded = progress.subjectId !== undefined ? await deps.repos.subjects.get(progress.subjectId) : null;
  const { subject, created, matches } = recorded?.ok
    ? { subject: recorded.value, created: false, matches: await matchPerson(deps.repos.subjects, plan.area.id, wanted) }
    : await ensurePerson({ subjects: deps.repos.subjects, claims: deps.claims }, plan.area.id, wanted, () =>
        deps.repos.subjects.create({ areaId: plan.area.id, ...wanted }, ctx),
      );
  const others = matches.conflicting.filter((s) => s.id !== subject.id);
  return {
    subject: created || recorded?.ok ? subject : await mergeInto(deps, subject, wanted, ctx),
    conflicts: others.length > 0,
    conflictingCaseIds: await conflictingOpenCaseIds(deps.repos.cases, plan.area.id, others),
  };
}

/** Adds what the new notification knows and the stored subject lacks; never overwrites a value. */
async function mergeInto(
  deps: ReceiveDeps,
  subject: Subject,
  wanted: ReturnType<typeof subjectInput>,
  ctx: IntakeCtx,
): Promise<Subject> {
  let current = subject;
  for (let attempt = 0; attempt < 3; attempt++) {
    const missingIds = idEntries(wanted.identifiers).filter(([k]) => current.identifiers[k] === undefined);
    const known = new Set(current.aliases.map(norm));
    const newAliases = wanted.aliases.filter((a) => !known.has(norm(a)));
    const changes = {
      ...(missingIds.length > 0 ? { identifiers: { ...current.identifiers, ...Object.fromEntries(missingIds) } } : {}),
      ...(newAliases.length > 0 ? { aliases: [...current.aliases, ...newAliases] } : {}),
      ...(current.gender === undefined && wanted.gender !== undefined ? { gender: wanted.gender } : {}),
      // Custody status is the one field that goes stale, and the newest notification knows it best.
      ...(current.status !== wanted.status ? { status: wanted.status } : {}),
    };
    if (Object.keys(changes).length === 0) return current;
    const updated = await deps.repos.subjects.update(current.id, current.version, changes, ctx);
    if (updated.ok) return updated.value;
    const again = await deps.repos.subjects.get(current.id);
    if (!again.ok) break;
    current = again.value;
  }
  return current;
}

/**
 * The person's open case in the area, which this notification joins (one open case per person), or a
 * new one. `caseStartedAt` is recorded first so that a retry after a crash can tell the case its first
 * attempt opened (not joined) from one that was already there.
 */
async function ensureCase(
  deps: ReceiveDeps,
  plan: IntakePlan,
  progress: IntakeProgress,
  subject: Subject,
  step: (p: Partial<IntakeProgress>) => Promise<void>,
  ctx: IntakeCtx,
): Promise<{ caseRecord: CaseRecord; joined: boolean }> {
  if (progress.caseId !== undefined) {
    const c = await deps.repos.cases.get(progress.caseId);
    if (c.ok) return { caseRecord: c.value, joined: progress.caseJoined ?? false };
  }
  const startedAt = progress.caseStartedAt;
  if (startedAt === undefined) await step({ caseStartedAt: deps.clock.now().toISOString() });
  const { caseRecord, created } = await ensureOpenCase(
    { cases: deps.repos.cases, claims: deps.claims },
    plan.area.id,
    subject.id,
    () => ({
      areaId: plan.area.id,
      jurisdiction: plan.area.jurisdiction,
      subjectId: subject.id,
      status: 'notified',
      category: plan.form.category,
      level: null,
      leadAgencyId: plan.leadAgencyId,
      keyDates: {
        sentenceDate: plan.form.sentenceDate,
        notificationDate: plan.today,
        releaseDate: plan.form.releaseDate,
      },
      history: [],
    }),
    ctx,
  );
  // A case our own earlier attempt opened (after it started, and not yet any notification's) is ours.
  const ours =
    created ||
    (startedAt !== undefined &&
      caseRecord.createdAt >= startedAt &&
      (await deps.repos.notifications.listForCase(caseRecord.id)).length === 0);
  await step({ caseId: caseRecord.id, caseJoined: !ours });
  return { caseRecord, joined: !ours };
}

/* ------------------------------------------------------------------ decide */

export const DECISION_VERBS = ['level1', 'awaitReferral', 'askToRefer'] as const;
export type DecisionVerb = (typeof DECISION_VERBS)[number];

/**
 * How each verb reads on cards. The first line of the stored decision reason is this label, which
 * is also how a later call tells which verb was chosen (the stored decision has no field for it).
 */
export const DECISION_LABELS: Readonly<Record<DecisionVerb, string>> = {
  level1: 'Accepted: Level 1, managed by the lead agency',
  awaitReferral: 'Accepted: awaiting a referral',
  askToRefer: 'Accepted: lead agency asked to refer',
};

export const LEVEL1_RATIONALE = 'Notification only: managed at Level 1 by the lead agency';

/** The referral date as an Input.Date sends it; blank means "use the area's rule". */
const ReferralDueInput = z
  .string()
  .trim()
  .max(10)
  .transform((v) => (v === '' ? undefined : v))
  .pipe(IsoDate.optional());

const DecisionNote = z.string().trim().max(1500, 'Keep the note under 1500 characters').optional();

export type DecideNotificationError = AppError<'NOT_PERMITTED' | 'NOT_FOUND'> | CaseError | NotificationValidationError;

export interface DecidedNotification {
  readonly notification: NotificationRecord;
  readonly caseRef: string;
  readonly caseStatus: CaseStatus;
  /** True when someone had already decided: nothing was done and `verb` is their choice. */
  readonly alreadyDecided: boolean;
  /** The decision in force (undefined only for a notification returned by other means). */
  readonly verb?: DecisionVerb;
  /** When a referral is due under the area's policy (awaitReferral, askToRefer); absent if the area sets none. */
  readonly referralDue?: IsoDate;
  /**
   * askToRefer, first decision only: the notifier to ask for a referral. Null when the notification
   * came through the API (its notifier is an application, not a person).
   */
  readonly messageTo?: Actor | null;
}

function parseReason(reason: string | undefined): { verb?: DecisionVerb; note?: string } {
  if (reason === undefined) return {};
  const [first = '', ...rest] = reason.split('\n');
  const verb = DECISION_VERBS.find((v) => first.startsWith(DECISION_LABELS[v]));
  const note = rest.join('\n').trim();
  return { ...(verb ? { verb } : {}), ...(note ? { note } : {}) };
}

function decisionReason(verb: DecisionVerb, note: string | undefined, due: IsoDate | undefined): string {
  const head = due && verb !== 'level1' ? `${DECISION_LABELS[verb]} (referral due ${due})` : DECISION_LABELS[verb];
  return note ? `${head}\n${note}` : head;
}

function requestActorOf(principal: Principal): RequestActor {
  return {
    aadObjectId: principal.aadObjectId,
    tenantId: principal.tenantId,
    displayName: principal.member?.displayName ?? 'Unknown',
  };
}

/**
 * The co-ordinator's decision on a notification. `level1` accepts it and moves the case to Level 1
 * with a recorded decision; `awaitReferral` accepts it and leaves the case 'notified' (the state
 * machine only enters 'referral_pending' with a submitted referral) with the referral due date in
 * the decision; `askToRefer` does the same and names whom to ask. The notification's one-way
 * transition is the gate: of two decisions, however close, only the first acts and the second gets
 * the first one back with `alreadyDecided: true`.
 */
export async function decideNotification(
  deps: NotificationDeps,
  principal: Principal,
  notificationId: string,
  verb: DecisionVerb,
  note?: string,
  chosenReferralDue?: string,
): Promise<Result<DecidedNotification, DecideNotificationError>> {
  if (!can(principal, 'notification.decide').allowed) {
    return err(appError('NOT_PERMITTED', 'Only the MAPPA co-ordinator can decide notifications.'));
  }
  const parsedNote = DecisionNote.safeParse(note === '' ? undefined : note);
  if (!parsedNote.success) {
    return err(invalid({ note: parsedNote.error.issues[0]?.message ?? 'Invalid note' }));
  }
  const loaded = await loadNotification(deps, principal, notificationId);
  if (!loaded.ok) return loaded;
  const { notification: n, caseRecord: c, area } = loaded.value;
  const actor = requestActorOf(principal);
  if (n.status !== 'received') return ok(await alreadyDecided(deps, n, c, area, actor));

  const decidedAt = deps.clock.now().toISOString();
  if (verb === 'level1') {
    // Checked before the gate so a refusal (Category 3, case moved on) leaves nothing half-done.
    const trial = transition(c, {
      type: 'LEVEL_DECIDED',
      decision: level1Decision(n, actor, decidedAt, parsedNote.data),
    });
    if (!trial.ok) return trial;
  }
  let referralDue: IsoDate | undefined;
  if (verb !== 'level1') {
    // The co-ordinator's date wins; the area's rule is the default; with neither, nothing would be chased.
    const due = ReferralDueInput.safeParse(chosenReferralDue ?? '');
    if (!due.success) return err(invalid({ referralDue: 'Give the date as a real calendar date.' }));
    referralDue = due.data ?? referralDueOf(area, n);
    if (referralDue === undefined)
      return err(
        invalid({
          referralDue:
            'This area sets no referral timescale: choose the date by which the referral is expected, so it can be chased.',
        }),
      );
    if (referralDue < ukDateOf(deps.clock.now()))
      return err(invalid({ referralDue: 'The date the referral is expected by cannot be in the past.' }));
  }
  const decided = await deps.repos.notifications.decide(
    n.id,
    {
      outcome: 'accepted',
      decidedBy: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
      decidedAt,
      reason: decisionReason(verb, parsedNote.data, referralDue),
      ...(referralDue ? { referralDue } : {}),
      caseId: c.id,
    },
    { by: actor, details: { verb } },
  );
  if (!decided.ok) {
    if (decided.error.code === 'NOT_FOUND') return err(appError('NOT_FOUND'));
    const now = await deps.repos.notifications.get(n.id);
    if (!now.ok) return err(appError('NOT_FOUND'));
    if (now.value.status === 'received')
      throw new Error(`Notification ${n.id} could not be decided: ${decided.error.code}`);
    return ok(await alreadyDecided(deps, now.value, c, area, actor));
  }
  const finalCase = verb === 'level1' ? await applyLevel1(deps, decided.value, actor, false) : c;
  return ok({
    notification: decided.value,
    caseRef: c.ref,
    caseStatus: finalCase.status,
    alreadyDecided: false,
    verb,
    ...(referralDue ? { referralDue } : {}),
    ...(verb === 'askToRefer' ? { messageTo: notifierToAsk(n) } : {}),
  });
}

function notifierToAsk(n: NotificationRecord): Actor | null {
  return n.externalRef?.startsWith(TEAMS_PREFIX) ? n.notifiedBy : null;
}

function referralDueOf(area: Area, n: Notification): IsoDate | undefined {
  return deadlineForArea(area, 'referralAfterNotification', n.notifiedOn)?.due;
}

async function loadNotification(
  deps: NotificationDeps,
  principal: Principal | null,
  notificationId: string,
): Promise<Result<{ notification: NotificationRecord; caseRecord: CaseRecord; area: Area }, AppError<'NOT_FOUND'>>> {
  const found = await deps.repos.notifications.get(notificationId);
  if (!found.ok || found.value.areaId !== deps.areaId) return err(appError('NOT_FOUND'));
  if (principal?.member && principal.member.areaId !== found.value.areaId) return err(appError('NOT_FOUND'));
  const n = found.value;
  if (n.caseId === undefined) return err(appError('NOT_FOUND', 'The notification has no case.', { id: n.id }));
  const c = await deps.repos.cases.get(n.caseId);
  if (!c.ok) return err(appError('NOT_FOUND'));
  return ok({ notification: n, caseRecord: c.value, area: await getArea(deps) });
}

function level1Decision(n: NotificationRecord, decidedBy: Actor, decidedAt: string, note: string | undefined) {
  return {
    // Deterministic, so a repeated attempt to apply the same decision is recognisable.
    id: `notification-${n.id}-level1`,
    kind: 'level' as const,
    to: 1 as const,
    actor: { aadObjectId: decidedBy.aadObjectId, displayName: decidedBy.displayName },
    decidedAt,
    rationale: note ? `${LEVEL1_RATIONALE}\n${note}` : LEVEL1_RATIONALE,
    source: { type: 'notification' as const, id: n.id },
  };
}

/**
 * Moves the case to Level 1 for an accepted level1 decision, unless it already carries that
 * decision. Also finishes the job if an earlier call stopped after the notification was decided.
 * If the case has moved on meanwhile (a referral arrived), the newer state stands.
 */
async function applyLevel1(
  deps: NotificationDeps,
  n: NotificationRecord,
  by: RequestActor,
  resumed: boolean,
): Promise<CaseRecord> {
  const decision = n.decision;
  if (n.caseId === undefined || !decision) throw new Error(`Notification ${n.id} is not a decided level1`);
  // Finishing someone else's decision is recorded as theirs: the later caller only triggered it.
  const writer = resumed ? { ...decision.decidedBy, tenantId: by.tenantId } : by;
  const { note } = parseReason(decision.reason);
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = await deps.repos.cases.get(n.caseId);
    if (!current.ok) throw new Error(`Case of notification ${n.id} is missing`);
    const c = current.value;
    if (c.history.some((h) => h.source.type === 'notification' && h.source.id === n.id)) return c;
    const next = transition(c, {
      type: 'LEVEL_DECIDED',
      decision: level1Decision(n, decision.decidedBy, decision.decidedAt, note),
    });
    if (!next.ok) return c;
    const saved = await deps.repos.cases.save(next.value, {
      by: writer,
      action: 'case.decision_recorded',
      details: { notificationId: n.id, level: 1, ...(resumed ? { resumed: true } : {}) },
    });
    if (saved.ok) return saved.value;
    if (saved.error.code === 'NOT_FOUND') throw new Error(`Case of notification ${n.id} is missing`);
  }
  throw new Error(`Case of notification ${n.id} kept changing; Level 1 not recorded`);
}

async function alreadyDecided(
  deps: NotificationDeps,
  n: NotificationRecord,
  c: CaseRecord,
  area: Area,
  by: RequestActor,
): Promise<DecidedNotification> {
  const { verb } = parseReason(n.decision?.reason);
  const finalCase = verb === 'level1' ? await applyLevel1(deps, n, by, true) : c;
  const referralDue = verb && verb !== 'level1' ? (n.decision?.referralDue ?? referralDueOf(area, n)) : undefined;
  return {
    notification: n,
    caseRef: c.ref,
    caseStatus: finalCase.status,
    alreadyDecided: true,
    ...(verb ? { verb } : {}),
    ...(referralDue ? { referralDue } : {}),
  };
}

/* ------------------------------------------------------------------ summary */

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
  /** e.g. 'J. D.': what a channel card shows instead of a name. */
  readonly initials: string;
  readonly leadAgencyName: string;
  readonly receivedOn: IsoDate;
  readonly status: Notification['status'];
  readonly caseStatus: CaseStatus;
  readonly decision?: { readonly label: string; readonly byName: string; readonly at: string };
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
  const { notification: n, caseRecord: c, area } = loaded.value;
  const subject = await deps.repos.subjects.get(n.subjectId);
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
    initials: subject.ok ? personInitials(subject.value.name) : '?',
    leadAgencyName: area.agencies.find((a) => a.id === n.leadAgencyId)?.name ?? n.leadAgencyId,
    receivedOn: n.notifiedOn,
    status: n.status,
    caseStatus: c.status,
    ...(n.decision
      ? {
          decision: {
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
  if (!viewer?.member) return ok(summary);

  const allowed = can(viewer, 'case.read', {
    case: {
      areaId: c.areaId,
      leadAgencyId: c.leadAgencyId,
      involvedAgencyIds: [],
      referrerAadObjectId: n.notifiedBy.aadObjectId,
    },
  });
  if (!allowed.allowed) return ok(summary);
  const dossier = await deps.repos.cases.getForReader(c.id, requestActorOf(viewer));
  const person = dossier.ok ? dossier.value.subject : null;
  if (!person) return ok(summary);
  const visor = area.agencies.find((a) => a.id === viewer.member?.agencyId)?.visorAccess ?? false;
  const shown = redactForReader('subject', person, visor);
  return ok({
    ...summary,
    full: {
      names: { given: shown.name.given, family: shown.name.family, aliases: shown.aliases },
      dateOfBirth: shown.dateOfBirth,
      ...(shown.gender !== undefined ? { gender: shown.gender } : {}),
      identifiers: shown.identifiers,
      custodyStatus: shown.status,
      ...(n.expectedReleaseDate !== undefined ? { expectedReleaseDate: n.expectedReleaseDate } : {}),
      eligibilityReasons: n.eligibilityReasons,
      ...(n.notes !== undefined ? { notes: n.notes } : {}),
      withheld: visor ? [] : withheldFields('subject', person),
      identityConflictRefs: n.identityCheck ? await caseRefs(deps, n.identityCheck.conflictingCaseIds) : null,
    },
  });
}
