// MAPPA A referrals: the referrer's draft, review and submission; the co-ordinator's questions and
// decision; the summaries behind their cards. One file per use case; shared.ts holds what they share.
export { initialsOf, type ReferralDeps, type ReferralError } from './shared';
export {
  loadDraftForm,
  startOrResumeDraft,
  StartOptions,
  type DraftSummary,
  type StartOrResumeResult,
} from './start-draft';
export {
  clearSectionAnswer,
  saveCardAnswers,
  saveSectionAnswer,
  type CardRefusal,
  type SavedAnswer,
} from './save-answer';
export { reviewReferral, type ReferralReview, type ReviewFailure, type SectionReview } from './review';
export { submitReferral, type SubmittedReferral } from './submit';
export { decideReferral, DecideReferralInput, LEVEL_1_ADVICE, type DecidedReferral } from './decide';
export { requestMoreInformation } from './ask-question';
export { answerInformationRequest } from './answer-question';
export { referralSummary, referralSummaryForChannel, type ReferralSummary } from './summary';
export { DEFAULT_DECISION_WORKING_DAYS, decisionDeadline } from './decision-deadline';
export { prepareMappaAExport } from './prepare-export';
export { referralsDueOrLate, type ReferralReminder } from './referral-reminders';
export {
  applyAnswer,
  applyCardAnswers,
  findQuestion,
  NONE,
  parseUkDate,
  sectionAnswers,
  type CardInput,
  type CardProblem,
  type CardValues,
  type Choice,
  isAnswered,
  questionApplies,
  sectionQuestions,
  type DraftSections,
  type FormContext,
  type ReferralQuestion,
} from './referral-form';
