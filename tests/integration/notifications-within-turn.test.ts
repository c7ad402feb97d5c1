import { MongoClient, type CommandStartedEvent } from 'mongodb';
import { withinTurn } from '../../src/app/notifications';
import type { NotificationDeps } from '../../src/app/notifications/shared';
import { createRepositories } from '../../src/store';
import { aRequestActor } from '../fixtures/builders';
import { testMongoUri } from '../support/mongo';
import { openTestStore, type TestStore } from '../support/store';

/** The per-turn read-through a decision uses: one read of a notification, case and person, fresh after any other call. */
describe('notification deps within one turn', () => {
  let store: TestStore;
  let client: MongoClient;
  const finds: string[] = [];

  beforeAll(async () => {
    store = await openTestStore('notif_within_turn');
    client = await new MongoClient(testMongoUri(), { monitorCommands: true }).connect();
    client.on('commandStarted', (e: CommandStartedEvent) => {
      if (e.commandName === 'find') finds.push(String(e.command.find));
    });
  });
  afterAll(async () => {
    await client.close();
    await store.close();
  });

  const turnDeps = (): NotificationDeps =>
    withinTurn({
      repos: createRepositories(client.db(store.db.databaseName), store.clock),
      clock: store.clock,
      areaId: 'area-1',
    });

  it('reads a notification, a case and a person once however often the turn asks', async () => {
    const deps = turnDeps();
    finds.length = 0;
    for (let i = 0; i < 3; i++) {
      expect((await deps.repos.notifications.get('n-absent')).ok).toBe(false);
      expect((await deps.repos.cases.get('c-absent')).ok).toBe(false);
      expect((await deps.repos.subjects.get('s-absent')).ok).toBe(false);
    }
    expect(finds.filter((c) => c === 'notifications')).toHaveLength(1);
    expect(finds.filter((c) => c === 'cases')).toHaveLength(1);
    expect(finds.filter((c) => c === 'subjects')).toHaveLength(1);
  });

  it('reads again after any other call, an audited read included, so a write never answers from before it', async () => {
    const deps = turnDeps();
    finds.length = 0;
    await deps.repos.cases.get('c-absent');
    await deps.repos.cases.getForReader('c-absent', aRequestActor());
    await deps.repos.cases.get('c-absent');
    await deps.repos.notifications.get('n-absent');
    await deps.repos.notifications.listByStatus('area-1', 'received');
    await deps.repos.notifications.get('n-absent');
    expect(finds.filter((c) => c === 'cases')).toHaveLength(3);
    expect(finds.filter((c) => c === 'notifications')).toHaveLength(3);
  });

  it('keeps nothing between turns', async () => {
    finds.length = 0;
    await turnDeps().repos.cases.get('c-absent');
    await turnDeps().repos.cases.get('c-absent');
    expect(finds.filter((c) => c === 'cases')).toHaveLength(2);
  });
});
