import { unwrap } from '../../../src/lib/result';
import { aNewNotification, aRequestActor, COORDINATOR } from '../../fixtures/builders';
import { openTestStore, type TestStore } from '../../support/store';

describe('MongoNotificationRepository on the real server', () => {
  let store: TestStore;
  const by = aRequestActor();
  const intake = aRequestActor({ aadObjectId: 'service-intake-api', displayName: 'Intake API' });
  const decision = (outcome: 'accepted' | 'returned') => ({
    outcome,
    decidedBy: COORDINATOR,
    decidedAt: '2026-03-02T10:00:00.000Z',
  });

  beforeAll(async () => {
    store = await openTestStore('notifications');
  });
  afterAll(() => store.close());

  it('round-trips a notification raised in the bot, and many without an external ref coexist', async () => {
    const input = aNewNotification({ areaId: 'area-bot', notes: 'Release date may move.' });
    const a = await store.repos.notifications.create(input, { by });
    const b = await store.repos.notifications.create(input, { by });
    expect(a).toMatchObject({ ...input, status: 'received', version: 0, createdAt: '2026-03-02T09:00:00.000Z' });
    expect(a.externalRef).toBeUndefined();
    expect(b.id).not.toBe(a.id);
    expect(unwrap(await store.repos.notifications.get(a.id))).toEqual(a);
    const raw = await store.db.collection('notifications').findOne({ _id: a.id } as never);
    expect(raw).not.toHaveProperty('intakeKey');
    expect(raw!.createdAt).toBeInstanceOf(Date);
  });

  it('is idempotent on the external ref: two deliveries at once make one record with one id', async () => {
    const input = aNewNotification({ areaId: 'area-intake' });
    const [first, second] = await Promise.all([
      store.repos.notifications.createIfAbsent(input, 'NDELIUS-000123', { by: intake }),
      store.repos.notifications.createIfAbsent(input, 'NDELIUS-000123', { by: intake }),
    ]);
    expect(first!.notification.id).toBe(second!.notification.id);
    expect([first!.created, second!.created].sort()).toEqual([false, true]);
    expect(await store.db.collection('notifications').countDocuments({ areaId: 'area-intake' })).toBe(1);
    expect(await store.repos.audit.listForEntity('notification', first!.notification.id)).toHaveLength(1);

    const again = await store.repos.notifications.createIfAbsent(input, 'NDELIUS-000123', { by: intake });
    expect(again).toEqual({ notification: first!.notification, created: false });
    expect(unwrap(await store.repos.notifications.findByExternalRef('area-intake', 'NDELIUS-000123')).id).toBe(
      first!.notification.id,
    );

    const otherArea = await store.repos.notifications.createIfAbsent(
      aNewNotification({ areaId: 'area-intake-2' }),
      'NDELIUS-000123',
      { by: intake },
    );
    expect(otherArea.created).toBe(true);
    expect(otherArea.notification.id).not.toBe(first!.notification.id);
  });

  it('lists the queue oldest first', async () => {
    store.clock.set('2026-03-03T09:00:00.000Z');
    const older = await store.repos.notifications.create(aNewNotification({ areaId: 'area-queue' }), { by });
    store.clock.set('2026-03-04T09:00:00.000Z');
    const newer = await store.repos.notifications.create(aNewNotification({ areaId: 'area-queue' }), { by });
    unwrap(await store.repos.notifications.decide(older.id, decision('returned'), { by }));
    expect((await store.repos.notifications.listByStatus('area-queue', 'received')).map((n) => n.id)).toEqual([
      newer.id,
    ]);
    expect((await store.repos.notifications.listByStatus('area-queue', 'returned')).map((n) => n.id)).toEqual([
      older.id,
    ]);
  });

  it('decides once: of two co-ordinators deciding at once, the second hears ALREADY_DECIDED', async () => {
    const n = await store.repos.notifications.create(aNewNotification({ areaId: 'area-decide' }), { by });
    const results = await Promise.all([
      store.repos.notifications.decide(n.id, { ...decision('accepted'), caseId: 'case-77' }, { by }),
      store.repos.notifications.decide(n.id, { ...decision('returned'), reason: 'Wrong area' }, { by }),
    ]);
    const won = results.filter((r) => r.ok);
    const lost = results.filter((r) => !r.ok);
    expect(won).toHaveLength(1);
    const stored = unwrap(won[0]!);
    expect(stored.version).toBe(1);
    expect(stored.decision?.outcome).toBe(stored.status);
    expect(lost[0]).toMatchObject({ ok: false, error: { code: 'ALREADY_DECIDED', meta: { status: stored.status } } });
    expect(unwrap(await store.repos.notifications.get(n.id))).toEqual(stored);
    expect((await store.repos.audit.listForEntity('notification', n.id)).map((e) => e.action)).toEqual([
      'notification.received',
      'notification.decided',
    ]);
    expect(await store.repos.notifications.decide('missing', decision('accepted'), { by })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('updates under a version and refuses a stale one', async () => {
    const n = await store.repos.notifications.create(aNewNotification({ areaId: 'area-update' }), { by });
    const moved = unwrap(
      await store.repos.notifications.update(n.id, 0, { expectedReleaseDate: '2026-07-01' }, { by }),
    );
    expect(moved).toMatchObject({ expectedReleaseDate: '2026-07-01', version: 1 });
    expect(await store.repos.notifications.update(n.id, 0, { notes: 'late' }, { by })).toMatchObject({
      ok: false,
      error: { code: 'VERSION_CONFLICT' },
    });
  });

  it('declares its indexes', async () => {
    const names = (await store.db.collection('notifications').indexes()).map((i) => i.name);
    expect(names).toEqual(
      expect.arrayContaining(['notifications_intake_key_unique', 'notifications_area_status_created']),
    );
  });
});
