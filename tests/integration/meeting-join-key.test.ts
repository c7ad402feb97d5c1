import { MongoClient } from 'mongodb';
import { ALL_COLLECTIONS, connectMongo, createRepositories, type MongoHandle } from '../../src/store';
import { unwrap } from '../../src/lib/result';
import { aNewMeeting, aRequestActor, AREA_ID } from '../fixtures/builders';
import { freshDbName, testMongoUri } from '../support/mongo';

/*
 * A Teams meeting event names its meeting by join link. The lookup must not grow with the number of
 * meetings: the link's normalised key is kept on the meeting and found by equality through an index.
 */
const JOIN =
  'https://teams.microsoft.com/l/meetup-join/19%3ameeting_AbCdEf123%40thread.v2/0?context=%7b%22Tid%22%3a%22x%22%7d';
// The same meeting as Teams' event gives it: another host case, other escapes, no query, a trailing slash.
const SAME = 'https://Teams.Microsoft.com/l/meetup-join/19%3Ameeting_AbCdEf123%40thread.v2/0/';

describe('finding a scheduled meeting by its join link', () => {
  const dbName = freshDbName('joinkey');
  let handle: MongoHandle;

  beforeAll(async () => {
    handle = await connectMongo({ uri: testMongoUri(), dbName, timeoutMs: 5000, collections: ALL_COLLECTIONS });
  });
  afterAll(async () => {
    await handle.db.dropDatabase();
    await handle.close();
  });

  it('keeps the normalised key, queries it by equality (no pattern), and has an index for it', async () => {
    const repos = createRepositories(handle.db, { now: () => new Date() });
    const m = unwrap(
      await repos.meetings.create(aNewMeeting({ caseId: 'case-join', onlineMeetingUrl: JOIN }), {
        by: aRequestActor(),
      }),
    );
    await repos.meetings.create(aNewMeeting({ caseId: 'case-other', sequence: 1 }), { by: aRequestActor() });

    const monitored = new MongoClient(testMongoUri(), { monitorCommands: true });
    const filters: Record<string, unknown>[] = [];
    monitored.on('commandStarted', (e) => {
      if (e.commandName === 'find' && e.command.find === 'meetings') filters.push(e.command.filter);
    });
    try {
      await monitored.connect();
      const found = await createRepositories(monitored.db(dbName), {
        now: () => new Date(),
      }).meetings.listScheduledByJoinUrl(AREA_ID, SAME);
      expect(found.map((x) => x.id)).toEqual([m.id]);
    } finally {
      await monitored.close();
    }
    expect(filters).toHaveLength(1);
    expect(JSON.stringify(filters[0])).not.toContain('$regex');
    expect(filters[0]).toMatchObject({ areaId: AREA_ID, joinKey: expect.any(String) });

    const indexes = await handle.db.collection('meetings').indexes();
    expect(indexes.some((i) => Object.keys(i.key)[0] === 'joinKey')).toBe(true);

    // A link set later (the Outlook invitation) gets its key too; another meeting's link finds nothing.
    const later = unwrap(await repos.meetings.create(aNewMeeting({ caseId: 'case-later' }), { by: aRequestActor() }));
    const other = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_Other%40thread.v2/0';
    unwrap(await repos.meetings.update(later.id, later.version, { onlineMeetingUrl: other }, { by: aRequestActor() }));
    expect((await repos.meetings.listScheduledByJoinUrl(AREA_ID, other)).map((x) => x.id)).toEqual([later.id]);
    expect(await repos.meetings.listScheduledByJoinUrl(AREA_ID, 'not a link')).toEqual([]);
  });
});
