import type { Area } from './area.schema';
import type { Case } from './case.schema';
import { addMonths, compareDates, type IsoDate } from './dates';

/** When a case's records come up for a retention review, and whether that day has come. */
export interface RetentionReview {
  readonly due: boolean;
  /** Null while the case is open or its exit date was never recorded: there is nothing to count from. */
  readonly dueOn: IsoDate | null;
}

/**
 * The review falls `reviewAfterExitMonths` after the exit date, clamped to the month's last day
 * (an exit on 29 February is reviewed on 28 February ten years on), and stays due from then on.
 */
export function retentionReviewDue(
  caseRecord: Pick<Case, 'status' | 'keyDates'>,
  area: Pick<Area, 'retention'>,
  today: IsoDate,
): RetentionReview {
  const exitDate = caseRecord.keyDates.exitDate;
  if (caseRecord.status !== 'exited' || exitDate === undefined) return { due: false, dueOn: null };
  const dueOn = addMonths(exitDate, area.retention.reviewAfterExitMonths);
  return { due: compareDates(dueOn, today) <= 0, dueOn };
}
