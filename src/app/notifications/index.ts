// Notifications: received from the Teams form or the intake API, decided by the co-ordinator, and
// summarised for their cards. One file per use case; shared.ts holds what they share.
export {
  IntakeBusyError,
  IntakeExternalRef,
  receiveNotification,
  type IntakeTiming,
  type ReceiveDeps,
  type ReceivedNotification,
  type ReceiveNotificationError,
} from './receive';
export { decideNotification, LEVEL1_RATIONALE, type DecidedNotification, type DecideNotificationError } from './decide';
export { withinTurn } from './within-turn';
export { decisionSummaries, notificationSummary, type NotificationDeadline, type NotificationSummary } from './summary';
export {
  DECISION_LABELS,
  DECISION_VERBS,
  teamsNotifier,
  type DecisionVerb,
  type NotificationDeps,
  type NotificationValidationError,
} from './shared';
export {
  BOOLEAN_ELIGIBILITY_FACTS,
  NOTIFICATION_FIELDS,
  NotificationForm,
  NotificationJson,
  notificationFieldErrors,
  withoutBlanks,
  type FieldErrors,
  type NotificationErrorKey,
  type NotificationField,
  type NotificationJsonInput,
} from './notification-form';
