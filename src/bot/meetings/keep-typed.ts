import type { AdaptiveCardJson } from '../cards/render';
import type { OpenHandlerContext } from '../handler-context';
import { logFailure } from '../notifications/log-failure';

export const OUTAGE =
  'That did not go through: the database did not answer, so nothing was saved. Your text is kept here: press the button again in a moment.';
const OUTAGE_UNSURE = OUTAGE.replace('so nothing was saved', 'so I cannot tell whether it was saved');

/**
 * Every meeting form's save, with one rule for a database that does not answer: the form comes back
 * as sent, every typed value kept, and a line saying it did not go through (or that it may have, when
 * the save went and the answer could not be read). `reshow` must read nothing from the database.
 */
export async function keepTypedOnOutage<R>(
  h: OpenHandlerContext,
  what: string,
  save: () => Promise<R>,
  answer: (saved: R) => Promise<AdaptiveCardJson>,
  reshow: (message: string) => AdaptiveCardJson,
): Promise<AdaptiveCardJson> {
  let saved: R;
  try {
    saved = await save();
  } catch (e) {
    logFailure(h.deps.logger, e, `could not save ${what}`);
    return reshow(OUTAGE);
  }
  try {
    return await answer(saved);
  } catch (e) {
    logFailure(h.deps.logger, e, `could not answer ${what}`);
    return reshow(OUTAGE_UNSURE);
  }
}
