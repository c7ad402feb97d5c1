import type { ActionView } from '../../app/actions';
import { ACTION_STATUS_LABELS, type ActionChange, type ActionEvent } from '../../domain/action.schema';
import { compareDates } from '../../domain/dates';
import { formatUkDate, formatUkDateTime } from '../../domain/format';
import type { CardData } from '../cards/render';
import { errorSummary } from '../cards/error-summary';

const EVENT_WORDS: Readonly<Record<ActionEvent, string>> = {
  progress: 'progress note',
  done: 'marked done',
  extension_requested: 'asked for an extension',
  extension_approved: 'approved an extension',
  extension_refused: 'refused an extension',
  reviewed: 'reviewed at the meeting',
  changed: 'changed the action',
};

export const ACTION_LABELS = {
  note: 'Progress or completion note',
  dueDate: 'New due date',
  reason: 'Reason for the extension',
} as const;
type Typed = Record<keyof typeof ACTION_LABELS, string>;
const EMPTY: Typed = { note: '', dueDate: '', reason: '' };

/**
 * What was typed on a card whose form is no longer offered, as facts: the text goes back to the
 * person even when there is no input left to put it in.
 */
export function keptFacts<K extends string>(
  values: Readonly<Record<K, string>>,
  labels: Readonly<Record<K, string>>,
): { title: string; value: string }[] {
  return (Object.keys(labels) as K[])
    .filter((k) => values[k].trim() !== '')
    .map((k) => ({ title: labels[k], value: values[k] }));
}

/** One line of an action's history, in words. */
export function historyLine(h: ActionChange): string {
  const parts = [`${formatUkDateTime(h.at)} · ${h.by.displayName}: ${EVENT_WORDS[h.event]}`];
  if (h.status) parts.push(` (${ACTION_STATUS_LABELS[h.status.from]} → ${ACTION_STATUS_LABELS[h.status.to]})`);
  if (h.dueDate) parts.push(` (due ${formatUkDate(h.dueDate.from)} → ${formatUkDate(h.dueDate.to)})`);
  if (h.owner) parts.push(` (owner ${h.owner.from} → ${h.owner.to})`);
  if (h.note) parts.push(`: ${h.note}`);
  return parts.join('');
}

/** Where the action stands, in words, and whether that needs attention. */
export function actionStatusLine(v: ActionView): { line: string; urgent: boolean } {
  const a = v.action;
  if (a.status === 'done') return { line: `Done on ${formatUkDate(a.completedOn ?? v.today)}`, urgent: false };
  if (a.status === 'cancelled') return { line: 'Cancelled: nothing more to do', urgent: false };
  const overdue = compareDates(a.dueDate, v.today) < 0;
  const pending = a.extensionRequest
    ? ` · extension to ${formatUkDate(a.extensionRequest.dueDate)} waiting for the co-ordinator`
    : '';
  return {
    line: `Due ${formatUkDate(a.dueDate)} · ${ACTION_STATUS_LABELS[a.status]}${overdue ? ' · overdue' : ''}${pending}`,
    urgent: overdue,
  };
}

/** The action card (personal chat), with what was typed and each refused field's message. */
export function actionCardData(
  v: ActionView,
  opts: { lead?: string; values?: Typed; errors?: Partial<Typed>; formError?: string } = {},
): CardData<'action'> {
  const a = v.action;
  const closed = a.status === 'done' || a.status === 'cancelled';
  const errors = { ...EMPTY, ...opts.errors };
  const status = actionStatusLine(v);
  const canUpdate = v.mayUpdate && !closed;
  const values = opts.values ?? EMPTY;
  return {
    actionId: a.id,
    version: String(a.version),
    title: `Action for ${v.caseRef}`,
    lead: opts.lead ?? '',
    statusLine: status.line,
    statusUrgent: status.urgent,
    text: a.text,
    facts: [
      { title: 'Pillar', value: v.pillarLabel },
      {
        title: 'Owner',
        value: a.ownerName === v.ownerAgencyName ? a.ownerName : `${a.ownerName}, ${v.ownerAgencyName}`,
      },
      ...(a.statusNote ? [{ title: 'Latest note', value: a.statusNote }] : []),
    ],
    history: a.history.map((h) => ({ text: historyLine(h) })),
    canUpdate,
    readOnlyNote: closed
      ? 'This action is closed, so there is nothing more to update.'
      : v.mayUpdate
        ? ''
        : `Only members of ${v.ownerAgencyName}, the case's chair or the co-ordinator can update this action.`,
    today: v.today,
    values,
    errors,
    formError: opts.formError ?? errorSummary(errors, ACTION_LABELS),
    kept: canUpdate ? [] : keptFacts(values, ACTION_LABELS),
  };
}
