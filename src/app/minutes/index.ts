// MAPPA B minutes: compiled from a held meeting, edited section by section, approved once (hashed and
// kept), corrected openly as new revisions, read and exported only by the meeting's agencies.
export { type MinutesDeps, type MinutesError } from './shared';
export { compileMinutes, draftMinutesAfterEnd } from './compile-minutes';
export { openMinutes, type MinutesView } from './open-minutes';
export { listMinutesVersions, type MinutesVersion } from './list-versions';
export { editMinutesSection, SectionEditInput, APPROVED_REFUSAL } from './edit-section';
export { approveMinutes, ApproveInput } from './approve-minutes';
export { correctMinutes, CorrectionInput } from './correct-minutes';
export { prepareMinutesExport, type MinutesExport } from './prepare-export';
export { minutesSummary, latestMinutesIdForCase, type MinutesSummary } from './summary';
