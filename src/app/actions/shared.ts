import { z } from 'zod';
import { PILLAR_LABELS, type ActionEvent } from '../../domain/action.schema';
import { alreadyRecorded, eventOf, planActionCommand, type ActionCommand } from '../../domain/action-update';
import type { Area } from '../../domain/area.schema';
import { Id } from '../../domain/common.schema';
import { isIsoDate, ukDateOf } from '../../domain/dates';
import type { Meeting } from '../../domain/meeting.schema';
import { can, type CaseScope, type Principal } from '../../domain/policy';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import type { ActionRecord, ActionRepository } from '../ports/action-repository.port';
import type { AuditLog } from '../ports/audit-log.port';
import type { CaseRecord, CaseRepository } from '../ports/case-repository.port';
import type { Clock } from '../ports/clock.port';
import type { MeetingRepository } from '../ports/meeting-repository.port';
import type { MemberRepository } from '../ports/member-repository.port';
import type { MinutesRepository } from '../ports/minutes-repository.port';
import type { RequestActor } from '../ports/write-context.port';
import { actorOf } from '../shared/actor';
import { requireArea } from '../shared/area';
import type { FieldErrors } from '../shared/field-errors';

/** What the action and case-view use cases need; the composition root passes the MongoDB adapters. */
export interface ActionDeps {
  readonly actions: ActionRepository;
  readonly cases: CaseRepository;
  readonly meetings: Pick<MeetingRepository, 'listForCase'>;
  readonly minutes: Pick<MinutesRepository, 'listForCase' | 'listVersions'>;
  readonly members: Pick<MemberRepository, 'getArea'>;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly areaId: string;
}

export type ActionError =
  | AppError<'NOT_FOUND' | 'NOT_PERMITTED'>
  | (AppError<'VALIDATION_FAILED'> & { readonly fieldErrors: FieldErrors })
  /** The card was older than the action: `current` is the action as it stands, to show instead. */
  | (AppError<'VERSION_CONFLICT'> & { readonly current: ActionView });

export const actionValidation = (fieldErrors: FieldErrors): ActionError => ({
  ...appError('VALIDATION_FAILED', Object.values(fieldErrors).join(' ')),
  fieldErrors,
});

// One answer for "no such action" and "not yours to see", so an id reveals nothing.
export const actionNotFound = (): ActionError => appError('NOT_FOUND', 'That action was not found.');

const invited = (m: Meeting): string[] => m.invitees.map((i) => i.agencyId);

/**
 * The case as the need-to-know rule sees it: its lead agency plus every agency invited to its
 * meetings or owning one of its actions (`CaseScope.involvedAgencyIds`).
 */
export function caseScopeOf(c: CaseRecord, meetings: readonly Meeting[], actions: readonly ActionRecord[]): CaseScope {
  return {
    areaId: c.areaId,
    leadAgencyId: c.leadAgencyId,
    involvedAgencyIds: [...new Set([...meetings.flatMap(invited), ...actions.map((a) => a.ownerAgencyId)])],
  };
}

export const isCoordinator = (p: Principal): boolean => p.member?.roles.includes('coordinator') ?? false;

/** The chair of any of the case's meetings (not cancelled): the case's chair for its actions. */
export const isCaseChair = (p: Principal, meetings: readonly Meeting[]): boolean =>
  meetings.some((m) => m.status !== 'cancelled' && m.chair.aadObjectId === p.aadObjectId);

/** An action as its card shows it, with what this reader may do to it. */
export interface ActionView {
  readonly action: ActionRecord;
  readonly caseRef: string;
  readonly ownerAgencyName: string;
  readonly pillarLabel: string;
  /** A member of the owner agency, the case's chair or a co-ordinator (with a role that may update). */
  readonly mayUpdate: boolean;
  /** Co-ordinators decide extensions. */
  readonly mayDecide: boolean;
  readonly today: string;
  readonly agencyNames: Readonly<Record<string, string>>;
}

export interface LoadedAction {
  readonly view: ActionView;
  readonly caseRecord: CaseRecord;
  readonly actor: RequestActor;
  readonly area: Area;
}

export const agencyNamesOf = (area: Area): Record<string, string> =>
  Object.fromEntries(area.agencies.map((a) => [a.id, a.name]));

/** The action, if the caller may see its case; NOT_FOUND alike for one that does not exist. */
export async function loadAction(
  deps: ActionDeps,
  principal: Principal,
  actionId: string,
): Promise<Result<LoadedAction, ActionError>> {
  const id = Id.safeParse(actionId);
  if (!id.success) return err(actionNotFound());
  const found = await deps.actions.get(id.data);
  if (!found.ok || found.value.areaId !== deps.areaId) return err(actionNotFound());
  const c = await deps.cases.get(found.value.caseId);
  if (!c.ok) return err(actionNotFound());
  const [meetings, actions] = await Promise.all([
    deps.meetings.listForCase(c.value.id),
    deps.actions.listForCase(c.value.id),
  ]);
  const scope = caseScopeOf(c.value, meetings, actions);
  if (!can(principal, 'case.read', { case: scope }).allowed) return err(actionNotFound());
  const area = await requireArea(deps.members, deps.areaId);
  const action = found.value;
  const roleMayUpdate = can(principal, 'action.update', { case: scope }).allowed;
  const mayUpdate =
    roleMayUpdate &&
    (isCoordinator(principal) ||
      principal.member?.agencyId === action.ownerAgencyId ||
      isCaseChair(principal, meetings));
  const agencyNames = agencyNamesOf(area);
  return ok({
    view: {
      action,
      caseRef: c.value.ref,
      ownerAgencyName: agencyNames[action.ownerAgencyId] ?? action.ownerAgencyId,
      pillarLabel: PILLAR_LABELS[action.pillar],
      mayUpdate,
      mayDecide: roleMayUpdate && isCoordinator(principal),
      today: ukDateOf(deps.clock.now()),
      agencyNames,
    },
    caseRecord: c.value,
    actor: actorOf(principal),
    area,
  });
}

const MISSING_VERSION = 'This card is missing its version; open the action again.';
const UNREADABLE_VERSION = 'This card’s version is not one a card is given; open the action again.';
/** A version that was sent but is no whole number is said as such, not as missing. */
const versionError = (input: unknown) =>
  (typeof input === 'string' && input.trim() !== '') || typeof input === 'number'
    ? UNREADABLE_VERSION
    : MISSING_VERSION;

/**
 * The card's version field: a number the card was rendered with. Empty or missing is refused, never
 * read as version 0 (which a coercion would make of it, and which a new action is at).
 */
export const CardVersion = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
  z.unknown().transform((v, ctx) => {
    const n = typeof v === 'string' || typeof v === 'number' ? Number(v) : NaN;
    if (Number.isSafeInteger(n) && n >= 0) return n;
    ctx.addIssue({ code: 'custom', message: versionError(v) });
    return z.NEVER;
  }),
);

const DATE_NEEDED = 'Choose the new due date.';
/** A date picked on a card (Input.Date sends YYYY-MM-DD); anything else asks for the date. */
export const NewDueDate = z.string({ error: DATE_NEEDED }).trim().refine(isIsoDate, { message: DATE_NEEDED });

/** Field errors from a zod failure, keyed by the top-level field the card names. */
export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) out[String(issue.path[0] ?? 'form')] ??= issue.message;
  return out;
}

export interface ActionOutcome {
  readonly view: ActionView;
  /** True when the same change from the same card was already recorded: nothing new was written. */
  readonly alreadyRecorded: boolean;
  readonly event: ActionEvent;
}

const withAction = (view: ActionView, action: ActionRecord): ActionView => ({ ...view, action });

/**
 * Applies one command to the action at the version its card showed. Who may ask is checked first,
 * then the input (each refusal names its field), then the version: a card older than the action
 * answers with the action as it stands, unless the change is this caller's own, already recorded
 * from that same card (a second click), which answers as done without writing again.
 */
export async function runActionCommand(
  deps: ActionDeps,
  principal: Principal,
  actionId: string,
  who: 'updater' | 'decider',
  read: () => Result<{ readonly version: number; readonly cmd: ActionCommand }, ActionError>,
): Promise<Result<ActionOutcome, ActionError>> {
  const loaded = await loadAction(deps, principal, actionId);
  if (!loaded.ok) return loaded;
  const { view, actor } = loaded.value;
  if (who === 'updater' && !view.mayUpdate)
    return err(
      appError(
        'NOT_PERMITTED',
        `Only members of ${view.ownerAgencyName}, the case's chair or the co-ordinator can update this action.`,
      ),
    );
  if (who === 'decider' && !view.mayDecide)
    return err(appError('NOT_PERMITTED', 'Only the co-ordinator can decide an extension.'));
  const input = read();
  if (!input.ok) return input;
  const { version, cmd } = input.value;
  const by = { aadObjectId: actor.aadObjectId, displayName: actor.displayName };
  const event = eventOf(cmd);
  const settled = (current: ActionRecord): Result<ActionOutcome, ActionError> =>
    alreadyRecorded(current, by, version, cmd)
      ? ok({ view: withAction(view, current), alreadyRecorded: true, event })
      : err({
          ...appError('VERSION_CONFLICT', 'This action has changed since that card was shown.'),
          current: withAction(view, current),
        });
  if (view.action.version !== version) return settled(view.action);
  const now = deps.clock.now();
  const planned = planActionCommand(view.action, cmd, by, { today: view.today, now: now.toISOString() }, version);
  if (!planned.ok) return err(actionValidation({ [planned.field]: planned.message }));
  const { step } = planned;
  const saved = await deps.actions.update(
    view.action.id,
    version,
    step.changes,
    { by: actor, details: { caseId: view.action.caseId } },
    {
      event: step.event,
      ...(step.note ? { note: step.note } : {}),
      ...(step.askedFor ? { askedFor: step.askedFor } : {}),
    },
  );
  if (saved.ok) return ok({ view: withAction(view, saved.value), alreadyRecorded: false, event });
  if (saved.error.code !== 'VERSION_CONFLICT') return err(actionNotFound());
  const again = await deps.actions.get(view.action.id);
  if (!again.ok) return err(actionNotFound());
  return settled(again.value);
}
