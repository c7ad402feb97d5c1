import { runReminderSweep } from '../../src/app/reminders';
import { aNewAction, aRequestActor, AREA_ID } from '../fixtures/builders';
import { OWNER_A, OWNER_C, RecordingOutbox, reminderSetup, type ReminderSetup } from '../support/reminders';
import { openTestStore, type TestStore } from '../support/store';

const HOUR = 3_600_000;
const by = aRequestActor();

/**
 * Two weeks of schedule (Mon 18 – Fri 29 May 2026, Mon 25 May the Spring bank holiday) for three
 * actions, swept every hour on a fake clock against the real store: the defaults (2 working days
 * before, on the day, every 2 working days overdue, the co-ordinator after 3) fire exactly these.
 */
describe('two weeks of reminders on a fake clock', () => {
  let store: TestStore;
  let s: ReminderSetup;
  let outbox: RecordingOutbox;

  beforeAll(async () => {
    store = await openTestStore('remind_sched');
    store.clock.set('2026-05-15T12:00:00.000Z');
    s = await reminderSetup(store);
    outbox = new RecordingOutbox(() => store.clock.now());
  });
  afterAll(() => store.close());

  it('fires on working days at 09:00 London only, escalates once, stops when done and moves on extension', async () => {
    const mk = (text: string, dueDate: string, owner: { aad?: string; agency: string }) =>
      s.actions.create(
        aNewAction({
          areaId: AREA_ID,
          caseId: s.caseRecord.id,
          text,
          dueDate,
          ownerAgencyId: owner.agency,
          ownerName: owner.aad ? 'Named owner' : owner.agency,
          ...(owner.aad ? { ownerAadObjectId: owner.aad } : { ownerAadObjectId: undefined }),
        }),
        { by },
      );
    const a = await mk('Action A', '2026-05-20', { aad: OWNER_A, agency: 'prisons' });
    // No named owner: the owner agency's active members are reminded.
    const b = await mk('Action B', '2026-05-26', { agency: 'housing' });
    const c = await mk('Action C', '2026-05-22', { aad: OWNER_C, agency: 'dwp' });

    const sweep = () => runReminderSweep({ ...s.deps, outbox }, { claimer: 'only', leaseMs: 5 * 60_000 });
    store.clock.set('2026-05-18T00:00:00.000Z');
    let sweeps = 0;
    while (store.clock.now() < new Date('2026-05-30T00:00:00.000Z')) {
      const iso = store.clock.now().toISOString();
      if (iso === '2026-05-21T10:00:00.000Z') {
        // The co-ordinator approves C's extension to Fri 29 May.
        const cur = (await s.actions.get(c.id)) as { ok: true; value: typeof c };
        await s.actions.update(
          c.id,
          cur.value.version,
          { dueDate: '2026-05-29' },
          { by },
          { event: 'extension_approved' },
        );
      }
      if (iso === '2026-05-27T10:00:00.000Z') {
        const cur = (await s.actions.get(b.id)) as { ok: true; value: typeof b };
        await s.actions.update(
          b.id,
          cur.value.version,
          { status: 'done', completedOn: '2026-05-27' },
          { by },
          { event: 'done', note: 'Done' },
        );
      }
      await sweep();
      sweeps += 1;
      store.clock.advance(HOUR);
    }
    expect(sweeps).toBe(12 * 24);

    const got = outbox.cards.map(
      (x) => `${x.at.slice(0, 16)} ${x.actionId === a.id ? 'A' : x.actionId === b.id ? 'B' : 'C'} ${x.to.slice(-4)}`,
    );
    expect(got).toEqual([
      `2026-05-18T08:00 A a001`, // A: 2 working days before Wed 20
      `2026-05-20T08:00 A a001`, // A: due today
      `2026-05-20T08:00 C a003`, // C: 2 working days before Fri 22
      `2026-05-21T08:00 B b001`, // B: 2 working days before Tue 26 (Mon 25 is a holiday)
      `2026-05-21T08:00 B b002`, //    both active housing members, not the inactive one
      `2026-05-22T08:00 A a001`, // A: 2 working days overdue
      `2026-05-26T08:00 B b001`, // B: due today
      `2026-05-26T08:00 B b002`,
      `2026-05-27T08:00 A a001`, // A: 4 overdue
      `2026-05-27T08:00 C a003`, // C: 2 working days before its new date, Fri 29
      `2026-05-29T08:00 A a001`, // A: 6 overdue
      `2026-05-29T08:00 C a003`, // C: due today
    ]);
    // Nothing on the weekend or the bank holiday, nothing outside 09:00 London.
    for (const x of outbox.cards) {
      expect(['2026-05-23', '2026-05-24', '2026-05-25']).not.toContain(x.at.slice(0, 10));
      expect(x.at.slice(11, 16)).toBe('08:00');
    }
    // A's third overdue working day (Tue 26) escalates to the co-ordinator only: the owner is chased
    // on the policy's days (every 2 working days overdue), not on the escalation day as well.
    expect(outbox.cards.filter((x) => x.actionId === a.id && x.at.startsWith('2026-05-26'))).toEqual([]);
    // The co-ordinator is told once, with the reference, agency and date only.
    expect(outbox.channel).toHaveLength(1);
    expect(outbox.channel[0]).toMatchObject({ at: '2026-05-26T08:00:00.000Z' });
    expect(JSON.stringify(outbox.channel[0])).not.toMatch(/Action A|Named owner/);
    // B's reminder is closed, so it sends nothing more after Mark done.
    expect((await s.deps.reminders.get(`action:${b.id}`))?.status).toBe('closed');
  });
});

/**
 * An extension after the co-ordinator was told: the escalation follows the new date (told again
 * K working days after it, not never), and the reminder's escalated state is cleared at once.
 */
describe('escalation after an extension', () => {
  let store: TestStore;
  let s: ReminderSetup;
  let outbox: RecordingOutbox;

  beforeAll(async () => {
    store = await openTestStore('remind_rearm');
    store.clock.set('2026-05-15T12:00:00.000Z');
    s = await reminderSetup(store);
    outbox = new RecordingOutbox(() => store.clock.now());
  });
  afterAll(() => store.close());

  it('escalates 3 working days after the new due date and resets the escalated state on extension', async () => {
    const a = await s.actions.create(
      aNewAction({
        areaId: AREA_ID,
        caseId: s.caseRecord.id,
        text: 'Action A',
        dueDate: '2026-05-20',
        ownerAgencyId: 'prisons',
        ownerName: 'Named owner',
        ownerAadObjectId: OWNER_A,
      }),
      { by },
    );
    const sweep = () => runReminderSweep({ ...s.deps, outbox }, { claimer: 'only', leaseMs: 5 * 60_000 });
    store.clock.set('2026-05-18T00:00:00.000Z');
    while (store.clock.now() < new Date('2026-06-06T00:00:00.000Z')) {
      if (store.clock.now().toISOString() === '2026-05-26T10:00:00.000Z') {
        expect((await s.deps.reminders.get(`action:${a.id}`))?.escalatedAt).toBe('2026-05-26T08:00:00.000Z');
        const cur = (await s.actions.get(a.id)) as { ok: true; value: typeof a };
        await s.actions.update(
          a.id,
          cur.value.version,
          { dueDate: '2026-05-29' },
          { by },
          { event: 'extension_approved' },
        );
        expect((await s.deps.reminders.get(`action:${a.id}`))?.escalatedAt).toBeNull();
      }
      await sweep();
      store.clock.advance(HOUR);
    }
    // Told on the third overdue working day of each due date: Tue 26 May (Mon 25 a holiday), Wed 3 June.
    expect(outbox.channel.map((x) => x.at)).toEqual(['2026-05-26T08:00:00.000Z', '2026-06-03T08:00:00.000Z']);
    expect(outbox.channel[1]?.facts).toContainEqual({ title: 'Due', value: '29 May 2026' });
    // The owner is chased on the 2nd and 4th overdue working days, not on the escalation day.
    expect(outbox.cards.filter((x) => x.at >= '2026-06-01').map((x) => `${x.at.slice(0, 10)} ${x.lead}`)).toEqual([
      '2026-06-02 Overdue by 2 working days: it was due 29 May 2026.',
      '2026-06-04 Overdue by 4 working days: it was due 29 May 2026.',
    ]);
  });
});
