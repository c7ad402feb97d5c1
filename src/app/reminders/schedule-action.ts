import type { ActionRecord } from '../ports/action-repository.port';
import { areaCalendar } from '../../domain/area.schema';
import { nextReminder, reminderIdOf } from '../../domain/reminders';
import { requireArea } from '../shared/area';
import type { ReminderDeps } from './deps';

const CLOSED: ReadonlySet<ActionRecord['status']> = new Set(['done', 'cancelled']);

/**
 * Puts an action's reminder where the action now stands: closed when the action is, otherwise due at
 * the next reminder time for its (possibly extended) due date. Called on every action write.
 */
export async function scheduleActionReminder(
  deps: Pick<ReminderDeps, 'reminders' | 'cases' | 'members' | 'clock'>,
  action: ActionRecord,
): Promise<void> {
  const id = reminderIdOf('action', action.id);
  if (CLOSED.has(action.status)) {
    await deps.reminders.close(id);
    return;
  }
  const existing = await deps.reminders.get(id);
  if (
    existing &&
    existing.status === 'scheduled' &&
    existing.due === action.dueDate &&
    existing.agencyId === action.ownerAgencyId
  )
    return;
  const [area, c] = await Promise.all([requireArea(deps.members, action.areaId), deps.cases.get(action.caseId)]);
  if (!c.ok) return;
  // An extension is a new date: its reminders start afresh (escalation included).
  const moved = existing !== null && existing.due !== action.dueDate;
  const next = nextReminder({
    due: action.dueDate,
    lastSentAt: existing?.lastSentAt ? new Date(existing.lastSentAt) : null,
    escalatedAlready: !moved && existing?.escalatedAt != null,
    now: deps.clock.now(),
    policy: area.reminders,
    calendar: areaCalendar(area),
  });
  await deps.reminders.schedule({
    id,
    areaId: action.areaId,
    kind: 'action',
    subjectId: action.id,
    caseId: action.caseId,
    caseRef: c.value.ref,
    agencyId: action.ownerAgencyId,
    due: action.dueDate,
    nextAt: next.at.toISOString(),
    rearm: moved,
  });
}
