import {
  type ActivityHandler,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type Request,
  type Response,
  type TurnContext,
} from 'botbuilder';
import type { Config } from '../config/config';
import { describeError, type Logger } from '../config/logger';

/**
 * The Bot Framework adapter. With BOT_AUTH=none no app id is configured, which makes the SDK accept
 * unauthenticated requests: config refuses that combination in production.
 */
export function createAdapter(config: Config, logger: Logger): CloudAdapter {
  const settings: ConfigurationBotFrameworkAuthenticationOptions =
    config.BOT_AUTH === 'none'
      ? {}
      : {
          MicrosoftAppId: config.MicrosoftAppId,
          MicrosoftAppPassword: config.MicrosoftAppPassword,
          MicrosoftAppType: config.MicrosoftAppType,
          MicrosoftAppTenantId: config.MicrosoftAppTenantId,
        };
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(settings));
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    // Class, code and where, for the error and what it wraps; never the message, which may quote the user.
    logger.error({ error: describeError(error), activityType: context.activity.type }, 'turn failed');
    if (context.activity.type === 'message') {
      await context
        .sendActivity(
          'Sorry, something went wrong on my side. Please try again in a moment; anything already saved is kept.',
        )
        .catch(() => undefined);
    }
  };
  return adapter;
}

/** The /api/messages handler: authenticates the request (unless BOT_AUTH=none) and runs one turn. */
export function messagesHandler(
  adapter: CloudAdapter,
  bot: ActivityHandler,
): (req: Request, res: Response) => Promise<void> {
  return (req, res) => adapter.process(req, res, (context) => bot.run(context));
}
