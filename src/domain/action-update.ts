import type { Action, ActionChange, ActionEvent } from './action.schema';
import type { Actor } from './common.schema';
import { compareDates, type IsoDate } from './dates';

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
}

export type ActionRuleResult =
  | { readonly ok: true; readonly step: ActionStep }
  | { readonly ok: false; readonly field: string; readonly message: string };

const closed = (a: Action) => a.status === 'done' || a.status === 'cancelled';
const refuse = (field: string, message: string): ActionRuleResult => ({ ok: false, field, message });

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
  if (closed(action) && cmd.kind !== 'approve_extension' && cmd.kind !== 'refuse_extension')
    return refuse('form', `This action is ${action.status === 'done' ? 'done' : 'cancelled'}, so it cannot change.`);
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
      if (compareDates(cmd.dueDate, at.today) <= 0) return refuse('dueDate', 'Choose a new due date after today.');
      if (compareDates(cmd.dueDate, action.dueDate) <= 0)
        return refuse('dueDate', 'Choose a new due date after the current one.');
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
        },
      };
    }
    case 'approve_extension':
      if (!action.extensionRequest) return refuse('form', 'There is no extension waiting for a decision.');
      if (compareDates(cmd.dueDate, at.today) <= 0) return refuse('dueDate', 'Choose a new due date after today.');
      return {
        ok: true,
        step: { event: 'extension_approved', changes: { dueDate: cmd.dueDate, extensionRequest: undefined } },
      };
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
  entry: { readonly by: Actor; readonly at: string; readonly event?: ActionEvent; readonly note?: string },
): A {
  const change: ActionChange = {
    at: entry.at,
    by: entry.by,
    event: entry.event ?? 'changed',
    version: current.version,
    ...(current.status !== next.status ? { status: { from: current.status, to: next.status } } : {}),
    ...(current.dueDate !== next.dueDate ? { dueDate: { from: current.dueDate, to: next.dueDate } } : {}),
    ...(current.ownerName !== next.ownerName ? { owner: { from: current.ownerName, to: next.ownerName } } : {}),
  };
  const note = entry.note ?? (next.statusNote !== current.statusNote ? next.statusNote : undefined);
  return { ...next, history: [...current.history, note ? { ...change, note } : change] };
}

/**
 * True when `action` already carries this person's change made from `fromVersion`: a second click
 * of the same card (or a retry) that must not be recorded twice.
 */
export function alreadyRecorded(
  action: Action,
  by: Actor,
  fromVersion: number,
  event: ActionEvent,
  note?: string,
): boolean {
  return action.history.some(
    (h) =>
      h.version === fromVersion &&
      h.by.aadObjectId === by.aadObjectId &&
      h.event === event &&
      (note === undefined || (h.note ?? '') === note.trim()),
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
