import { PILLAR_LABELS } from '../../domain/action.schema';
import { type Area, areaCalendar } from '../../domain/area.schema';
import { ukDateOf } from '../../domain/dates';
import { formatUkDate } from '../../domain/format';
import {
  nextReminder,
  reminderMoment,
  remindsOwner,
  NOBODY,
  REMINDER_KIND_LABELS,
  type Reminder,
  type ReminderMoment,
} from '../../domain/reminders';
import type { ActionView } from '../actions';
import { agencyNamesOf } from '../actions/shared';
import type { ActionRecord } from '../ports/action-repository.port';
import type { ClaimedReminder } from '../ports/reminder-repository.port';
import type { SweepTelemetry } from '../ports/telemetry.port';
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

/**
 * Who is reminded of an action: its named owner while they are an active member of the owning
 * agency; otherwise (no owner named, or they left, were deactivated or moved agency) the owning
 * agency's active members. A leaver must not keep receiving the action's text.
 */
async function actionRecipients(deps: ReminderDeps, action: ActionRecord): Promise<string[]> {
  const members = await deps.members.listMembers(action.areaId);
  const current = members.filter((m) => m.active && m.agencyId === action.ownerAgencyId);
  const owner = action.ownerAadObjectId;
  if (owner && current.some((m) => m.aadObjectId === owner)) return [owner];
  return current.map((m) => m.aadObjectId);
}

const facts = (r: Reminder, agencyName: string) => [
  { title: 'Owner agency', value: agencyName },
  { title: 'Due', value: formatUkDate(r.due) },
];

/** The co-ordinator channel's escalation: reference, agency and dates only, never names or the action text. */
function escalationNotice(r: Reminder, agencyName: string, m: ReminderMoment, reachedSomeone: boolean): ReminderNotice {
  const owner = reachedSomeone
    ? 'The owner has been reminded'
    : `The owner could not be reached (no one in ${agencyName} can be messaged by the bot)`;
  return {
    title: `Overdue: ${REMINDER_KIND_LABELS[r.kind].toLowerCase()} for ${r.caseRef}`,
    message: `Overdue by ${m.overdueDays} working days. ${owner}; please follow up.`,
    facts: facts(r, agencyName),
  };
}

/** Told once per action and recipient when a reminder cannot reach them: never who, nor the text. */
function unreachedNotice(r: Reminder, agencyName: string, missed: readonly string[]): ReminderNotice {
  const nobody = missed.includes(NOBODY);
  return {
    title: 'A reminder could not be delivered',
    message: nobody
      ? `No one in ${agencyName} can be reminded of this action (nobody active is enrolled there), so nobody was reminded. Please reach the agency another way.`
      : `The reminder of this action could not be delivered to ${missed.length === 1 ? 'a member' : `${missed.length} members`} of ${agencyName}: the bot cannot message them (no personal chat with it, or it was removed or blocked). Please reach them another way.`,
    facts: [{ title: 'Case', value: r.caseRef }, ...facts(r, agencyName)],
  };
}

type Handled =
  | {
      kind: 'sent';
      delivered: number;
      undelivered: number;
      escalated: boolean;
      /** Who the co-ordinator has now been told cannot be reached; undefined leaves it as it was. */
      unreached?: readonly string[];
    }
  | { kind: 'closed' };

async function sendAction(
  deps: ReminderDeps,
  outbox: ReminderOutbox,
  r: ClaimedReminder,
  area: Area,
  m: ReminderMoment,
  remindOwner: boolean,
): Promise<Handled | 'reschedule'> {
  const found = await deps.actions.get(r.subjectId);
  if (!found.ok || found.value.status === 'done' || found.value.status === 'cancelled') return { kind: 'closed' };
  const action = found.value;
  // The action moved after this was scheduled (an extension in flight): schedule it afresh.
  if (action.dueDate !== r.due) return 'reschedule';
  const view = ownerView(action, r.caseRef, area, ukDateOf(m.at));
  if (!remindOwner) {
    // The escalation day only: the co-ordinator is told, the owner was chased on the policy's days.
    // Whether the owner's side was reached is what the last send to them found.
    const reached = (r.sends.at(-1)?.delivered ?? 0) > 0;
    const escalated = await outbox.coordinatorNotice(escalationNotice(r, view.ownerAgencyName, m, reached));
    // Nobody was tried today, so whoever could not be reached last time still cannot: kept, not cleared.
    return { kind: 'sent', delivered: 0, undelivered: r.undelivered + (escalated ? 0 : 1), escalated };
  }
  let delivered = 0;
  const missed: string[] = [];
  const recipients = await actionRecipients(deps, action);
  for (const to of recipients) {
    if (await outbox.actionCard(to, view, reminderLead(m, r.due))) delivered += 1;
    else missed.push(to);
  }
  // Nobody to remind is a failure too: it counts as not delivered and the co-ordinator must know.
  if (recipients.length === 0) missed.push(NOBODY);
  let undelivered = missed.length;
  // The co-ordinator hears once per recipient; one reached again is forgotten, to be told anew.
  const told = r.unreached.filter((x) => missed.includes(x));
  const fresh = missed.filter((x) => !told.includes(x));
  let unreached = told;
  if (fresh.length > 0) {
    if (await outbox.coordinatorNotice(unreachedNotice(r, view.ownerAgencyName, fresh))) unreached = missed;
  }
  let escalated = false;
  if (m.escalate) {
    escalated = await outbox.coordinatorNotice(escalationNotice(r, view.ownerAgencyName, m, delivered > 0));
    if (!escalated) undelivered += 1;
  }
  return { kind: 'sent', delivered, undelivered, escalated, unreached };
}

/**
 * Sends every reminder due now, one claim at a time. Safe on several instances: each reminder is
 * claimed by one conditional write that moves it a lease ahead, sent, then recorded with its next
 * time under the same claim. An instance that dies after claiming leaves the lease to run out and
 * another sends; one that dies after sending but before recording makes that one reminder go again.
 */
export async function runReminderSweep(
  deps: ReminderDeps & { readonly outbox: ReminderOutbox; readonly telemetry?: SweepTelemetry },
  opts: { readonly claimer: string; readonly leaseMs: number; readonly max?: number },
): Promise<SweepSummary> {
  const area = await requireArea(deps.members, deps.areaId);
  const calendar = areaCalendar(area);
  let sent = 0;
  let closed = 0;
  let undelivered = 0;
  let found = 0;
  for (let i = 0; i < (opts.max ?? 500); i += 1) {
    const now = deps.clock.now();
    const token = `${opts.claimer}:${now.getTime()}:${i}`;
    const r = await deps.reminders.claimDue(deps.areaId, now, opts.leaseMs, token);
    if (!r) break;
    found += 1;
    // Its moment has passed (the meeting it prepared for is due to have started): nothing to send.
    if (r.closesAt !== null && now.getTime() >= new Date(r.closesAt).getTime()) {
      await deps.reminders.close(r.id);
      closed += 1;
      continue;
    }
    const m = reminderMoment(r.due, now, r.escalatedAt !== null, area.reminders, calendar);
    const lastSentAt = r.lastSentAt === null ? null : new Date(r.lastSentAt);
    // Woken for the escalation day alone, the owner is not reminded again (nor when nothing is owed).
    const owner = remindsOwner(r.due, now, lastSentAt, area.reminders, calendar) || !m.escalate;
    const handled: Handled | 'reschedule' =
      r.kind === 'action'
        ? await sendAction(deps, deps.outbox, r, area, m, owner)
        : await sendDeadline(deps, deps.outbox, r, m, owner);
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
      {
        // Woken at its closing time if that comes first, so it closes then rather than lingering.
        nextAt: (r.closesAt !== null && r.closesAt < next.at.toISOString()
          ? new Date(r.closesAt)
          : next.at
        ).toISOString(),
        escalatedAt,
        ...(handled.unreached ? { unreached: handled.unreached } : {}),
      },
    );
    sent += 1;
    undelivered += handled.undelivered;
    deps.telemetry?.reminderSent(now.getTime() - new Date(r.wasDueAt).getTime());
  }
  deps.telemetry?.dueFound(found);
  return { sent, closed, undelivered };
}
