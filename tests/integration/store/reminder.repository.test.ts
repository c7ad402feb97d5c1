import type { ReminderPlan } from '../../../src/app/ports/reminder-repository.port';
import { MongoReminderRepository, REMINDER_MARKS, REMINDERS, dueSlotOf } from '../../../src/store/reminder.repository';
import { TRANSFER_HOLD } from '../../../src/store/transfer-hold';
import { openTestStore, type TestStore } from '../../support/store';

const LEASE = 5 * 60_000;
const HOUR = 3_600_000;

/**
 * The due query reads one hour slot at a time (`dueSlot`, equality), from the area's low-water mark
 * up to now's slot, so what it reads follows the number due on any server that can answer equality.
 */
describe('reminder repository: due slots and the low-water mark', () => {
  let store: TestStore;
  let repo: MongoReminderRepository;
  let n = 0;
  const area = () => `area-slot-${n}`;

  beforeAll(async () => {
    store = await openTestStore('remind_slot');
  });
  afterAll(async () => store.close());
  beforeEach(() => {
    n += 1; // each test its own area, so marks and reminders never mix
    store.clock.set('2026-05-18T10:30:00.000Z');
    repo = new MongoReminderRepository(store.db, store.clock);
  });

  const plan = (id: string, nextAt: string): ReminderPlan => ({
    id: `${area()}:${id}`,
    areaId: area(),
    kind: 'action',
    subjectId: id,
    caseId: 'case-1',
    caseRef: 'MAPPA-2026-0001',
    agencyId: 'probation',
    due: '2026-05-20',
    nextAt,
  });
  const raw = (id: string) => store.db.collection(REMINDERS.name).findOne({ _id: `${area()}:${id}` } as never);
  const mark = async () =>
    ((await store.db.collection(REMINDER_MARKS.name).findOne({ _id: area() } as never)) as { slot?: string } | null)
      ?.slot;
  const claimAll = async (r = repo): Promise<string[]> => {
    const got: string[] = [];
    for (let i = 0; i < 100; i += 1) {
      const c = await r.claimDue(area(), store.clock.now(), LEASE, `t${i}`);
      if (!c) break;
      got.push(c.subjectId);
    }
    return got;
  };

  it('names the slot as the UTC hour of the later of nextAt and the write', () => {
    const w = new Date('2026-05-18T10:30:00.000Z');
    expect(dueSlotOf(new Date('2026-05-18T13:59:59.999Z'), w)).toBe('2026-05-18T13');
    expect(dueSlotOf(new Date('2026-05-11T08:00:00.000Z'), w)).toBe('2026-05-18T10');
  });

  it('sets dueSlot on every write that sets nextAt: schedule, claim and recorded send', async () => {
    await repo.schedule(plan('future', '2026-05-19T07:15:00.000Z'));
    expect((await raw('future'))?.['dueSlot']).toBe('2026-05-19T07');
    await repo.schedule(plan('past', '2026-05-11T08:00:00.000Z'));
    expect((await raw('past'))?.['dueSlot']).toBe('2026-05-18T10');

    store.clock.set('2026-05-18T11:58:00.000Z');
    const c = await repo.claimDue(area(), store.clock.now(), LEASE, 'tok');
    expect(c?.subjectId).toBe('past');
    // The lease ends 12:03: should this instance die, the reminder is due again in that hour's slot.
    expect((await raw('past'))?.['dueSlot']).toBe('2026-05-18T12');

    const sent = { at: store.clock.now().toISOString(), stage: 'before' as const, delivered: 1, undelivered: 0 };
    await repo.recordSend(
      c!.id,
      'tok',
      { ...sent, escalated: false },
      { nextAt: '2026-05-19T08:00:00.000Z', escalatedAt: null },
    );
    expect((await raw('past'))?.['dueSlot']).toBe('2026-05-19T08');
  });

  it('claims a reminder scheduled with nextAt in the past, however long ago', async () => {
    await repo.schedule(plan('old', '2026-04-01T09:00:00.000Z'));
    expect(await claimAll()).toEqual(['old']);
  });

  it('advances the mark after an empty pass to the hour before now, and finds what is written after', async () => {
    expect(await claimAll()).toEqual([]);
    expect(await mark()).toBe('2026-05-18T09');
    // Written during or after that pass, due at once (nextAt already past): it lands in now's slot.
    await repo.schedule(plan('late', '2026-05-17T10:00:00.000Z'));
    store.clock.set('2026-05-18T13:05:00.000Z');
    expect(await claimAll()).toEqual(['late']);
    expect(await mark()).toBe('2026-05-18T12');
    // The mark never goes back, whatever a slower instance computes.
    store.clock.set('2026-05-18T11:00:00.000Z');
    expect(await claimAll()).toEqual([]);
    expect(await mark()).toBe('2026-05-18T12');
  });

  it('never moves the mark past a slot that still holds a due reminder (a pass stopped by its limit)', async () => {
    store.clock.set('2026-05-18T03:00:00.000Z');
    await repo.schedule(plan('a', '2026-05-18T05:10:00.000Z'));
    await repo.schedule(plan('b', '2026-05-18T05:20:00.000Z'));
    await repo.schedule(plan('c', '2026-05-18T08:20:00.000Z'));
    store.clock.set('2026-05-18T10:30:00.000Z');
    // One claim, then the sweep stops (its limit): 'b' is still due in the 05 slot.
    expect((await repo.claimDue(area(), store.clock.now(), LEASE, 'one'))?.subjectId).toBe('a');
    expect(await mark()).toBe('2026-05-18T05');
    // A fresh instance (no memory of the pass) still finds the rest, in order.
    const other = new MongoReminderRepository(store.db, store.clock);
    expect(await claimAll(other)).toEqual(['b', 'c']);
    expect(await mark()).toBe('2026-05-18T09');
  });

  it('does not move the mark past a due reminder when a pass fails part way', async () => {
    await repo.schedule(plan('a', '2026-05-18T07:10:00.000Z'));
    // A stored document this version cannot read, due before 'a': its claim fails the pass.
    await store.db.collection(REMINDERS.name).insertOne({
      ...(await raw('a')),
      _id: `${area()}:bad`,
      kind: 'not-a-kind',
      nextAt: new Date('2026-05-18T06:10:00.000Z'),
      dueSlot: '2026-05-18T06',
    } as never);
    await expect(repo.claimDue(area(), store.clock.now(), LEASE, 'x')).rejects.toThrow();
    expect((await mark())! <= '2026-05-18T07').toBe(true);
    // The next pass still finds 'a' (the unreadable one is leased away for now).
    expect(await claimAll()).toEqual(['a']);
  });

  it('jumps a long gap (the bot was stopped for a month) and still finds what is due', async () => {
    expect(await claimAll()).toEqual([]);
    await repo.schedule(plan('gap', '2026-05-20T10:00:00.000Z'));
    store.clock.set('2026-06-20T10:30:00.000Z');
    expect(await claimAll()).toEqual(['gap']);
    expect(await mark()).toBe('2026-06-20T09');
  });

  it('still claims a stored reminder written before due slots existed (no dueSlot)', async () => {
    // The mark has moved on already: the old reminder's own hour is far below it.
    expect(await claimAll()).toEqual([]);
    await store.db.collection(REMINDERS.name).insertOne({
      _id: `${area()}:legacy`,
      areaId: area(),
      kind: 'action',
      subjectId: 'legacy',
      caseId: 'case-1',
      caseRef: 'MAPPA-2026-0001',
      agencyId: 'probation',
      due: '2026-05-12',
      status: 'scheduled',
      nextAt: new Date('2026-05-10T09:00:00.000Z'),
      claimToken: null,
      lastSentAt: null,
      escalatedAt: null,
      sends: [],
      undelivered: 0,
      updatedAt: new Date('2026-05-09T09:00:00.000Z'),
    } as never);
    // Read as before, and claimed by an instance started after it was stored.
    expect((await repo.get(`${area()}:legacy`))?.subjectId).toBe('legacy');
    const restarted = new MongoReminderRepository(store.db, store.clock);
    expect(await claimAll(restarted)).toEqual(['legacy']);
  });

  it('still claims, within the hour, a reminder whose slot an older instance left behind below the mark', async () => {
    // A rolling deployment: an instance still on the code before due slots moves nextAt and leaves dueSlot as it was.
    await repo.schedule(plan('stale', '2026-05-18T07:00:00.000Z'));
    expect(await claimAll()).toEqual(['stale']);
    await store.db.collection(REMINDERS.name).updateOne({ _id: `${area()}:stale` } as never, {
      $set: { status: 'scheduled', claimToken: null, nextAt: new Date('2026-05-18T18:00:00.000Z') },
    });
    // Passes before it falls due find its old slot empty and move the mark past it.
    store.clock.set('2026-05-18T14:30:00.000Z');
    expect(await claimAll()).toEqual([]);
    expect(await mark()).toBe('2026-05-18T13');
    store.clock.set('2026-05-18T18:30:00.000Z');
    expect(await claimAll()).toEqual(['stale']);
  });

  it('finds a reminder again when its transfer hold is released after the mark moved past its hour', async () => {
    await repo.schedule(plan('held', '2026-05-18T07:00:00.000Z'));
    await store.db
      .collection(REMINDERS.name)
      .updateOne({ _id: `${area()}:held` } as never, { $set: { [TRANSFER_HOLD]: 'tr-1' } });
    store.clock.set('2026-05-18T14:00:00.000Z');
    expect(await claimAll()).toEqual([]);
    expect(await mark()).toBe('2026-05-18T13');
    await store.repos.transfers.releaseHolds('tr-1');
    expect(await claimAll()).toEqual(['held']);
  });

  it('finds the due reminders without claiming them, read through the same slots', async () => {
    store.clock.set('2026-05-18T07:00:00.000Z');
    await repo.schedule(plan('x', '2026-05-18T08:00:00.000Z'));
    store.clock.set('2026-05-18T10:30:00.000Z');
    await repo.schedule(plan('y', '2026-05-18T10:10:00.000Z'));
    await repo.schedule(plan('z', '2026-05-18T10:50:00.000Z'));
    expect((await repo.findDue(area(), store.clock.now(), 10)).map((r) => r.subjectId)).toEqual(['x', 'y']);
    // Reading is not claiming: the mark stays at or below the slot of what it found.
    expect(await mark()).toBe('2026-05-18T08');
    expect(await claimAll()).toEqual(['x', 'y']);
  });

  it('two instances claiming at once never claim the same reminder', async () => {
    store.clock.set('2026-05-17T20:00:00.000Z');
    for (let i = 0; i < 24; i += 1)
      await repo.schedule(
        plan(`r${i}`, new Date(Date.parse('2026-05-17T21:00:00.000Z') + i * HOUR * 0.5).toISOString()),
      );
    store.clock.set('2026-05-18T10:30:00.000Z');
    const b = new MongoReminderRepository(store.db, store.clock);
    const [x, y] = await Promise.all([claimAll(repo), claimAll(b)]);
    expect([...x, ...y].sort()).toEqual(Array.from({ length: 24 }, (_, i) => `r${i}`).sort());
  });
});
