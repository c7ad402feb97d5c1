import { addDays, addMonths, compareDates, IsoDate } from '../../domain/dates';
import { can, type Principal } from '../../domain/policy';
import { retentionReviewDue } from '../../domain/retention';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import type { CaseRepository } from '../ports/case-repository.port';
import type { MemberRepository } from '../ports/member-repository.port';
import { requireArea } from '../shared/area';

/** What the retention review needs: the area's policy and its exited cases. */
export interface RetentionReviewDeps {
  readonly areaId: string;
  readonly members: Pick<MemberRepository, 'getArea'>;
  readonly cases: CaseRepository;
}

/**
 * One line of the retention review. Deliberately no name or identifier: the list goes to the
 * co-ordinator channel, and the ref is all anyone needs to open the case.
 */
export interface RetentionReviewItem {
  readonly caseRef: string;
  readonly exitDate: IsoDate;
  readonly dueOn: IsoDate;
  /** An admin's erasure stopped part-way (a crash or an outage): erasing again finishes it. */
  readonly erasureInterrupted: boolean;
}

/**
 * Exited cases whose retention review date has come, plus any erasure left unfinished, earliest due
 * first. For admins and co-ordinators (policy 'retention.review').
 */
export async function casesDueForRetentionReview(
  deps: RetentionReviewDeps,
  principal: Principal,
  today: string,
): Promise<Result<RetentionReviewItem[], AppError<'NOT_PERMITTED'>>> {
  if (!can(principal, 'retention.review').allowed) {
    return err(appError('NOT_PERMITTED', 'Only MAPPA admins and co-ordinators can see the retention review.'));
  }
  return ok(await dueForReview(deps, IsoDate.parse(today)));
}

/**
 * For the scheduler: hands `post` the area's due list (refs and dates only), and posts nothing when
 * nothing is due so the channel is not trained to ignore an empty message. Returns how many lines went.
 */
export async function runRetentionReviewJob(
  deps: RetentionReviewDeps,
  today: string,
  post: (lines: readonly RetentionReviewItem[]) => Promise<void>,
): Promise<{ posted: number }> {
  const lines = await dueForReview(deps, IsoDate.parse(today));
  if (lines.length > 0) await post(lines);
  return { posted: lines.length };
}

async function dueForReview(deps: RetentionReviewDeps, today: IsoDate): Promise<RetentionReviewItem[]> {
  const area = await requireArea(deps.members, deps.areaId);
  // Clamping to a month's end can bring a review up to three days before the plain month count
  // (exit 31 May, review 28 February), so the query reaches three days further and the rule decides.
  const latestExit = addDays(addMonths(today, -area.retention.reviewAfterExitMonths), 3);
  const [candidates, interrupted] = await Promise.all([
    deps.cases.listExited(deps.areaId, { exitDateOnOrBefore: latestExit }),
    deps.cases.listExited(deps.areaId, { erasure: 'in_progress' }),
  ]);
  const byRef = new Map<string, RetentionReviewItem>();
  for (const c of [...candidates, ...interrupted]) {
    const review = retentionReviewDue(c, area, today);
    const exitDate = c.keyDates.exitDate;
    const inProgress = c.erasure?.status === 'in_progress';
    if (exitDate === undefined || review.dueOn === null || !(review.due || inProgress)) continue;
    byRef.set(c.ref, { caseRef: c.ref, exitDate, dueOn: review.dueOn, erasureInterrupted: inProgress });
  }
  return [...byRef.values()].sort((a, b) => compareDates(a.dueOn, b.dueOn) || a.caseRef.localeCompare(b.caseRef));
}
