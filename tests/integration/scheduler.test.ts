import { Writable } from 'node:stream';
import { MongoClient } from 'mongodb';
import { createLogger } from '../../src/config/logger';
import { startScheduler } from '../../src/scheduler/scheduler';
import { MongoJobLeases } from '../../src/store/job-lease.repository';
import { freshDbName, testMongoUri } from '../support/mongo';

describe('scheduled jobs run once per occurrence across instances', () => {
  const client = new MongoClient(testMongoUri());
  const dbName = freshDbName('sched');
  const quiet = createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));

  beforeAll(() => client.connect());
  afterAll(async () => {
    await client.db(dbName).dropDatabase();
    await client.close();
  });

  it('lets one of two instances run an occurrence and the other skip it, even when it fails', async () => {
    let runs = 0;
    const job = {
      name: 'demo',
      cron: '0 3 1 1 *',
      run: async () => {
        runs += 1;
        throw new Error('boom');
      },
    };
    const a = startScheduler([job], new MongoJobLeases(client.db(dbName), 'a'), quiet);
    const b = startScheduler([job], new MongoJobLeases(client.db(dbName), 'b'), quiet);
    const results = await Promise.all([a.runNow('demo', '2026-11-23T08:00'), b.runNow('demo', '2026-11-23T08:00')]);
    expect(results.sort()).toEqual(['ran', 'skipped']);
    expect(runs).toBe(1);
    expect(await a.runNow('demo', '2026-11-24T08:00')).toBe('ran');
    a.stop();
    b.stop();
  });
});
