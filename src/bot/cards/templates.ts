import actionExtensionTemplate from '../../../cards/action-extension.json';
import actionTemplate from '../../../cards/action.json';
import agencyUpdateTemplate from '../../../cards/agency-update.json';
import auditLogTemplate from '../../../cards/audit-log.json';
import caseTemplate from '../../../cards/case.json';
import eraseConfirmTemplate from '../../../cards/erase-confirm.json';
import guideTemplate from '../../../cards/guide.json';
import findResultsTemplate from '../../../cards/find-results.json';
import remindersTemplate from '../../../cards/reminders.json';
import helpTemplate from '../../../cards/help.json';
import meetingInvitationTemplate from '../../../cards/meeting-invitation.json';
import meetingScheduleTemplate from '../../../cards/meeting-schedule.json';
import meetingStepTemplate from '../../../cards/meeting-step.json';
import meetingTemplate from '../../../cards/meeting.json';
import memberFormTemplate from '../../../cards/member-form.json';
import memberPickTemplate from '../../../cards/member-pick.json';
import membersTemplate from '../../../cards/members.json';
import minutesReviewTemplate from '../../../cards/minutes-review.json';
import minutesSectionTemplate from '../../../cards/minutes-section.json';
import minutesTemplate from '../../../cards/minutes.json';
import noticeTemplate from '../../../cards/notice.json';
import notificationChannelTemplate from '../../../cards/notification-channel.json';
import notificationFormTemplate from '../../../cards/notification-form.json';
import referralConfirmTemplate from '../../../cards/referral-confirm.json';
import referralDecisionTemplate from '../../../cards/referral-decision.json';
import referralQuestionTemplate from '../../../cards/referral-question.json';
import referralReviewTemplate from '../../../cards/referral-review.json';
import referralStepTemplate from '../../../cards/referral-step.json';
import referralSubmittedTemplate from '../../../cards/referral-submitted.json';
import reportTemplate from '../../../cards/report.json';
import welcomeTemplate from '../../../cards/welcome.json';

/**
 * Every card template by name. `render.ts` requires one per card schema (it fails to compile if one is
 * missing) and checks the data against the schema before expanding the template.
 */
export const CARD_TEMPLATES = {
  welcome: welcomeTemplate,
  help: helpTemplate,
  notice: noticeTemplate,
  members: membersTemplate,
  'member-form': memberFormTemplate,
  'member-pick': memberPickTemplate,
  'audit-log': auditLogTemplate,
  'erase-confirm': eraseConfirmTemplate,
  meeting: meetingTemplate,
  'meeting-step': meetingStepTemplate,
  'agency-update': agencyUpdateTemplate,
  'notification-form': notificationFormTemplate,
  'notification-channel': notificationChannelTemplate,
  'referral-review': referralReviewTemplate,
  'referral-step': referralStepTemplate,
  'referral-confirm': referralConfirmTemplate,
  'referral-submitted': referralSubmittedTemplate,
  'referral-decision': referralDecisionTemplate,
  'referral-question': referralQuestionTemplate,
  'meeting-schedule': meetingScheduleTemplate,
  'meeting-invitation': meetingInvitationTemplate,
  action: actionTemplate,
  'action-extension': actionExtensionTemplate,
  case: caseTemplate,
  minutes: minutesTemplate,
  'minutes-review': minutesReviewTemplate,
  'minutes-section': minutesSectionTemplate,
  guide: guideTemplate,
  'find-results': findResultsTemplate,
  reminders: remindersTemplate,
  report: reportTemplate,
};
