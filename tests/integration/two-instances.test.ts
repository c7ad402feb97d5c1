import type { ChildProcess } from 'node:child_process';
import { MongoClient } from 'mongodb';
import { MongoAuditLog } from '../../src/store/audit-log.repository';
import { cardAction, postActivity, TENANT_ID, users } from '../support/activities';
import { chainedAuditEvents } from '../support/audit';
import { freePort, startBotProcess } from '../support/bot-process';
import { startFakeConnector, type FakeConnector } from '../support/connector';
import { freshDbName, testMongoUri } from '../support/mongo';

const N = 40;

/**
 * Two bot instances behind one load balancer share one database: every audited action from both lands
 * in the one hash chain exactly once, and the chain verifies. Each instance runs its own sequencer loop;
 * the lease lets one of them integrate at a time.
 */
describe('two bot instances, one database', () => {
  let connector: FakeConnector;
  const bots: ChildProcess[] = [];
  const dbName = freshDbName('twoinst');
  const client = new MongoClient(testMongoUri());
  const env = {
    BOT_AUTH: 'none',
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SCHEDULER_ENABLED: 'false',
    MONGODB_URI: testMongoUri(),
    MONGODB_DB: dbName,
    ALLOWED_TENANT_IDS: TENANT_ID,
    BOOTSTRAP_ADMIN_AAD_IDS: users.coordinator.aadObjectId,
  };

  beforeAll(async () => {
    connector = await startFakeConnector();
    await client.connect();
  });
  afterAll(async () => {
    for (const b of bots) if (b.exitCode === null) b.kill('SIGKILL');
    await connector.close();
    await client.close();
  });

  it('chains every audited action from both instances exactly once, and the chain verifies', async () => {
    const ports = [await freePort(), await freePort()];
    // One after the other, so the first seeds the area; the second finds it.
    for (const p of ports) bots.push(await startBotProcess(env, p));
    const urls = ports.map((p) => `http://127.0.0.1:${p}`);
    const enrolled = await postActivity(
      urls[0]!,
      cardAction(connector.url, users.coordinator, 'member.add', {
        aadObjectId: users.probation.aadObjectId,
        displayName: users.probation.name,
        agencyId: 'probation',
        roles: 'practitioner',
      }),
    );
    expect(enrolled.status).toBe(200);

    // N notifications about N different people, alternating between the instances, all at once.
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        postActivity(
          urls[i % 2]!,
          cardAction(connector.url, users.probation, 'notification.submit', {
            draftId: `two-instances-${i}`,
            givenName: 'Pat',
            familyName: `Testcase${String.fromCharCode(65 + (i % 26))}${i}`,
            aliases: '',
            dateOfBirth: '1980-01-01',
            pnc: `2010/${String(7000000 + i)}A`,
            crn: '',
            visor: '',
            prisonNumber: '',
            category: 'cat2',
            eligibilityReasons: 'Convicted of a specified violent offence\nCustody of 12 months or more',
            leadAgencyId: 'probation',
            sentenceDate: '2026-11-02',
            releaseDate: '',
            custodyStatus: 'custody',
            notes: '',
          }),
        ),
      ),
    );
    for (const r of results) expect(JSON.stringify(r.body)).toContain('Notification sent');

    const db = client.db(dbName);
    const events = await chainedAuditEvents(db, 30_000);
    expect(await db.collection('notifications').countDocuments()).toBe(N);
    expect(await events.countDocuments({ action: 'notification.received' })).toBe(N);
    const ids = await events.distinct('entity.id', { action: 'notification.received' });
    expect(ids).toHaveLength(N);

    const area = await db.collection('areas').findOne({});
    const verified = await new MongoAuditLog(db, { now: () => new Date() }).verifyAuditChain(String(area?._id));
    expect(verified).toMatchObject({ ok: true });
  });
});
