import { PILLAR_LABELS } from '../../domain/action.schema';
import { type Area, areaCalendar } from '../../domain/area.schema';
import { ukDateOf } from '../../domain/dates';
import { formatUkDate } from '../../domain/format';
import {
  nextReminder,
  reminderMoment,
  REMINDER_KIND_LABELS,
  type Reminder,
  type ReminderMoment,
} from '../../domain/reminders';
import type { ActionView } from '../actions';
import { agencyNamesOf } from '../actions/shared';
import type { ActionRecord } from '../ports/action-repository.port';
import type { ClaimedReminder } from '../ports/reminder-repository.port';
import { requireArea } from '../shared/area';
import type { ReminderDeps, ReminderNotice, ReminderOutbox } from './deps';
import { sendDeadline } from './deadline-send';
import { scheduleActionReminder } from './schedule-action';

export interface SweepSummary {
  readonly sent: number;
  readonly closed: number;
  readonly undelivered: number;
}

/** How the owner's reminder opens, in words. */
export function reminderLead(m: ReminderMoment, due: string): string {
  if (m.stage === 'before') return `Reminder: this action is due ${formatUkDate(due)}.`;
  if (m.stage === 'due') return `Reminder: this action is due today, ${formatUkDate(due)}.`;
  return `Overdue by ${m.overdueDays} working day${m.overdueDays === 1 ? '' : 's'}: it was due ${formatUkDate(due)}.`;
}

/** The owner's view of their action on a reminder: the buttons are theirs; each click is checked again. */
export function ownerView(action: ActionRecord, caseRef: string, area: Area, today: string): ActionView {
  const agencyNames = agencyNamesOf(area);
  return {
    action,
    caseRef,
    ownerAgencyName: agencyNames[action.ownerAgencyId] ?? action.ownerAgencyId,
    pillarLabel: PILLAR_LABELS[action.pillar],
    mayUpdate: true,
    mayDecide: false,
    today,
    agencyNames,
  };
}

/** Who is reminded of an action: its named owner, or else the owner agency's active members. */
async function actionRecipients(deps: ReminderDeps, action: ActionRecord): Promise<string[]> {
  if (action.ownerAadObjectId) return [action.ownerAadObjectId];
  const members = await deps.members.listMembers(action.areaId);
  return members.filter((m) => m.active && m.agencyId === action.ownerAgencyId).map((m) => m.aadObjectId);
}

/** The co-ordinator channel's escalation: reference, agency and dates only, never names or the action text. */
function escalationNotice(r: Reminder, agencyName: string, m: ReminderMoment): ReminderNotice {
  return {
    title: `Overdue: ${REMINDER_KIND_LABELS[r.kind].toLowerCase()} for ${r.caseRef}`,
    message: `Overdue by ${m.overdueDays} working days. The owner has been reminded; please follow up.`,
    facts: [
      { title: 'Owner agency', value: agencyName },
      { title: 'Due', value: formatUkDate(r.due) },
    ],
  };
}

type Handled = { kind: 'sent'; delivered: number; undelivered: number; escalated: boolean } | { kind: 'closed' };

async function sendAction(
  deps: ReminderDeps,
  outbox: ReminderOutbox,
  r: ClaimedReminder,
  area: Area,
  m: ReminderMoment,
): Promise<Handled | 'reschedule'> {
  const found = await deps.actions.get(r.subjectId);
  if (!found.ok || found.value.status === 'done' || found.value.status === 'cancelled') return { kind: 'closed' };
  const action = found.value;
  // The action moved after this was scheduled (an extension in flight): schedule it afresh.
  if (action.dueDate !== r.due) return 'reschedule';
  const view = ownerView(action, r.caseRef, area, ukDateOf(m.at));
  let delivered = 0;
  let undelivered = 0;
  for (const to of await actionRecipients(deps, action)) {
    if (await outbox.actionCard(to, view, reminderLead(m, r.due))) delivered += 1;
    else undelivered += 1;
  }
  let escalated = false;
  if (m.escalate) {
    escalated = await outbox.coordinatorNotice(escalationNotice(r, view.ownerAgencyName, m));
    if (!escalated) undelivered += 1;
  }
  return { kind: 'sent', delivered, undelivered, escalated };
}

/**
 * Sends every reminder due now, one claim at a time. Safe on several instances: each reminder is
 * claimed by one conditional write that moves it a lease ahead, sent, then recorded with its next
 * time under the same claim. An instance that dies after claiming leaves the lease to run out and
 * another sends; one that dies after sending but before recording makes that one reminder go again.
 */
export async function runReminderSweep(
  deps: ReminderDeps & { readonly outbox: ReminderOutbox },
  opts: { readonly claimer: string; readonly leaseMs: number; readonly max?: number },
): Promise<SweepSummary> {
  const area = await requireArea(deps.members, deps.areaId);
  const calendar = areaCalendar(area);
  let sent = 0;
  let closed = 0;
  let undelivered = 0;
  for (let i = 0; i < (opts.max ?? 500); i += 1) {
    const now = deps.clock.now();
    const token = `${opts.claimer}:${now.getTime()}:${i}`;
    const r = await deps.reminders.claimDue(deps.areaId, now, opts.leaseMs, token);
    if (!r) break;
    const m = reminderMoment(r.due, now, r.escalatedAt !== null, area.reminders, calendar);
    const handled =
      r.kind === 'action'
        ? await sendAction(deps, deps.outbox, r, area, m)
        : await sendDeadline(deps, deps.outbox, r, m);
    if (handled === 'reschedule') {
      const fresh = await deps.actions.get(r.subjectId);
      if (fresh.ok) {
        await scheduleActionReminder(deps, fresh.value);
      }
      continue;
    }
    if (handled.kind === 'closed') {
      await deps.reminders.close(r.id);
      closed += 1;
      continue;
    }
    const escalatedAt = r.escalatedAt ?? (handled.escalated ? now.toISOString() : null);
    const next = nextReminder({
      due: r.due,
      lastSentAt: now,
      escalatedAlready: escalatedAt !== null,
      now,
      policy: area.reminders,
      calendar,
    });
    await deps.reminders.recordSend(
      r.id,
      r.claimToken,
      {
        at: now.toISOString(),
        stage: m.stage,
        delivered: handled.delivered,
        undelivered: handled.undelivered,
        escalated: handled.escalated,
      },
      { nextAt: next.at.toISOString(), escalatedAt },
    );
    sent += 1;
    undelivered += handled.undelivered;
  }
  return { sent, closed, undelivered };
}
