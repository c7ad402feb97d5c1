import type { ExecuteHandler, ViewHandler } from '../capability';
import { minutesAnswer } from './minutes.card';

/** Teams refreshes the card for the readers listed on it: the full minutes if theirs to read. */
export const refreshVerb: ExecuteHandler<{ minutesId: string }> = (h, p) => minutesAnswer(h, p.minutesId);

/** Someone not enrolled: the same minimal card everyone sees. */
export const refreshView: ViewHandler<{ minutesId: string }> = (h, p) =>
  minutesAnswer({ ...h, principal: null }, p?.minutesId ?? '');
