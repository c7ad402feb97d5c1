import { runReminderSweep, type ReminderDeps } from '../../src/app/reminders';
import { ALL_COLLECTIONS, connectMongo, MongoReminderRepository, type MongoHandle } from '../../src/store';
import { createRepositories } from '../../src/store';
import { unwrap } from '../../src/lib/result';
import { aNewAction, aNewMember, aRequestActor, AREA_ID } from '../fixtures/builders';
import { RecordingOutbox, reminderSetup, type ReminderSetup } from '../support/reminders';
import { openTestStore, type TestStore } from '../support/store';
import { testMongoUri } from '../support/mongo';

const LEASE = 5 * 60_000;
const by = aRequestActor();
const owner = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

/** A small deterministic generator, so a failure reruns the same faults. */
function prng(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

class Crash extends Error {}

/**
 * Several bot instances against one database: each with its own connection and repositories, sharing
 * only the database and the (fake) clock, as instances behind a load balancer do.
 */
describe('reminders on several instances', () => {
  let store: TestStore;
  let s: ReminderSetup;
  let second: MongoHandle;
  let instanceB: ReminderDeps;

  beforeAll(async () => {
    store = await openTestStore('remind_inst');
    store.clock.set('2026-05-18T10:00:00.000Z'); // a Monday, inside working hours
    s = await reminderSetup(store);
    second = await connectMongo({
      uri: testMongoUri(),
      dbName: store.db.databaseName,
      timeoutMs: 10_000,
      collections: ALL_COLLECTIONS,
    });
    const repos = createRepositories(second.db, store.clock);
    instanceB = {
      ...s.deps,
      reminders: new MongoReminderRepository(second.db, store.clock),
      actions: repos.actions,
      cases: repos.cases,
      members: repos.members,
    };
  });
  afterAll(async () => {
    await second.close();
    await store.close();
  });

  const createDue = async (n: number, from: number) => {
    const ids: string[] = [];
    for (let i = from; i < from + n; i += 1) {
      // A named owner is reminded only while an active member of the owning agency.
      unwrap(
        await store.repos.members.enrol(
          aNewMember({ aadObjectId: owner(i), agencyId: 'probation', displayName: `Owner ${i}` }),
          { by },
        ),
      );
      const a = await s.actions.create(
        aNewAction({
          areaId: AREA_ID,
          caseId: s.caseRecord.id,
          dueDate: '2026-05-19', // tomorrow: the "2 working days before" reminder is due now
          ownerAadObjectId: owner(i),
          ownerName: `Owner ${i}`,
        }),
        { by },
      );
      ids.push(a.id);
    }
    return ids;
  };
  const countBy = (outbox: RecordingOutbox) => {
    const n = new Map<string, number>();
    for (const c of outbox.cards) n.set(c.actionId, (n.get(c.actionId) ?? 0) + 1);
    return n;
  };

  it('two instances sweeping at once never send the same reminder twice', async () => {
    const ids = await createDue(120, 0);
    const outbox = new RecordingOutbox(() => store.clock.now());
    const [ra, rb] = await Promise.all([
      runReminderSweep({ ...s.deps, outbox }, { claimer: 'A', leaseMs: LEASE }),
      runReminderSweep({ ...instanceB, outbox }, { claimer: 'B', leaseMs: LEASE }),
    ]);
    const sent = countBy(outbox);
    expect(ra.sent + rb.sent).toBe(120);
    // Both did work, and every action went exactly once.
    expect(Math.min(ra.sent, rb.sent)).toBeGreaterThan(0);
    expect(ids.every((id) => sent.get(id) === 1)).toBe(true);
  });

  it('a crash between claim and send leads to exactly one send, by another instance once the lease runs out', async () => {
    store.clock.set('2026-05-18T11:00:00.000Z');
    const [id] = await createDue(1, 1000);
    const outbox = new RecordingOutbox(() => store.clock.now());
    outbox.fault = (phase) => {
      if (phase === 'before') throw new Crash('instance A died');
    };
    await expect(runReminderSweep({ ...s.deps, outbox }, { claimer: 'A', leaseMs: LEASE })).rejects.toThrow(Crash);
    outbox.fault = undefined;
    // Inside the lease, B finds nothing to do.
    expect((await runReminderSweep({ ...instanceB, outbox }, { claimer: 'B', leaseMs: LEASE })).sent).toBe(0);
    store.clock.advance(LEASE + 1000);
    expect((await runReminderSweep({ ...instanceB, outbox }, { claimer: 'B', leaseMs: LEASE })).sent).toBe(1);
    store.clock.advance(LEASE + 1000);
    expect((await runReminderSweep({ ...s.deps, outbox }, { claimer: 'A', leaseMs: LEASE })).sent).toBe(0);
    expect(countBy(outbox).get(id!)).toBe(1);
  });

  it('fault injection: resends happen only when an instance dies after sending and before recording', async () => {
    store.clock.set('2026-05-18T12:00:00.000Z');
    const ids = await createDue(100, 2000);
    const outbox = new RecordingOutbox(() => store.clock.now());
    const rand = prng(42);
    const diedAfterSend = new Map<string, number>();
    let diedBeforeSend = 0;
    let current = '';
    outbox.fault = (phase) => {
      const r = rand();
      if (phase === 'before' && r < 0.1) {
        diedBeforeSend += 1;
        throw new Crash('died after claiming');
      }
      if (phase === 'after' && r < 0.1) {
        diedAfterSend.set(current, (diedAfterSend.get(current) ?? 0) + 1);
        throw new Crash('died after sending');
      }
    };
    const track = new RecordingOutbox(() => store.clock.now());
    // Note which action is being sent, so a crash after its send is attributed to it.
    const wrapped = {
      actionCard: async (...args: Parameters<RecordingOutbox['actionCard']>) => {
        current = args[1].action.id;
        return outbox.actionCard(...args);
      },
      personalNotice: track.personalNotice.bind(track),
      coordinatorNotice: track.coordinatorNotice.bind(track),
    };
    for (let round = 0; round < 40; round += 1) {
      for (const [deps, name] of [
        [s.deps, 'A'],
        [instanceB, 'B'],
      ] as const) {
        // An instance that crashes is restarted and sweeps again until nothing is due for it.
        for (;;) {
          try {
            await runReminderSweep({ ...deps, outbox: wrapped }, { claimer: `${name}${round}`, leaseMs: LEASE });
            break;
          } catch (e) {
            if (!(e instanceof Crash)) throw e;
          }
        }
      }
      store.clock.advance(LEASE + 1000);
      const unsent = await store.db
        .collection('reminders')
        .countDocuments({ _id: { $in: ids.map((id) => `action:${id}`) } as never, lastSentAt: null });
      if (unsent === 0) break;
    }
    const sent = countBy(outbox);
    const duplicates = ids.filter((id) => (sent.get(id) ?? 0) > 1);
    // Every reminder went out, and recorded.
    expect(ids.every((id) => (sent.get(id) ?? 0) >= 1)).toBe(true);
    // Resends are exactly the reminders whose sender died in the window after sending, before recording.
    expect(new Set(duplicates)).toEqual(new Set(diedAfterSend.keys()));
    expect(ids.every((id) => sent.get(id) === 1 + (diedAfterSend.get(id) ?? 0))).toBe(true);
    const resends = duplicates.reduce((n, id) => n + (sent.get(id) ?? 0) - 1, 0);
    expect(diedBeforeSend).toBeGreaterThan(0);
    expect(diedAfterSend.size).toBeGreaterThan(0);
    // The measurement the README quotes.
    console.log(
      `fault injection: ${ids.length} reminders, ${diedBeforeSend} crashes after claim (0 resends), ` +
        `${resends} crashes after send (${resends} resends, ${((100 * resends) / ids.length).toFixed(1)} % of reminders)`,
    );
  });
});
