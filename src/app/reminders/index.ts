// Reminders: every open action and process deadline chased on working days until it is closed, with
// escalation to the co-ordinator; `my actions`, `overdue` and `reminders`; the channel's digest.
export { type DeadlineSources, type ReminderDeps, type ReminderNotice, type ReminderOutbox } from './deps';
export { withDeadlineReminders } from './with-deadline-reminders';
export { deadlineNotice, deadlineEscalation } from './deadline-send';
export { UNLINKED_REFERRAL_REF, type DeadlineDeps } from './deadlines';
export { scheduleActionReminder } from './schedule-action';
export { withReminders } from './with-reminders';
export { runReminderSweep, reminderLead, ownerView, type SweepSummary } from './sweep';
export {
  myActions,
  overdueReport,
  remindersReport,
  channelDigest,
  MY_ACTIONS_LIMIT,
  type MyActions,
  type OverdueGroup,
  type OverdueLine,
  type RemindersReport,
  type DigestLine,
} from './views';
