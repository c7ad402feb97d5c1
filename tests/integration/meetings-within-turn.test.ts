import { MongoClient, type CommandStartedEvent } from 'mongodb';
import { withinTurn, type MeetingDeps } from '../../src/app/meetings';
import { createRepositories } from '../../src/store';
import { testMongoUri } from '../support/mongo';
import { openTestStore, type TestStore } from '../support/store';

/** The per-turn read-through a save uses: one read of a meeting and its case per turn, fresh after any write. */
describe('meeting deps within one turn', () => {
  let store: TestStore;
  let client: MongoClient;
  const finds: string[] = [];

  beforeAll(async () => {
    store = await openTestStore('within_turn');
    client = await new MongoClient(testMongoUri(), { monitorCommands: true }).connect();
    client.on('commandStarted', (e: CommandStartedEvent) => {
      if (e.commandName === 'find') finds.push(String(e.command.find));
    });
  });
  afterAll(async () => {
    await client.close();
    await store.close();
  });

  const turnDeps = (): MeetingDeps => {
    const repos = createRepositories(client.db(store.db.databaseName), store.clock);
    return withinTurn({ ...repos, clock: store.clock, areaId: 'area-1' } as unknown as MeetingDeps);
  };

  it('reads a meeting and a case once however often the turn asks', async () => {
    const deps = turnDeps();
    finds.length = 0;
    for (let i = 0; i < 3; i++) {
      expect((await deps.meetings.get('m-absent')).ok).toBe(false);
      expect((await deps.cases.get('c-absent')).ok).toBe(false);
    }
    expect(finds.filter((c) => c === 'meetings')).toHaveLength(1);
    expect(finds.filter((c) => c === 'cases')).toHaveLength(1);
  });

  it('reads again after any other call on the repository, so a write never answers from before it', async () => {
    const deps = turnDeps();
    finds.length = 0;
    await deps.meetings.get('m-absent');
    await deps.meetings.listForConversation('area-1', 'conv-1');
    await deps.meetings.get('m-absent');
    expect(finds.filter((c) => c === 'meetings')).toHaveLength(3);
  });

  it('keeps nothing between turns', async () => {
    finds.length = 0;
    await turnDeps().meetings.get('m-absent');
    await turnDeps().meetings.get('m-absent');
    expect(finds.filter((c) => c === 'meetings')).toHaveLength(2);
  });
});
