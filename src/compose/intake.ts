import type { Server } from 'restify';
import type { NotificationBotDeps } from '../bot/notifications/deps';
import { ConfigError, type Config } from '../config/config';
import type { Logger } from '../config/logger';
import { createIntakeAuthenticator, IntakeAuthConfig, parseIntakeCallers } from '../http/entra-token';
import { intakeReceiver, registerIntakeRoutes } from '../http/intake.route';

/** The notification intake API for agencies' systems, when callers are configured; its card goes to the channel. */
export function intakeRoutes(
  config: Config,
  defaultTenantId: string | undefined,
  notifications: NotificationBotDeps,
  logger: Logger,
  postToChannel: (notificationId: string) => Promise<void>,
): ((server: Server) => void) | undefined {
  if (config.INTAKE_CALLERS === '') return undefined;
  const callers = parseIntakeCallers(config.INTAKE_CALLERS);
  if (!callers.ok) throw new ConfigError('INTAKE_CALLERS', callers.error);
  const intakeConfig = IntakeAuthConfig.safeParse({
    tenantId: config.INTAKE_TENANT_ID || config.MicrosoftAppTenantId || defaultTenantId,
    audience: config.INTAKE_AUDIENCE,
    callers: callers.value,
    ...(config.INTAKE_JWKS_URI ? { jwksUri: config.INTAKE_JWKS_URI } : {}),
  });
  if (!intakeConfig.success) {
    throw new ConfigError('INTAKE_CALLERS', intakeConfig.error.issues[0]?.message ?? 'is invalid');
  }
  const authenticator = createIntakeAuthenticator(intakeConfig.data);
  return (server) =>
    registerIntakeRoutes(server, {
      authenticator,
      receive: intakeReceiver(notifications.receive),
      onReceived: (received) => postToChannel(received.notification.id),
      logger,
    });
}
