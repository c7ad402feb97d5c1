// RMP actions between meetings: owners report progress, close them with a note or ask for a later
// date, which the co-ordinator approves or refuses; and `case`, where a case stands. One file per use
// case; shared.ts holds the access rule and the versioned write every action change goes through.
export { type ActionDeps, type ActionError, type ActionOutcome, type ActionView, caseScopeOf } from './shared';
export { viewAction } from './view-action';
export { recordProgress, ProgressInput } from './record-progress';
export { markDone, DoneInput } from './mark-done';
export { requestExtension, ExtensionInput } from './request-extension';
export { approveExtension, ApproveExtensionInput } from './approve-extension';
export { refuseExtension, RefuseExtensionInput } from './refuse-extension';
export { viewCase, type CaseOverview, type CaseSchedule, type CaseViewError } from './view-case';
