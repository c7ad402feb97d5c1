import type { z } from 'zod';
import type { ExecuteHandler, ViewHandler } from '../capability';
import type { MeetingRefreshPayload } from './catalogue';
import { meetingAnswer } from './shared-card';

type P = z.output<typeof MeetingRefreshPayload>;

/** Teams refreshes an entitled reader's view (or they press "Show details"): the detailed card, audited. */
export const refreshVerb: ExecuteHandler<P> = (h, p) => meetingAnswer(h, p.meetingId);

/** Someone not enrolled: the minimal card the conversation already shows, nothing more. */
export const refreshView: ViewHandler<P> = (h, p) =>
  p
    ? meetingAnswer({ ...h, principal: null }, p.meetingId)
    : Promise.resolve(h.card('notice', { title: 'Not found', message: 'I cannot find that meeting.', facts: [] }));
