// Inside a real Teams meeting: the start and end events, the targeted "your turn" notification and the
// participant's meeting role. Everything here is best effort: a group chat or channel thread works without it.
export { onMeetingEvent, teamsMeetingIdOf } from './meeting-event';
export { notifyTurn, MAX_RECIPIENTS_PER_CALL } from './notify-turn';
export { meetingParticipantRole, MeetingRole } from './participant-role';
