import { CHAIR_ONLY } from '../../app/meetings';
import type { ViewHandler } from '../capability';
import type { MeetingFormPayload } from './catalogue';
import { meetingAnswer } from './shared-card';

/**
 * A chair's button pressed by someone whose role does not run meetings (the shared card shows the
 * buttons to whoever refreshes it as the chair, and an old copy may still carry them): the meeting
 * card as they may see it, with the reason, in place of the card they pressed.
 */
export const chairOnlyRefused: ViewHandler<MeetingFormPayload> = (h, p) =>
  p
    ? meetingAnswer(h, p.meetingId, { notice: `Nothing was changed. ${CHAIR_ONLY}` })
    : Promise.resolve(
        h.card('notice', { title: 'Nothing was changed', message: `${CHAIR_ONLY} Nothing was changed.`, facts: [] }),
      );
