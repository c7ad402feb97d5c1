import { runReminderSweep } from '../../src/app/reminders';
import { aNewAction, aRequestActor, AREA_ID } from '../fixtures/builders';
import { OWNER_A, RecordingOutbox, reminderSetup, type ReminderSetup } from '../support/reminders';
import { openTestStore, type TestStore } from '../support/store';

/** The sweep reports how late each reminder went out (send time − when it was due) and how many it found. */
describe('reminder sweep telemetry', () => {
  let store: TestStore;
  let s: ReminderSetup;

  beforeAll(async () => {
    store = await openTestStore('remind_otel');
    store.clock.set('2026-05-15T12:00:00.000Z');
    s = await reminderSetup(store);
  });
  afterAll(() => store.close());

  it('records the lag from the time the reminder was due, not from its lease, and the due count', async () => {
    await s.actions.create(
      aNewAction({
        areaId: AREA_ID,
        caseId: s.caseRecord.id,
        text: 'Action A',
        dueDate: '2026-05-20',
        ownerAgencyId: 'prisons',
        ownerName: 'Named owner',
        ownerAadObjectId: OWNER_A,
      }),
      { by: aRequestActor() },
    );
    const [due] = await s.deps.reminders.listUpcoming(AREA_ID, new Date('2026-06-30T00:00:00Z'), 5);
    // 90 seconds after it fell due.
    store.clock.set(new Date(new Date(due!.nextAt).getTime() + 90_000).toISOString());
    const lags: number[] = [];
    const found: number[] = [];
    const outbox = new RecordingOutbox(() => store.clock.now());
    const done = await runReminderSweep(
      { ...s.deps, outbox, telemetry: { reminderSent: (ms) => lags.push(ms), dueFound: (n) => found.push(n) } },
      { claimer: 'only', leaseMs: 5 * 60_000 },
    );
    expect(done.sent).toBe(1);
    expect(lags).toEqual([90_000]);
    expect(found).toEqual([1]);
  });
});
