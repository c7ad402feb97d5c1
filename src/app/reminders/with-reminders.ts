import type { ActionRepository } from '../ports/action-repository.port';
import type { ReminderDeps } from './deps';
import { scheduleActionReminder } from './schedule-action';

/**
 * The action repository with every successful write followed by its reminder's update, so creating,
 * completing, cancelling or extending an action moves or stops its reminder at once, whichever use
 * case made the change (meeting end, owner updates, the co-ordinator's decision, the meeting review).
 */
export function withReminders(
  actions: ActionRepository,
  deps: Pick<ReminderDeps, 'reminders' | 'cases' | 'members' | 'clock'>,
): ActionRepository {
  return {
    get: (id) => actions.get(id),
    listForCase: (caseId) => actions.listForCase(caseId),
    listDue: (q) => actions.listDue(q),
    listForOwner: (owner, opts) => actions.listForOwner(owner, opts),
    listUnownedForAgency: (areaId, agencyId, limit) => actions.listUnownedForAgency(areaId, agencyId, limit),
    erase: async (id, ctx) => {
      const res = await actions.erase(id, ctx);
      const a = await actions.get(id);
      if (a.ok) await scheduleActionReminder(deps, { ...a.value, status: 'cancelled' });
      return res;
    },
    create: async (input, ctx) => {
      const a = await actions.create(input, ctx);
      await scheduleActionReminder(deps, a);
      return a;
    },
    createOnce: async (id, input, ctx) => {
      const r = await actions.createOnce(id, input, ctx);
      await scheduleActionReminder(deps, r.action);
      return r;
    },
    update: async (id, expectedVersion, changes, ctx, meta) => {
      const r = await actions.update(id, expectedVersion, changes, ctx, meta);
      if (r.ok) await scheduleActionReminder(deps, r.value);
      return r;
    },
  };
}
