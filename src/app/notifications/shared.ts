import type { Actor, Area } from '../../domain';
import type { Principal } from '../../domain/policy';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import type { Repositories } from '../ports';
import type { CaseRecord } from '../ports/case-repository.port';
import type { Clock } from '../ports/clock.port';
import type { NotificationRecord } from '../ports/notification-repository.port';
import { requireArea } from '../shared/area';
import type { FieldErrors } from './notification-form';

export interface NotificationDeps {
  readonly repos: Repositories;
  readonly clock: Clock;
  readonly areaId: string;
}

export type NotificationValidationError = AppError<'VALIDATION_FAILED'> & { readonly fieldErrors: FieldErrors };

export const invalid = (fieldErrors: FieldErrors): NotificationValidationError => ({
  ...appError('VALIDATION_FAILED', 'Some fields need attention.'),
  fieldErrors,
});

/*
 * Idempotency keys are namespaced by who sent them, so one agency's reference can never return
 * another agency's notification, nor a Teams draft id someone else's.
 */
export const API_PREFIX = 'ext:';
export const TEAMS_PREFIX = 'teams:';

/**
 * The person who notified, when they did it in Teams; null when the notification came through the
 * intake API (its notifier is an application, not a person to message).
 */
export function teamsNotifier(n: Pick<NotificationRecord, 'externalRef' | 'notifiedBy'>): Actor | null {
  return n.externalRef?.startsWith(TEAMS_PREFIX) ? n.notifiedBy : null;
}

export const getArea = (deps: NotificationDeps): Promise<Area> => requireArea(deps.repos.members, deps.areaId);

export async function loadNotification(
  deps: NotificationDeps,
  principal: Principal | null,
  notificationId: string,
): Promise<Result<{ notification: NotificationRecord; caseRecord: CaseRecord; area: Area }, AppError<'NOT_FOUND'>>> {
  const found = await deps.repos.notifications.get(notificationId);
  if (!found.ok || found.value.areaId !== deps.areaId) return err(appError('NOT_FOUND'));
  if (principal?.member && principal.member.areaId !== found.value.areaId) return err(appError('NOT_FOUND'));
  const n = found.value;
  if (n.caseId === undefined) return err(appError('NOT_FOUND', 'The notification has no case.', { id: n.id }));
  const c = await deps.repos.cases.get(n.caseId);
  if (!c.ok) return err(appError('NOT_FOUND'));
  return ok({ notification: n, caseRecord: c.value, area: await getArea(deps) });
}

/* The co-ordinator's decision, as stored in the decision reason (read back by decide and summary). */

export const DECISION_VERBS = ['level1', 'awaitReferral', 'askToRefer'] as const;
export type DecisionVerb = (typeof DECISION_VERBS)[number];

/**
 * How each verb reads on cards. The first line of the stored decision reason is this label, which
 * is also how a later call tells which verb was chosen (the stored decision has no field for it).
 */
export const DECISION_LABELS: Readonly<Record<DecisionVerb, string>> = {
  level1: 'Accepted: Level 1, managed by the lead agency',
  awaitReferral: 'Accepted: awaiting a referral',
  askToRefer: 'Accepted: lead agency asked to refer',
};

export function parseReason(reason: string | undefined): { verb?: DecisionVerb; note?: string } {
  if (reason === undefined) return {};
  const [first = '', ...rest] = reason.split('\n');
  const verb = DECISION_VERBS.find((v) => first.startsWith(DECISION_LABELS[v]));
  const note = rest.join('\n').trim();
  return { ...(verb ? { verb } : {}), ...(note ? { note } : {}) };
}
