import type { Action, ActionChange, ActionEvent } from './action.schema';
import type { Actor } from './common.schema';
import { addMonths, compareDates, type IsoDate } from './dates';
import { formatUkDate } from './format';

/** What an owner, the chair or the co-ordinator asks of an action; inputs already read by a schema. */
export type ActionCommand =
  | { readonly kind: 'progress'; readonly note: string }
  | { readonly kind: 'done'; readonly note: string }
  | { readonly kind: 'request_extension'; readonly dueDate: IsoDate; readonly reason: string }
  | { readonly kind: 'approve_extension'; readonly dueDate: IsoDate }
  | { readonly kind: 'refuse_extension'; readonly reason: string };

/** The fields an action command may change; the store appends the history entry for them. */
export type ActionCommandChanges = Partial<
  Pick<Action, 'status' | 'statusNote' | 'completedOn' | 'dueDate' | 'extensionRequest'>
>;

export interface ActionStep {
  readonly event: ActionEvent;
  readonly changes: ActionCommandChanges;
  /** The note or reason the history keeps with the change. */
  readonly note?: string;
  /** The date an extension request asked for, kept in the history beside its reason. */
  readonly askedFor?: IsoDate;
}

export type ActionRuleResult =
  | { readonly ok: true; readonly step: ActionStep }
  | { readonly ok: false; readonly field: string; readonly message: string };

const closed = (a: Action) => a.status === 'done' || a.status === 'cancelled';
const refuse = (field: string, message: string): ActionRuleResult => ({ ok: false, field, message });

/**
 * How far an extension may move an action: six months after its current due date. Longer than the
 * longest interval between Level 2/3 reviews (16 weeks), so an extension to the next review always
 * fits; a year slip (2062 for 2026, 9999) is caught; and an action put off for longer than that is
 * no longer the action the meeting agreed, so the meeting should agree it again.
 */
export const EXTENSION_MAX_MONTHS = 6;

/** The latest date an extension may set, counted from the action's current due date. */
export const latestExtensionDate = (currentDue: IsoDate): IsoDate => addMonths(currentDue, EXTENSION_MAX_MONTHS);

/** The extension waiting for a decision: none on a done or cancelled action, whatever is stored. */
export const pendingExtension = (a: Action): Action['extensionRequest'] => (closed(a) ? undefined : a.extensionRequest);

/**
 * `next` without a waiting extension once it is done or cancelled, whatever closed it (the owner,
 * the meeting's review, a transfer): nothing is left for the co-ordinator to decide.
 */
export function withoutExtensionIfClosed<A extends Action>(next: A): A {
  if (!closed(next) || !next.extensionRequest) return next;
  const { extensionRequest: _dropped, ...rest } = next;
  return rest as A;
}

/** Why a new due date cannot be set, or undefined: after today, after the current due date, within the limit. */
function newDueDateProblem(action: Action, dueDate: IsoDate, today: IsoDate): string | undefined {
  if (compareDates(dueDate, today) <= 0) return 'Choose a new due date after today.';
  if (compareDates(dueDate, action.dueDate) <= 0)
    return `Choose a date after the current due date (${formatUkDate(action.dueDate)}).`;
  const latest = latestExtensionDate(action.dueDate);
  if (compareDates(dueDate, latest) > 0)
    return `Choose a date no later than ${formatUkDate(latest)} (six months after the current due date); a longer delay needs the meeting to agree the action again.`;
  return undefined;
}

const EVENT_OF: Readonly<Record<ActionCommand['kind'], ActionEvent>> = {
  progress: 'progress',
  done: 'done',
  request_extension: 'extension_requested',
  approve_extension: 'extension_approved',
  refuse_extension: 'extension_refused',
};

/** The history event a command records. */
export const eventOf = (cmd: ActionCommand): ActionEvent => EVENT_OF[cmd.kind];

/**
 * The change a command makes to an action, or which field refuses it and why. `today` is the area's
 * date; the caller has already checked who may ask.
 */
export function planActionCommand(
  action: Action,
  cmd: ActionCommand,
  by: Actor,
  at: { readonly today: IsoDate; readonly now: string },
  fromVersion: number,
): ActionRuleResult {
  if (closed(action)) {
    const state = action.status === 'done' ? 'done' : 'cancelled';
    return cmd.kind === 'approve_extension' || cmd.kind === 'refuse_extension'
      ? refuse('form', `This action is ${state}, so there is no extension to decide.`)
      : refuse('form', `This action is ${state}, so it cannot change.`);
  }
  switch (cmd.kind) {
    case 'progress':
      return {
        ok: true,
        step: { event: 'progress', changes: { status: 'in_progress', statusNote: cmd.note }, note: cmd.note },
      };
    case 'done':
      return {
        ok: true,
        step: {
          event: 'done',
          changes: { status: 'done', statusNote: cmd.note, completedOn: at.today, extensionRequest: undefined },
          note: cmd.note,
        },
      };
    case 'request_extension': {
      const problem = newDueDateProblem(action, cmd.dueDate, at.today);
      if (problem) return refuse('dueDate', problem);
      if (action.extensionRequest)
        return refuse('form', 'An extension for this action is already waiting for the co-ordinator.');
      return {
        ok: true,
        step: {
          event: 'extension_requested',
          changes: {
            extensionRequest: {
              dueDate: cmd.dueDate,
              reason: cmd.reason,
              requestedBy: by,
              requestedAt: at.now,
              fromVersion,
            },
          },
          note: cmd.reason,
          askedFor: cmd.dueDate,
        },
      };
    }
    case 'approve_extension': {
      if (!action.extensionRequest) return refuse('form', 'There is no extension waiting for a decision.');
      const problem = newDueDateProblem(action, cmd.dueDate, at.today);
      if (problem) return refuse('dueDate', problem);
      return {
        ok: true,
        step: { event: 'extension_approved', changes: { dueDate: cmd.dueDate, extensionRequest: undefined } },
      };
    }
    case 'refuse_extension':
      if (!action.extensionRequest) return refuse('form', 'There is no extension waiting for a decision.');
      return {
        ok: true,
        step: { event: 'extension_refused', changes: { extensionRequest: undefined }, note: cmd.reason },
      };
  }
}

/**
 * `next` with one history entry appended saying what changed from `current`: status, due date,
 * owner and the note, with who and when. Pure, so the store can apply it inside its conditional write.
 */
export function withHistoryEntry<A extends Action>(
  current: A,
  next: A,
  entry: {
    readonly by: Actor;
    readonly at: string;
    readonly event?: ActionEvent;
    readonly note?: string;
    readonly askedFor?: IsoDate;
  },
): A {
  const change: ActionChange = {
    at: entry.at,
    by: entry.by,
    event: entry.event ?? 'changed',
    version: current.version,
    ...(current.status !== next.status ? { status: { from: current.status, to: next.status } } : {}),
    ...(current.dueDate !== next.dueDate ? { dueDate: { from: current.dueDate, to: next.dueDate } } : {}),
    ...(current.ownerName !== next.ownerName ? { owner: { from: current.ownerName, to: next.ownerName } } : {}),
    ...(entry.askedFor ? { askedFor: entry.askedFor } : {}),
  };
  const note = entry.note ?? (next.statusNote !== current.statusNote ? next.statusNote : undefined);
  return { ...next, history: [...current.history, note ? { ...change, note } : change] };
}

/**
 * True when `action` already carries exactly this change by this person from `fromVersion`: a second
 * click of the same card (or a retry) that must not be recorded twice. Same verb, person and version
 * is not enough: a new date or reason typed on that card is a different change (answered as a stale card).
 */
export function alreadyRecorded(action: Action, by: Actor, fromVersion: number, cmd: ActionCommand): boolean {
  const event = eventOf(cmd);
  const same = (h: ActionChange): boolean => {
    switch (cmd.kind) {
      case 'progress':
      case 'done':
        return (h.note ?? '') === cmd.note.trim();
      case 'refuse_extension':
        return (h.note ?? '') === cmd.reason.trim();
      case 'request_extension':
        return (h.note ?? '') === cmd.reason.trim() && h.askedFor === cmd.dueDate;
      case 'approve_extension':
        return h.dueDate?.to === cmd.dueDate;
    }
  };
  return action.history.some(
    (h) => h.version === fromVersion && h.by.aadObjectId === by.aadObjectId && h.event === event && same(h),
  );
}

/**
 * The previous-actions review a meeting opens with: each action an owner marked done or in progress
 * since the last meeting, with their latest note and who reported it.
 */
export function reviewsFromActions(
  actions: readonly Action[],
): { actionId: string; status: 'done' | 'in_progress'; note?: string; reviewedBy: Actor }[] {
  const out: { actionId: string; status: 'done' | 'in_progress'; note?: string; reviewedBy: Actor }[] = [];
  for (const a of actions) {
    if (a.status !== 'done' && a.status !== 'in_progress') continue;
    const last = [...a.history].reverse().find((h) => h.event === 'progress' || h.event === 'done');
    if (!last) continue;
    const note = a.statusNote?.slice(0, 2000);
    out.push({ actionId: a.id, status: a.status, ...(note ? { note } : {}), reviewedBy: last.by });
  }
  return out;
}
