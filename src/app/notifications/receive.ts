import { z } from 'zod';
import { compareIdentity, leadAgencyStatus, ukDateOf } from '../../domain';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import type { IntakeClaim, IntakeProgress } from '../ports/intake-claim.port';
import type { NewNotification, NotificationRecord } from '../ports/notification-repository.port';
import type { RequestActor } from '../ports/write-context.port';
import {
  ensureSubject,
  openOrJoinCase,
  subjectInput,
  type IntakeCtx,
  type IntakeDeps,
  type IntakePlan,
} from './intake-records';
import {
  areaErrors,
  dateErrors,
  NotificationForm,
  notificationFieldErrors,
  type FieldErrors,
} from './notification-form';
import {
  API_PREFIX,
  getArea,
  invalid,
  TEAMS_PREFIX,
  type NotificationDeps,
  type NotificationValidationError,
} from './shared';

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

export interface ReceiveDeps extends IntakeDeps {
  readonly timing?: Partial<IntakeTiming>;
}

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
  const { caseRecord: c, joined } = await openOrJoinCase(deps, plan, claim.progress, subject, step, ctx);

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
