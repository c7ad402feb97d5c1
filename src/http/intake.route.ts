import type restify from 'restify';
import { z } from 'zod';
import {
  IntakeBusyError,
  IntakeExternalRef,
  NotificationJson,
  notificationFieldErrors,
  receiveNotification,
  type ReceiveDeps,
  type ReceivedNotification,
  type ReceiveNotificationError,
} from '../app/notifications';
import { withoutBlanks } from '../app/notifications';
import type { Logger } from '../config/logger';
import type { Result } from '../lib/result';
import { IntakeKeysUnavailableError, type IntakeAuthenticator, type IntakePrincipal } from './entra-token';

export const INTAKE_PATH = '/api/notifications';

/** The request body: the sender's own reference (the idempotency key) and the notification. */
export const IntakeRequest = z.strictObject({
  externalRef: IntakeExternalRef,
  notification: z.preprocess(withoutBlanks, NotificationJson),
});
export type IntakeRequest = z.input<typeof IntakeRequest>;

export type IntakeReceive = (
  notification: unknown,
  caller: IntakePrincipal,
  externalRef: string,
) => Promise<Result<ReceivedNotification, ReceiveNotificationError>>;

export interface IntakeRouteDeps {
  readonly authenticator: IntakeAuthenticator;
  readonly receive: IntakeReceive;
  /**
   * Runs after every accepted delivery, new or repeated, once the answer is sent (e.g. posting the
   * co-ordinator's channel card), so it must be idempotent. Its failure is logged, never reported.
   */
  readonly onReceived?: (received: ReceivedNotification) => Promise<void>;
  readonly logger: Logger;
}

/**
 * The use case bound to an intake caller: the application is the actor recorded in audit and on the
 * notification, and its allow-listed agency is the lead agency, whatever the body says.
 */
export function intakeReceiver(deps: ReceiveDeps): IntakeReceive {
  return (notification, caller, externalRef) =>
    receiveNotification(
      deps,
      notification,
      {
        actor: { aadObjectId: caller.appId, tenantId: caller.tenantId, displayName: `Intake API (${caller.agencyId})` },
        fixedLeadAgencyId: caller.agencyId,
      },
      { externalRef },
    );
}

const RETRY_AFTER_SECONDS = '30';

// Driver and store failures are ours, not the caller's: they get 503 and may be retried safely,
// because a retry with the same externalRef resumes rather than duplicates.
const DATABASE_ERRORS = new Set(['DatabaseUnavailableError', 'AuditWriteError']);
function isDatabaseFailure(error: unknown): boolean {
  const name = error instanceof Error ? error.name : '';
  return name.startsWith('Mongo') || DATABASE_ERRORS.has(name);
}

/** The name and code of an error: driver messages can quote stored values, so they are never logged. */
function errorFacts(error: unknown): { errorName: string; errorCode?: string | number } {
  const name = error instanceof Error ? error.name : typeof error;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' || typeof code === 'number'
    ? { errorName: name, errorCode: code }
    : { errorName: name };
}

/**
 * POST /api/notifications: a lead agency's case-management system notifies the co-ordinator.
 * Authorisation comes first (nothing about the body is revealed to an unauthenticated caller), then
 * the body is validated, then the one intake use case runs. See docs/openapi.yaml.
 */
export function registerIntakeRoutes(server: restify.Server, deps: IntakeRouteDeps): void {
  const log = deps.logger.child({ route: 'intake' });

  server.post(INTAKE_PATH, async (req: restify.Request, res: restify.Response) => {
    const started = Date.now();
    const answer = (status: number, body: Record<string, unknown>, facts: Record<string, unknown> = {}) => {
      res.send(status, body);
      log.info({ status, ms: Date.now() - started, ...facts }, 'intake request answered');
    };

    let caller: IntakePrincipal;
    try {
      const auth = await deps.authenticator.authenticate(req.header('authorization'));
      if (!auth.ok) {
        if (auth.error.status === 401) {
          res.header(
            'WWW-Authenticate',
            auth.error.code === 'MISSING_TOKEN' ? 'Bearer' : 'Bearer error="invalid_token"',
          );
        }
        answer(auth.error.status, { error: auth.error.code, message: auth.error.message }, { code: auth.error.code });
        return;
      }
      caller = auth.value;
    } catch (error) {
      if (!(error instanceof IntakeKeysUnavailableError)) throw error;
      log.error(errorFacts(error), 'intake token keys unavailable');
      res.header('Retry-After', RETRY_AFTER_SECONDS);
      answer(503, {
        error: 'AUTH_UNAVAILABLE',
        message: 'Tokens cannot be checked at the moment; retry shortly.',
      });
      return;
    }
    const who = { agencyId: caller.agencyId, appId: caller.appId };

    const body = IntakeRequest.safeParse(req.body);
    if (!body.success) {
      const fieldErrors = notificationFieldErrors(body.error, ['notification']);
      answer(
        400,
        { error: 'VALIDATION_FAILED', message: 'Some fields need attention.', fieldErrors },
        { ...who, code: 'VALIDATION_FAILED', fields: Object.keys(fieldErrors).join(',') },
      );
      return;
    }

    let result: Awaited<ReturnType<IntakeReceive>>;
    try {
      result = await deps.receive(body.data.notification, caller, body.data.externalRef);
    } catch (error) {
      if (error instanceof IntakeBusyError) {
        res.header('Retry-After', '5');
        answer(
          503,
          { error: 'INTAKE_BUSY', message: 'This notification is being received by another request; retry shortly.' },
          who,
        );
        return;
      }
      if (isDatabaseFailure(error)) {
        log.error({ ...who, ...errorFacts(error) }, 'intake write failed');
        res.header('Retry-After', RETRY_AFTER_SECONDS);
        answer(503, {
          error: 'DATABASE_UNAVAILABLE',
          message:
            'The notification could not be stored; nothing was recorded as received. Retry with the same externalRef.',
        });
        return;
      }
      log.error({ ...who, ...errorFacts(error) }, 'intake failed');
      answer(500, { error: 'INTERNAL_ERROR', message: 'The notification could not be processed.' });
      return;
    }

    if (!result.ok) {
      const e = result.error;
      if (e.code === 'VALIDATION_FAILED') {
        answer(
          400,
          { error: e.code, message: e.message, fieldErrors: e.fieldErrors },
          { ...who, code: e.code, fields: Object.keys(e.fieldErrors).join(',') },
        );
      } else if (e.code === 'IDEMPOTENCY_CONFLICT') {
        answer(409, { error: e.code, message: e.message }, { ...who, code: e.code });
      } else {
        // The allow-list names an agency the area does not (or no longer) lists, or one that cannot
        // lead a case: a set-up fault the caller cannot fix by changing the body.
        answer(
          403,
          {
            error: e.code,
            message:
              e.code === 'UNKNOWN_AGENCY' ? 'Your agency is not an active agency of this MAPPA area.' : e.message,
          },
          {
            ...who,
            code: e.code,
          },
        );
      }
      return;
    }

    const { notification, created } = result.value;
    // No case reference: the person may already have a case the calling agency cannot see, and naming
    // it (or not) would tell the caller whether they are known to MAPPA.
    answer(
      created ? 201 : 200,
      { id: notification.id, status: 'received' },
      { ...who, notificationId: notification.id, created },
    );
    // After the answer: the sender's 201 means stored, and a slow or failed Teams post must not change it.
    // A repeat runs it too, so a post that failed the first time is made by the sender's retry.
    if (deps.onReceived) await runAfterReceipt(deps.onReceived, result.value, log);
  });
}

async function runAfterReceipt(
  onReceived: (received: ReceivedNotification) => Promise<void>,
  received: ReceivedNotification,
  log: Logger,
): Promise<void> {
  try {
    await onReceived(received);
  } catch (error) {
    log.error(
      { notificationId: received.notification.id, ...errorFacts(error) },
      'post-receipt step failed; the notification is stored',
    );
  }
}
