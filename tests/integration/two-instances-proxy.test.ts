import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MongoClient } from 'mongodb';
import { MongoAuditLog } from '../../src/store/audit-log.repository';
import { createRepositories } from '../../src/store';
import { MongoReminderRepository } from '../../src/store/reminder.repository';
import { aNewAction, aRequestActor } from '../fixtures/builders';
import { cardAction, message, postActivity, TENANT_ID, users } from '../support/activities';
import { chainedAuditEvents } from '../support/audit';
import { freePort, startBotProcess } from '../support/bot-process';
import { cardText, startFakeConnector, type FakeConnector } from '../support/connector';
import { freshDbName, testMongoUri } from '../support/mongo';

const N = 6;

/** A round-robin load balancer on the loopback: each request goes to the next instance in turn. */
async function startProxy(targets: readonly number[]): Promise<{ url: string; close(): Promise<void> }> {
  let next = 0;
  const server = http.createServer((req, res) => {
    const port = targets[next++ % targets.length]!;
    const upstream = http.request(
      { host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/**
 * Two bot processes, one database, one round-robin proxy: two co-ordinators click the same decision on
 * every notification at once, and both instances sweep reminders every second. Each decision is
 * recorded once, each reminder goes out once, and the audit chain verifies.
 */
describe('two instances behind a proxy, one database', () => {
  let connector: FakeConnector;
  let proxy: { url: string; close(): Promise<void> } | undefined;
  const bots: ChildProcess[] = [];
  const dbName = freshDbName('twoproxy');
  const client = new MongoClient(testMongoUri());
  const env = {
    BOT_AUTH: 'none',
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SCHEDULER_ENABLED: 'true',
    REMINDER_SWEEP_SECONDS: '1',
    MONGODB_URI: testMongoUri(),
    MONGODB_DB: dbName,
    ALLOWED_TENANT_IDS: TENANT_ID,
    BOOTSTRAP_ADMIN_AAD_IDS: users.coordinator.aadObjectId,
    IDENTITY_CACHE_SECONDS: '0',
  };

  beforeAll(async () => {
    connector = await startFakeConnector();
    await client.connect();
  });
  afterAll(async () => {
    for (const b of bots) if (b.exitCode === null) b.kill('SIGKILL');
    await proxy?.close();
    await connector.close();
    await client.close();
  });

  it('records each decision once, sends each reminder once, and the chain verifies', async () => {
    const ports = [await freePort(), await freePort()];
    for (const p of ports) bots.push(await startBotProcess(env, p));
    proxy = await startProxy(ports);
    const url = proxy.url;
    const enrol = (who: (typeof users)[keyof typeof users], agencyId: string, roles: string) =>
      postActivity(
        url,
        cardAction(connector.url, users.coordinator, 'member.add', {
          aadObjectId: who.aadObjectId,
          displayName: who.name,
          agencyId,
          roles,
        }),
      );
    expect((await enrol(users.probation, 'probation', 'practitioner')).status).toBe(200);
    expect((await enrol(users.police, 'police', 'coordinator')).status).toBe(200);
    expect((await enrol(users.health, 'health', 'coordinator')).status).toBe(200);
    // The owner's personal chat, which the reminder goes to.
    await postActivity(url, message(connector.url, users.probation, 'help'));

    const submitted = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        postActivity(
          url,
          cardAction(connector.url, users.probation, 'notification.submit', {
            draftId: `proxy-${i}`,
            givenName: 'Rowan',
            familyName: `Proxycase${String.fromCharCode(65 + i)}`,
            aliases: '',
            dateOfBirth: '1981-02-03',
            pnc: `2012/${String(8000000 + i)}B`,
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
    for (const r of submitted) expect(JSON.stringify(r.body)).toContain('Notification sent');
    const db = client.db(dbName);
    const notifications = await db.collection('notifications').find({}).toArray();
    expect(notifications).toHaveLength(N);

    // Both co-ordinators click Level 1 on every notification at the same moment.
    const clicks = await Promise.all(
      notifications.flatMap((n) =>
        [users.police, users.health].map((who) =>
          postActivity(url, cardAction(connector.url, who, 'notification.level1', { notificationId: String(n._id) })),
        ),
      ),
    );
    for (const c of clicks) expect(c.status).toBe(200);

    // A reminder already due for an action the probation officer owns: both instances sweep for it.
    const area = await db.collection('areas').findOne({});
    const areaId = String(area?._id);
    const aCase = await db.collection('cases').findOne({});
    const clock = { now: () => new Date() };
    const repos = createRepositories(db, clock);
    const action = await repos.actions.create(
      aNewAction({
        areaId,
        caseId: String(aCase?._id),
        text: 'Arrange the home visit',
        dueDate: '2026-01-05',
        ownerAgencyId: 'probation',
        ownerName: users.probation.name,
        ownerAadObjectId: users.probation.aadObjectId,
      }),
      { by: aRequestActor() },
    );
    const before = connector.sent.length;
    await new MongoReminderRepository(db, clock).schedule({
      id: `action:${action.id}`,
      areaId,
      kind: 'action',
      subjectId: action.id,
      caseId: action.caseId,
      caseRef: String(aCase?.['ref'] ?? 'REF'),
      agencyId: 'probation',
      due: action.dueDate,
      nextAt: new Date(Date.now() - 60_000).toISOString(),
    });
    const reminders = () =>
      connector.sent.slice(before).filter((s) => /Overdue by|Reminder: this action/.test(cardText(s.body)));
    for (let i = 0; i < 100 && reminders().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    // Several more sweeps on each instance: none may send it again.
    await new Promise((r) => setTimeout(r, 3_500));
    expect(reminders().filter((s) => s.conversationId.includes(users.probation.id))).toHaveLength(1);

    const events = await chainedAuditEvents(db, 30_000);
    const decided = await events.find({ action: 'case.decision_recorded' }).toArray();
    expect(decided).toHaveLength(N);
    expect(new Set(decided.map((e) => e['entity']?.id)).size).toBe(N);
    for (const n of notifications) {
      const c = await db.collection('cases').findOne({ _id: n['caseId'] });
      expect(c?.['status']).toBe('managed_l1');
      expect(c?.['history']).toHaveLength(1);
    }
    const verified = await new MongoAuditLog(db, clock).verifyAuditChain(areaId);
    expect(verified).toMatchObject({ ok: true });
  });
});
