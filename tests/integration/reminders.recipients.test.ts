import { remindersReport, runReminderSweep } from '../../src/app/reminders';
import { Member } from '../../src/domain/member.schema';
import type { Principal } from '../../src/domain/policy';
import { aNewAction, aNewMember, aRequestActor, AREA_ID } from '../fixtures/builders';
import {
  HOUSING_1,
  HOUSING_2,
  HOUSING_GONE,
  OWNER_A,
  RecordingOutbox,
  reminderSetup,
  type ReminderSetup,
} from '../support/reminders';
import { openTestStore, type TestStore } from '../support/store';

const DAY = 86_400_000;
const by = aRequestActor();
const SECRET = 'Visit Terry Imaginary with the victim Jane Fakename';
const NOBODY_AGENCY = 'yot';

const COORD = '00000000-0000-4000-8000-00000000c001';
const coordinator: Principal = {
  tenantId: 'tenant-1',
  aadObjectId: COORD,
  member: Member.parse({ ...aNewMember({ aadObjectId: COORD, roles: ['coordinator'] }), version: 1 }),
};

/**
 * Who a reminder goes to and what the co-ordinator is told when it reaches nobody: a named owner
 * who left, an agency nobody in which can be messaged, a person the bot cannot reach.
 */
describe('reminder recipients and what the co-ordinator is told', () => {
  let store: TestStore;
  let s: ReminderSetup;
  let outbox: RecordingOutbox;

  const sweep = () => runReminderSweep({ ...s.deps, outbox }, { claimer: 'only', leaseMs: 5 * 60_000 });
  const mk = (dueDate: string, agency: string, aad?: string) =>
    s.actions.create(
      aNewAction({
        areaId: AREA_ID,
        caseId: s.caseRecord.id,
        text: SECRET,
        dueDate,
        ownerAgencyId: agency,
        ownerName: aad ? 'Sam Leftagency' : agency,
        ...(aad ? { ownerAadObjectId: aad } : { ownerAadObjectId: undefined }),
      }),
      { by },
    );
  const closeAll = async (ids: string[]) => {
    for (const id of ids) await s.deps.reminders.close(`action:${id}`);
  };

  beforeAll(async () => {
    store = await openTestStore('remind_recip');
    store.clock.set('2026-05-15T12:00:00.000Z');
    s = await reminderSetup(store);
  });
  beforeEach(() => {
    outbox = new RecordingOutbox(() => store.clock.now());
  });
  afterAll(() => store.close());

  it('an inactive or moved named owner gets nothing; the owning agency’s active members are reminded', async () => {
    // Wed 20 May 2026: reminded Mon 18 May at 09:00 London.
    const gone = await mk('2026-05-20', 'housing', HOUSING_GONE);
    const moved = await mk('2026-05-20', 'prisons', HOUSING_1);
    store.clock.set('2026-05-18T08:00:00.000Z');
    await sweep();
    const to = (id: string) => outbox.cards.filter((c) => c.actionId === id).map((c) => c.to);
    expect(to(gone.id).sort()).toEqual([HOUSING_1, HOUSING_2].sort());
    expect(to(moved.id)).toEqual([OWNER_A]);
    await closeAll([gone.id, moved.id]);
  });

  it('an agency with no active members: not delivered, and the co-ordinator is told at once, once', async () => {
    store.clock.set('2026-05-19T07:00:00.000Z');
    // Fri 22 May: reminded Wed 20 (2 working days before), then on the day.
    const a = await mk('2026-05-22', NOBODY_AGENCY);
    store.clock.set('2026-05-20T08:00:00.000Z');
    await sweep();
    expect(outbox.cards.filter((c) => c.actionId === a.id)).toEqual([]);
    const r = await s.deps.reminders.get(`action:${a.id}`);
    expect(r?.undelivered).toBeGreaterThan(0);
    expect(r?.sends.at(-1)).toMatchObject({ delivered: 0 });
    expect(outbox.channel).toHaveLength(1);
    const notice = JSON.stringify(outbox.channel[0]);
    expect(notice).toContain(s.caseRecord.ref);
    expect(notice).toContain('Youth Offending Team');
    expect(notice).toContain('22 May 2026');
    expect(notice).not.toContain('Terry');
    expect(notice).not.toContain('Jane');
    const report = await remindersReport(s.deps, coordinator);
    expect(report.ok && report.value.undelivered.map((x) => x.subjectId)).toContain(a.id);
    // The next send reaches nobody either: the co-ordinator was told already.
    store.clock.set('2026-05-22T08:00:00.000Z');
    await sweep();
    expect(outbox.channel).toHaveLength(1);
    await closeAll([a.id]);
  });

  it('the escalation says the owner could not be reached when the send reached nobody', async () => {
    store.clock.set('2026-05-26T07:00:00.000Z');
    // Due Thu 21 May; 3 working days overdue on Wed 27 May (Mon 25 May is a bank holiday).
    const a = await mk('2026-05-21', 'prisons', OWNER_A);
    outbox.unreachable.add(OWNER_A);
    store.clock.set('2026-05-27T08:00:00.000Z');
    await sweep();
    const escalation = outbox.channel.find((n) => n.title.startsWith('Overdue'));
    expect(escalation?.message).toContain('could not be reached (no one in Prison Service can be messaged by the bot)');
    expect(escalation?.message).not.toContain('has been reminded');
    outbox.unreachable.clear();
    await closeAll([a.id]);
  });

  it('an unreachable recipient is reported once per action, and stays listed while unresolved', async () => {
    store.clock.set('2026-06-01T07:00:00.000Z');
    // Due Wed 3 June: reminded Mon 1, Wed 3, then every 2 working days overdue.
    const a = await mk('2026-06-03', 'housing');
    outbox.unreachable.add(HOUSING_2);
    for (const day of ['2026-06-01', '2026-06-03', '2026-06-05', '2026-06-09', '2026-06-11']) {
      store.clock.set(`${day}T08:00:00.000Z`);
      await sweep();
    }
    expect(outbox.cards.filter((c) => c.actionId === a.id && c.to === HOUSING_1)).toHaveLength(5);
    const reports = outbox.channel.filter((n) => n.title === 'A reminder could not be delivered');
    expect(reports).toHaveLength(1);
    expect(JSON.stringify(reports[0])).toContain(s.caseRecord.ref);
    expect(JSON.stringify(reports[0])).not.toMatch(/Terry|Jane|Member b002/);
    // No sweep for more than a week (the scheduler was off): the unresolved failure is still shown.
    store.clock.set(new Date(new Date('2026-06-11T08:00:00.000Z').getTime() + 10 * DAY).toISOString());
    const report = await remindersReport(s.deps, coordinator);
    expect(report.ok && report.value.undelivered.map((x) => x.subjectId)).toContain(a.id);
    outbox.unreachable.clear();
    await closeAll([a.id]);
  });

  it('the escalation day alone keeps an unreachable owner listed as not delivered, and says they could not be reached', async () => {
    store.clock.set('2026-07-20T07:00:00.000Z');
    // Due Wed 22 July: reminded Mon 20, Wed 22, Fri 24 (2 overdue); Mon 27 (3 overdue) escalates only.
    const a = await mk('2026-07-22', 'prisons', OWNER_A);
    outbox.unreachable.add(OWNER_A);
    for (const day of ['2026-07-20', '2026-07-22', '2026-07-24', '2026-07-27']) {
      store.clock.set(`${day}T08:00:00.000Z`);
      await sweep();
    }
    const escalation = outbox.channel.find((n) => n.title.startsWith('Overdue'));
    expect(escalation?.message).toContain('could not be reached');
    const report = await remindersReport(s.deps, coordinator);
    expect(report.ok && report.value.undelivered.map((x) => x.subjectId)).toContain(a.id);
    outbox.unreachable.clear();
    await closeAll([a.id]);
  });

  it('`reminders` on a Friday shows what goes out on Monday (the next working day)', async () => {
    store.clock.set('2026-06-22T07:00:00.000Z');
    // Wed 1 July: reminded Mon 29 June at 09:00 London, 2 working days before.
    const a = await mk('2026-07-01', 'housing');
    store.clock.set('2026-06-26T10:00:00.000Z');
    const report = await remindersReport(s.deps, coordinator);
    expect(report.ok && report.value.upcoming.map((x) => x.subjectId)).toContain(a.id);
    await closeAll([a.id]);
  });
});
