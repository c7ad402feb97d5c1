import { MongoClient, type CommandStartedEvent } from 'mongodb';
import { withDeadlineReminders } from '../../src/app/reminders';
import { unwrap } from '../../src/lib/result';
import { createRepositories } from '../../src/store';
import { aNewMeeting, aRequestActor, AREA_ID } from '../fixtures/builders';
import { testMongoUri } from '../support/mongo';
import { HOUSING_1, reminderSetup, type ReminderSetup } from '../support/reminders';
import { openTestStore, type TestStore } from '../support/store';

const by = aRequestActor();

/** The prepared-updates reminder follows which agencies have an update: amending one changes nothing it tracks. */
describe('the prepared-updates reminder and agency update saves', () => {
  let store: TestStore;
  let s: ReminderSetup;
  let client: MongoClient;
  const commands: string[] = [];

  beforeAll(async () => {
    store = await openTestStore('remind_amend');
    store.clock.set('2026-06-01T10:00:00.000Z');
    s = await reminderSetup(store);
    client = await new MongoClient(testMongoUri(), { monitorCommands: true }).connect();
    client.on('commandStarted', (e: CommandStartedEvent) => {
      const collection = e.command[e.commandName] as unknown;
      commands.push(`${e.commandName}:${typeof collection === 'string' ? collection : ''}`);
    });
  });
  afterAll(async () => {
    await client.close();
    await store.close();
  });

  const update = (meetingId: string, agencyId: string, content: string) => ({
    areaId: AREA_ID,
    caseId: s.caseRecord.id,
    meetingId,
    agencyId,
    author: { aadObjectId: HOUSING_1, displayName: 'Invented Author' },
    kind: 'update' as const,
    content,
    status: 'draft' as const,
    submittedAt: store.clock.now().toISOString(),
  });

  it('closes the reminder when the last agency first saves, and leaves it (reading nothing for it) on an amendment', async () => {
    const watched = createRepositories(client.db(store.db.databaseName), store.clock);
    const repos = withDeadlineReminders(watched, { ...s.deps, deadlines: watched });
    const m = unwrap(
      await repos.meetings.create(
        aNewMeeting({
          areaId: AREA_ID,
          caseId: s.caseRecord.id,
          kind: 'initial',
          sequence: 1,
          scheduledStart: '2026-06-04T09:00:00.000Z',
          invitees: [{ agencyId: 'police' }, { agencyId: 'housing' }],
        }),
        { by },
      ),
    );
    const reminderId = `prepared_updates:${m.id}`;
    expect((await s.deps.reminders.get(reminderId))?.status).toBe('scheduled');
    const police = unwrap(await repos.agencyUpdates.save(update(m.id, 'police', 'First.'), null, { by }));
    expect((await s.deps.reminders.get(reminderId))?.status).toBe('scheduled');

    // An amendment while another agency still owes its update: the reminder keeps chasing that agency.
    commands.length = 0;
    unwrap(await repos.agencyUpdates.save(update(m.id, 'police', 'Amended.'), police.version, { by }));
    expect(commands.filter((c) => /reminders|meetings|find:agencyUpdates/.test(c))).toEqual([]);
    expect((await s.deps.reminders.get(reminderId))?.status).toBe('scheduled');

    // The last agency's first save closes it.
    const housing = unwrap(await repos.agencyUpdates.save(update(m.id, 'housing', 'First.'), null, { by }));
    expect((await s.deps.reminders.get(reminderId))?.status).toBe('closed');
    commands.length = 0;
    unwrap(await repos.agencyUpdates.save(update(m.id, 'housing', 'Amended.'), housing.version, { by }));
    expect(commands.filter((c) => /reminders|meetings|find:agencyUpdates/.test(c))).toEqual([]);
    expect((await s.deps.reminders.get(reminderId))?.status).toBe('closed');
  });
});
