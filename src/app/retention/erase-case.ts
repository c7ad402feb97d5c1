import { z } from 'zod';
import { ukDateOf } from '../../domain/dates';
import { formatUkDate } from '../../domain/format';
import { can, type Principal } from '../../domain/policy';
import { retentionReviewDue } from '../../domain/retention';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import type { ActionRepository } from '../ports/action-repository.port';
import type { AgencyUpdateRepository } from '../ports/agency-update-repository.port';
import { CaseRef, type CaseRecord } from '../ports/case-repository.port';
import type { Clock } from '../ports/clock.port';
import type { MeetingRepository } from '../ports/meeting-repository.port';
import type { MinutesRepository } from '../ports/minutes-repository.port';
import type { NotificationRepository } from '../ports/notification-repository.port';
import type { ReferralRepository } from '../ports/referral-repository.port';
import type { SubjectRepository } from '../ports/subject-repository.port';
import type { ErasureOutcome, WriteContext } from '../ports/write-context.port';
import { actorOf } from '../shared/actor';
import { requireArea } from '../shared/area';
import type { RetentionReviewDeps } from './review';

/** Who erases and for which case; each repository names its own audit action. */
type EraseContext = Omit<WriteContext, 'action'>;

/** What an erasure needs: every repository that holds a case's personal data. */
export interface RetentionDeps extends RetentionReviewDeps {
  readonly clock: Clock;
  readonly subjects: SubjectRepository;
  readonly notifications: NotificationRepository;
  readonly referrals: ReferralRepository;
  readonly meetings: MeetingRepository;
  readonly agencyUpdates: Pick<AgencyUpdateRepository, 'listForCase' | 'erase'>;
  readonly minutes: MinutesRepository;
  readonly actions: ActionRepository;
}

/** Erasing before the review date is an exception someone must be able to justify later. */
const ForceReason = z
  .string()
  .trim()
  .min(10, 'Give the reason for erasing before the review date (at least 10 characters).')
  .max(500, 'Keep the reason under 500 characters.');

export interface EraseOptions {
  /** Erase although the review date has not come (or no exit date was recorded), for this reason. */
  readonly force?: { readonly reason: string };
}

export type EraseError = AppError<
  'NOT_PERMITTED' | 'VALIDATION_FAILED' | 'NOT_FOUND' | 'ILLEGAL_TRANSITION' | 'ALREADY_DECIDED' | 'VERSION_CONFLICT'
>;

type RelatedKind = 'subject' | 'notifications' | 'referrals' | 'meetings' | 'agencyUpdates' | 'minutes' | 'actions';

export interface ErasureSummary {
  readonly caseRef: string;
  /** This run finished an erasure an earlier run had started. */
  readonly resumed: boolean;
  /** Erased before its review date, on an admin's stated reason. */
  readonly forced: boolean;
  /** Records this run erased, by kind; the case itself is always among them. */
  readonly erased: Readonly<Record<RelatedKind | 'case', number>>;
  /** Related records an earlier, interrupted run had already erased. */
  readonly alreadyErased: number;
  /** The person's record is kept while they have another case not being erased. */
  readonly subjectKept: boolean;
  /** Every record erased by this run, the case included. */
  readonly total: number;
}

/**
 * Erases the personal data of an exited case and of everything about it: the subject (unless
 * another live case needs them), notifications, referrals, meetings, agencies' meeting updates, minutes
 * and actions. For admins
 * only (policy 'retention.erase'), who must type the case ref again as `confirmation`. Refused before
 * the review date unless `force` gives a reason.
 *
 * There are no transactions, so the run is built to be finished rather than undone: the case is
 * marked 'in_progress' first, each record is erased by its own idempotent write, and the case is
 * marked 'done' last. If anything fails part-way the error propagates, the case stays 'in_progress'
 * (and shows in the review list), and calling this again completes it.
 */
export async function eraseCase(
  deps: RetentionDeps,
  principal: Principal,
  caseRef: string,
  confirmation: string,
  options: EraseOptions = {},
): Promise<Result<ErasureSummary, EraseError>> {
  if (!can(principal, 'retention.erase').allowed) {
    return err(appError('NOT_PERMITTED', 'Only a MAPPA admin can erase a case.'));
  }
  const ref = CaseRef.safeParse(caseRef);
  if (!ref.success) return err(appError('VALIDATION_FAILED', 'Case references look like MAPPA-2026-0042.'));
  const confirmed = CaseRef.safeParse(confirmation);
  if (!confirmed.success || confirmed.data !== ref.data) {
    return err(
      appError(
        'VALIDATION_FAILED',
        `Nothing was erased. To confirm, type the case reference ${ref.data} again exactly as the confirmation.`,
      ),
    );
  }
  const found = await deps.cases.getByRef(deps.areaId, ref.data);
  if (!found.ok) return err(appError('NOT_FOUND', `There is no case ${ref.data} in this area.`));
  let c = found.value;
  if (c.erasure?.status === 'done') {
    const on = c.erasedAt ? ` on ${ukDateOf(new Date(c.erasedAt))}` : '';
    return err(appError('ALREADY_DECIDED', `${c.ref} was already erased${on}.`, { erasure: 'done' }));
  }

  const by = actorOf(principal);
  const resumed = c.erasure?.status === 'in_progress';
  if (!resumed) {
    const refusal = await checkErasable(deps, c, options);
    if (!refusal.ok) return refusal;
    const begun = await deps.cases.beginErasure(
      c.id,
      c.version,
      refusal.value.forceReason === undefined ? {} : { forceReason: refusal.value.forceReason },
      { by },
    );
    if (!begun.ok) {
      if (begun.error.code === 'VERSION_CONFLICT') {
        return err(
          appError('VERSION_CONFLICT', `${c.ref} changed while you were confirming; nothing was erased. Try again.`),
        );
      }
      return begun;
    }
    c = begun.value;
  }

  const related = await eraseRelated(deps, c, { by, details: { caseId: c.id } });
  const erased = { ...related.erased, case: 1 };
  const done = await deps.cases.completeErasure(c.id, {
    by,
    details: { ...erased, alreadyErased: related.alreadyErased, subjectKept: related.subjectKept },
  });
  // Another admin finishing the same erasure at the same moment leaves the case exactly as wanted.
  if (!done.ok && !(done.error.code === 'ALREADY_DECIDED' && done.error.meta?.erasure === 'done')) return done;
  return ok({
    caseRef: c.ref,
    resumed,
    forced: c.erasure?.forceReason !== undefined,
    erased,
    alreadyErased: related.alreadyErased,
    subjectKept: related.subjectKept,
    total: Object.values(erased).reduce((a, b) => a + b, 0),
  });
}

/** Exited, and due for review unless forced with a reason. Returns the reason to record, if forced. */
async function checkErasable(
  deps: RetentionDeps,
  c: CaseRecord,
  options: EraseOptions,
): Promise<Result<{ forceReason?: string }, EraseError>> {
  // Force never reaches an open case: its records are still in use, and exit is a decision of its own.
  if (c.status !== 'exited') {
    return err(
      appError(
        'ILLEGAL_TRANSITION',
        `${c.ref} is still open (${c.status}). Only an exited case can be erased: record the exit first.`,
        { status: c.status },
      ),
    );
  }
  const area = await requireArea(deps.members, deps.areaId);
  const review = retentionReviewDue(c, area, ukDateOf(deps.clock.now()));
  if (review.due) return ok({});
  if (options.force === undefined) {
    const why =
      review.dueOn === null
        ? `${c.ref} has no exit date recorded, so its retention review date is unknown.`
        : `${c.ref} is not due for retention review until ${formatUkDate(review.dueOn)}.`;
    return err(
      appError(
        'ILLEGAL_TRANSITION',
        `${why} Nothing was erased. To erase it now, give the reason (for example the owning agency's instruction).`,
        { dueOn: review.dueOn },
      ),
    );
  }
  const reason = ForceReason.safeParse(options.force.reason);
  if (!reason.success) {
    return err(appError('VALIDATION_FAILED', reason.error.issues[0]?.message ?? 'Give a reason.'));
  }
  return ok({ forceReason: reason.data });
}

/**
 * Erases every record linked to the case, in an order a rerun can repeat: links are ids, which
 * erasure keeps, so a second run finds the same records (and skips those already erased).
 */
async function eraseRelated(
  deps: RetentionDeps,
  c: CaseRecord,
  ctx: EraseContext,
): Promise<{ erased: Record<RelatedKind, number>; alreadyErased: number; subjectKept: boolean }> {
  const erased: Record<RelatedKind, number> = {
    subject: 0,
    notifications: 0,
    referrals: 0,
    meetings: 0,
    agencyUpdates: 0,
    minutes: 0,
    actions: 0,
  };
  let alreadyErased = 0;
  const tally = (kind: RelatedKind, outcome: Result<ErasureOutcome, AppError<'NOT_FOUND'>>): void => {
    // A record deleted since it was listed holds nothing left to erase.
    if (!outcome.ok) return;
    if (outcome.value.erased) erased[kind] += 1;
    else alreadyErased += 1;
  };
  const sourcesOf = (type: 'referral' | 'notification'): string[] =>
    c.history.filter((d) => d.source.type === type).map((d) => d.source.id);

  // The same person may have a later case (re-referred after exit): their record stays for it.
  const otherCases = (await deps.cases.listForSubject(c.subjectId)).filter((o) => o.id !== c.id);
  const subjectKept = otherCases.some((o) => o.erasure === undefined);
  if (!subjectKept) tally('subject', await deps.subjects.erase(c.subjectId, ctx));

  const notificationIds = unique([
    ...(await deps.notifications.listForCase(c.id)).map((n) => n.id),
    ...sourcesOf('notification'),
    ...(subjectKept ? [] : (await deps.notifications.listForSubject(c.subjectId)).map((n) => n.id)),
  ]);
  for (const id of notificationIds) tally('notifications', await deps.notifications.erase(id, ctx));

  const referralIds = unique([
    ...(await deps.referrals.listForCase(c.id)).map((r) => r.id),
    ...sourcesOf('referral'),
    ...(c.pendingReferralId === undefined ? [] : [c.pendingReferralId]),
    ...(subjectKept ? [] : (await deps.referrals.listForSubject(c.subjectId)).map((r) => r.id)),
  ]);
  for (const id of referralIds) tally('referrals', await deps.referrals.erase(id, ctx));

  for (const m of await deps.meetings.listForCase(c.id)) tally('meetings', await deps.meetings.erase(m.id, ctx));
  for (const u of await deps.agencyUpdates.listForCase(c.id))
    tally('agencyUpdates', await deps.agencyUpdates.erase(u.id, ctx));
  for (const m of await deps.minutes.listForCase(c.id)) tally('minutes', await deps.minutes.erase(m.id, ctx));
  for (const a of await deps.actions.listForCase(c.id)) tally('actions', await deps.actions.erase(a.id, ctx));

  return { erased, alreadyErased, subjectKept };
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
