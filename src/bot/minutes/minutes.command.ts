import { MessageFactory } from 'botbuilder';
import { latestMinutesIdForCase, openMinutes } from '../../app/minutes';
import type { CommandHandler } from '../capability';
import { cardAttachment } from '../cards/render';
import { isChairOrCoordinator, minutesCard, NO_MINUTES, summaryOf } from './minutes.card';
import { reviewCardOf } from './review.card';

/**
 * `minutes` and the case reference (personal chat): the chair or a co-ordinator gets the review card,
 * other members of the meeting's agencies the minutes as they may read them (one audited read). A
 * case the caller cannot see answers exactly like one that does not exist.
 */
export const minutesCommand: CommandHandler = async (h, args) => {
  if (!args.trim()) {
    await h.turn.sendActivity('Type minutes and the case reference, for example **minutes MAPPA-2026-0042**.');
    return;
  }
  const id = await latestMinutesIdForCase(h.deps.minutes.run, args);
  // Editing is honoured for the chair or a co-ordinator only; anyone else reads the approved version.
  const view = id ? await openMinutes(h.deps.minutes.run, h.principal, id, { editing: true }) : null;
  const summary = id ? await summaryOf(h, id) : null;
  if (!view?.ok || !summary) {
    await h.turn.sendActivity(NO_MINUTES);
    return;
  }
  const meeting = await h.deps.minutes.run.meetings.get(view.value.minutes.meetingId);
  const reviewer = meeting.ok && isChairOrCoordinator(h.principal, meeting.value);
  const card = reviewer
    ? reviewCardOf(h, view.value)
    : minutesCard(h, summary, { view: view.value, refreshUserIds: [] });
  await h.turn.sendActivity(MessageFactory.attachment(cardAttachment(card)));
};
