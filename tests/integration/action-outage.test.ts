import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { createRepositories } from '../../src/store';
import { startLocalMongo, type LocalMongo } from '../../src/store/local-server';
import { enrolByCard, startTestApp, type TestApp } from '../support/app';
import { cast, clickCard, ENROLMENT } from '../support/meeting-run';
import { aNewAction, aNewCase, aRequestActor } from '../fixtures/builders';

/** The database goes away while a housing officer is marking their action done. */
describe('an action update when the database goes away', () => {
  let db: LocalMongo;
  let t: TestApp;
  let actionId = '';
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mappa-action-outage-'));

  beforeAll(async () => {
    db = await startLocalMongo({ dataDir, port: 0 });
    t = await startTestApp('actoutage', {
      MONGODB_URI: db.uri,
      MONGODB_CONNECT_TIMEOUT_MS: '1000',
      IDENTITY_CACHE_SECONDS: '30',
      BOOTSTRAP_ADMIN_AAD_IDS: cast.coordinator.aadObjectId,
    });
    await enrolByCard(t, cast.coordinator, cast.coordinator, 'mappa-unit', 'coordinator,admin');
    for (const [who, agency, roles] of ENROLMENT) await enrolByCard(t, cast.coordinator, cast[who], agency, roles);
    const client = new MongoClient(db.uri);
    await client.connect();
    const repos = createRepositories(client.db(t.dbName), { now: () => new Date() });
    const c = await repos.cases.create(aNewCase({ areaId: 'local-area', leadAgencyId: 'probation' }), {
      by: aRequestActor(),
    });
    const a = await repos.actions.create(
      aNewAction({
        areaId: 'local-area',
        caseId: c.id,
        ownerAgencyId: 'housing-authority',
        ownerAadObjectId: undefined,
      }),
      { by: aRequestActor() },
    );
    actionId = a.id;
    await client.close();
    // The officer's identity is now held by the instance.
    await clickCard(t, cast.housing, 'action.open', { actionId }, 'personal');
  });
  afterAll(async () => {
    await t.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('says it did not go through and keeps every word typed on the card', async () => {
    await db.stop();
    const typed = 'Tenancy signed on Monday; keys handed over.';
    const card = JSON.stringify(
      await clickCard(t, cast.housing, 'action.done', { actionId, version: '0', note: typed }, 'personal'),
    );
    expect(card).toContain('That did not go through');
    expect(card).toContain(typed);
    expect(card).toContain('action.done');
  });
});
