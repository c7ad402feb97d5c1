import {
  type ActivityHandler,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
  type Request,
  type Response,
  type TurnContext,
} from 'botbuilder';
import { z } from 'zod';
import type { Config } from '../config/config';
import { describeError, type Logger } from '../config/logger';
import { escapeTagLikeText } from './cards/escape-text';
import { readCommandButton } from './command-button';
import { traceOutbound } from '../telemetry/telemetry';
import { tracedTurn } from './turn-telemetry';

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
  // A command button arrives as the command typed; every message the bot sends, proactive ones
  // included, leaves with tag-like placeholders escaped.
  adapter.use(async (context, next) => {
    readCommandButton(context.activity);
    context.onSendActivities(async (_ctx, activities, send) => {
      for (const a of activities)
        if (a.type === 'message' && typeof a.text === 'string') a.text = escapeTagLikeText(a.text);
      // One span per send to Teams, replies and proactive messages alike.
      return traceOutbound(
        activities.map((a) => a.type ?? 'other'),
        send,
      );
    });
    await next();
  });
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

const HasType = z.object({ type: z.string().min(1) });

/** The /api/messages handler: authenticates the request (unless BOT_AUTH=none) and runs one turn. */
export function messagesHandler(
  adapter: CloudAdapter,
  bot: ActivityHandler,
  logger: Logger,
): (req: Request, res: Response) => Promise<void> {
  return async (req, res) => {
    // The SDK throws on a body without a type, before authentication, and the caller sees a 500;
    // the same refusal as a 400 with a reason is the true answer. Nothing else is read before auth.
    if (!HasType.safeParse(req.body).success) {
      logger.warn({ badInput: { activityType: 'none', fields: ['type'] } }, 'bad input');
      res.status(400);
      res.send({ error: 'bad_request', message: 'The body is not an activity: it has no type.' });
      res.end();
      return;
    }
    await adapter.process(req, res, (context) => tracedTurn(context, () => bot.run(context)));
  };
}
