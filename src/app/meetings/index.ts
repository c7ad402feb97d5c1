// Level 2/3 meetings: scheduling, the running record (attendance, previous actions, the round of
// agency updates, risk and plan, closing views, decision) and closing it. One file per use case;
// shared.ts holds access checks and the conditional write every step uses.
export { type MeetingDeps, type MeetingError, invitedAgencies, CHAIR_ONLY } from './shared';
export { scheduleMeeting, scheduleOptions, ScheduleMeetingInput, type ScheduleOptions } from './schedule-meeting';
export { startMeeting, meetingToRun } from './start-meeting';
export { recordAttendance, AttendanceInput } from './record-attendance';
export { previousActions, reviewPreviousAction, ActionReviewInput } from './review-previous-action';
export { openAgencyRound, moveAgencyRound, RoundMoveInput, type RoundOutcome } from './run-round';
export { saveAgencyUpdate, AgencyUpdateInput, type UpdateConflict, type UpdateClosed } from './save-agency-update';
export { viewMeeting, type MeetingView } from './view-meeting';
export { recordRisk, RiskInput } from './record-risk';
export { addPlanAction, PlanActionInput } from './add-plan-action';
export { giveClosingView, ViewInput } from './give-closing-view';
export { recordDecision, computedReviewDate, DecisionInput } from './record-decision';
export { endMeeting, actionIdFor, type EndedMeeting } from './end-meeting';
export { recordTeamsMeetingEvent, TeamsMeetingEvent, type TeamsEventOutcome } from './teams-meeting-event';
export { agencyRepresentatives, type AgencyRepresentatives } from './agency-representatives';
export {
  meetingProgress,
  meetingIdForCase,
  meetingIdForConversation,
  meetingReaders,
  type MeetingProgress,
} from './meeting-progress';
export {
  scheduleMeetingOnce,
  invitationPlan,
  recordInvitations,
  nameSubstitute,
  SubstituteInput,
  type InvitationDeps,
  type InvitationPlan,
  type AgencyInvitation,
} from './invitations';
