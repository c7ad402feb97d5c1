import { viewMeeting } from '../../app/meetings';
import { MessageFactory } from 'botbuilder';
import { cardAttachment } from '../cards/render';
import type { CommandHandler } from '../capability';
import { isPersonal, meetingFromArgs, NO_MEETING } from './find-meeting';
import { meetingAnswer, postMeetingCard } from './shared-card';

/**
 * `meeting` and the case reference: the meeting's card again. In a shared conversation, the minimal
 * card (each entitled reader's view refreshes); in personal chat, the reader's own detailed view.
 */
export const meetingCommand: CommandHandler = async (h, args) => {
  const meetingId = await meetingFromArgs(h, args, 'meeting');
  if (!meetingId) return;
  const view = await viewMeeting(h.deps.meetings.run, h.principal, meetingId);
  if (!view.ok) {
    await h.turn.sendActivity(view.error.code === 'NOT_FOUND' ? NO_MEETING : view.error.message);
    return;
  }
  if (view.value.meeting.status === 'scheduled') {
    await h.turn.sendActivity(
      'That meeting has not started yet: the chair types **start meeting** and the case reference.',
    );
    return;
  }
  if (isPersonal(h)) {
    const card = await meetingAnswer(h, meetingId, { refreshUserIds: [] });
    await h.turn.sendActivity(MessageFactory.attachment(cardAttachment(card)));
    return;
  }
  await postMeetingCard(h, meetingId);
};
