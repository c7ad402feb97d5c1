import { unwrap } from '../../../src/lib/result';
import { aNewAction, aRequestActor } from '../../fixtures/builders';
import { openTestStore, type TestStore } from '../../support/store';

describe('MongoActionRepository on the real server', () => {
  let store: TestStore;
  const by = aRequestActor();
  const OWNER = '00000000-0000-4000-8000-0000000000dd';

  beforeAll(async () => {
    store = await openTestStore('actions');
  });
  afterAll(() => store.close());

  it('round-trips an action', async () => {
    const a = await store.repos.actions.create(aNewAction({ statusNote: 'Awaiting panel' }), { by });
    expect(a).toMatchObject({ status: 'open', updateAtNextMeeting: true, version: 0 });
    expect(unwrap(await store.repos.actions.get(a.id))).toEqual(a);
  });

  it('finds open actions due by a date, earliest first, through the status+due index', async () => {
    const mk = (dueDate: string, areaId = 'area-due', status: 'open' | 'done' = 'open') =>
      store.repos.actions.create(aNewAction({ areaId, caseId: 'case-due', dueDate, status, ownerAadObjectId: OWNER }), {
        by,
      });
    const second = await mk('2026-03-10');
    const first = await mk('2026-03-01');
    await mk('2026-03-05', 'area-due', 'done');
    await mk('2026-04-01');
    const otherArea = await mk('2026-03-02', 'area-due-2');

    const due = await store.repos.actions.listDue({ onOrBefore: '2026-03-10', areaId: 'area-due' });
    expect(due.map((a) => a.id)).toEqual([first.id, second.id]);
    const everywhere = await store.repos.actions.listDue({ onOrBefore: '2026-03-10' });
    expect(everywhere.map((a) => a.id)).toEqual(expect.arrayContaining([first.id, otherArea.id, second.id]));
    expect(everywhere.map((a) => a.dueDate)).toEqual([...everywhere.map((a) => a.dueDate)].sort());

    const mine = await store.repos.actions.listForOwner(OWNER);
    expect(mine.map((a) => a.dueDate)).toEqual(['2026-03-01', '2026-03-02', '2026-03-10', '2026-04-01']);
    expect((await store.repos.actions.listForOwner(OWNER, { status: 'done' })).map((a) => a.dueDate)).toEqual([
      '2026-03-05',
    ]);
    expect((await store.repos.actions.listForCase('case-due')).map((a) => a.dueDate)).toEqual([
      '2026-03-01',
      '2026-03-02',
      '2026-03-05',
      '2026-03-10',
      '2026-04-01',
    ]);

    const names = (await store.db.collection('actions').indexes()).map((i) => i.name);
    expect(names).toEqual(expect.arrayContaining(['actions_status_due', 'actions_owner_status_due']));
  });

  it('completes an action once when two owners update it at once', async () => {
    const a = await store.repos.actions.create(aNewAction({ areaId: 'area-complete' }), { by });
    const results = await Promise.all([
      store.repos.actions.update(a.id, 0, { status: 'done', completedOn: '2026-03-02' }, { by }),
      store.repos.actions.update(a.id, 0, { status: 'cancelled', statusNote: 'No longer needed' }, { by }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ ok: false, error: { code: 'VERSION_CONFLICT' } });
    const stored = unwrap(await store.repos.actions.get(a.id));
    expect(stored.version).toBe(1);
    expect(await store.repos.actions.listDue({ onOrBefore: '2030-01-01', areaId: 'area-complete' })).toEqual([]);
    const trail = await store.repos.audit.listForEntity('action', a.id);
    expect(trail.map((e) => [e.action, e.details.status ?? null])).toEqual([
      ['action.created', null],
      ['action.updated', stored.status],
    ]);
  });
});
