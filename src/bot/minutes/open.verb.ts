import type { ExecuteHandler } from '../capability';
import { minutesAnswer } from './minutes.card';

/** "Open the minutes (only you)": the answer to this click is seen by the clicker alone. */
export const openVerb: ExecuteHandler<{ minutesId: string }> = (h, p) => minutesAnswer(h, p.minutesId);
