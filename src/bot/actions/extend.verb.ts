import { requestExtension } from '../../app/actions';
import type { ExecuteHandler } from '../capability';
import { logFailure } from '../notifications/log-failure';
import type { ActionFormPayload } from './catalogue';
import { actionCard } from './cards';
import { postExtensionToChannel } from './channel';
import { runUpdate } from './run-update';

/** "Ask for an extension": the request is saved, then goes to the co-ordinator channel as a card. */
export const extendVerb: ExecuteHandler<ActionFormPayload> = (h, p) =>
  runUpdate(h, p, requestExtension, actionCard(h), async (outcome) => {
    // The request stands once saved; a channel that cannot be reached is said, not hidden.
    try {
      const posted = await postExtensionToChannel(h, outcome.view);
      return posted === 'posted'
        ? 'Extension asked for: the co-ordinator has it and you will be told the decision here.'
        : 'Extension asked for and saved, but no co-ordinator channel is set up, so please tell the co-ordinator.';
    } catch (e) {
      logFailure(h.deps.logger, e, 'could not post an extension card');
      return 'Extension asked for and saved, but the co-ordinator channel could not be reached: please tell the co-ordinator.';
    }
  });
