import { MemoryStorage, TestAdapter, type Activity } from 'botbuilder';
import { MongoClient } from 'mongodb';
import { Writable } from 'node:stream';
import type { RefusedActivity } from '../../src/app/members/refusal-audit';
import { createLogger } from '../../src/config/logger';
import { MappaBot, type BotDeps } from '../../src/bot/mappa.bot';
import { FOREIGN_TENANT_ID, message, postActivity, TENANT_ID, users } from '../support/activities';
import { startTestApp, type TestApp } from '../support/app';
import { eventually } from '../support/eventually';
import { testMongoUri } from '../support/mongo';

const foreign = (serviceUrl: string, n: number) =>
  message(serviceUrl, users.health, 'help', {
    conversation: { id: `a:foreign-${n}`, conversationType: 'personal', tenantId: FOREIGN_TENANT_ID },
    channelData: { tenant: { id: FOREIGN_TENANT_ID } },
  });

describe('refusals cannot be used to slow the service', () => {
  const client = new MongoClient(testMongoUri());
  let t: TestApp | undefined;
  beforeAll(() => client.connect());
  afterAll(async () => {
    await t?.stop();
    await client.close();
  });

  it('audits a flood from another tenant as its first refusal in full and one count, not one write each', async () => {
    t = await startTestApp('refusals');
    const denied = () =>
      client
        .db(t!.dbName)
        .collection('auditEvents')
        .find({ action: 'access.denied', 'details.reason': 'tenant_not_allowed' })
        .toArray();
    for (let i = 0; i < 25; i++) {
      const res = await postActivity(t.url, foreign(t.connector.url, i));
      expect(res.status).toBe(200);
    }
    expect(t.connector.sent.filter((a) => String(a.body.text).includes('not available'))).toHaveLength(25);
    const first = await eventually(denied, (d) => d.length >= 1);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ tenantId: FOREIGN_TENANT_ID, details: { activityType: 'message' } });

    // The interval's count is audited when it ends; shutting down ends it.
    const dbName = t.dbName;
    await t.stop();
    t = undefined;
    const all = await client
      .db(dbName)
      .collection('auditEvents')
      .find({ action: 'access.denied', 'details.reason': 'tenant_not_allowed' })
      .toArray();
    expect(all).toHaveLength(2);
    expect(all.find((e) => e.details.aggregate === true)).toMatchObject({
      tenantId: FOREIGN_TENANT_ID,
      details: { refused: 25 },
    });
  });
});

describe('refusals never wait on the audit log', () => {
  const silent = createLogger('silent', new Writable({ write: (_c, _e, cb) => cb() }));
  const refused: RefusedActivity[] = [];
  // An audit log that never answers: a turn that waits on it never ends.
  const stuckAudit = { append: () => new Promise<never>(() => undefined) };
  const bot = new MappaBot({
    storage: new MemoryStorage(),
    protectiveMarking: 'OFFICIAL-SENSITIVE',
    areaName: 'Test area',
    areaId: 'test-area',
    identify: async (ids: { tenantId: string | undefined; aadObjectId: string | undefined }) =>
      ids.tenantId === TENANT_ID
        ? { kind: 'principal', principal: { tenantId: TENANT_ID, aadObjectId: ids.aadObjectId!, member: null } }
        : { kind: 'foreign_tenant', tenantId: ids.tenantId },
    conversations: { remember: async () => undefined },
    audit: stuckAudit,
    refusals: { refused: (a: RefusedActivity) => void refused.push(a) },
    logger: silent,
  } as unknown as BotDeps);

  const within = <T>(p: Promise<T>, ms = 3000) =>
    Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the turn waited')), ms))]);

  it('answers an unenrolled user in the tenant without waiting for the audit of the refusal', async () => {
    const adapter = new TestAdapter((ctx) => bot.run(ctx));
    const activity = message('https://connector.invalid/', users.police, 'members') as unknown as Partial<Activity>;
    await within(
      adapter
        .send(activity)
        .assertReply((a) => expect(a.text).toContain('not enrolled'))
        .startTest(),
    );
  });

  it('answers another tenant at once and hands the refusal to the tally', async () => {
    const adapter = new TestAdapter((ctx) => bot.run(ctx));
    const activity = foreign('https://connector.invalid/', 1) as unknown as Partial<Activity>;
    await within(
      adapter
        .send(activity)
        .assertReply((a) => expect(a.text).toContain('not available'))
        .startTest(),
    );
    expect(refused).toEqual([
      { tenantId: FOREIGN_TENANT_ID, actorAadObjectId: users.health.aadObjectId, activityType: 'message' },
    ]);
  });
});
