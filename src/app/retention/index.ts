// Retention: the review of exited cases past their retention date, and the admin's erasure.
export {
  casesDueForRetentionReview,
  runRetentionReviewJob,
  type RetentionReviewDeps,
  type RetentionReviewItem,
} from './review';
export { eraseCase, type EraseError, type EraseOptions, type ErasureSummary, type RetentionDeps } from './erase-case';
