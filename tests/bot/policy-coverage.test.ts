import fc from 'fast-check';
import { MongoClient } from 'mongodb';
import { CARD_VERBS, COMMANDS } from '../../src/bot/commands';
import { POLICY_ACTIONS } from '../../src/domain/policy';
import { cardAction, message, postActivity, users } from '../support/activities';
import { startTestApp, type TestApp } from '../support/app';
import { cardText } from '../support/connector';
import { testMongoUri } from '../support/mongo';

/** Collections whose documents are user-visible records (bot state and conversation refs excluded). */
const RECORD_COLLECTIONS = [
  'members',
  'cases',
  'subjects',
  'notifications',
  'referrals',
  'meetings',
  'minutes',
  'actions',
];

describe('every command and card verb is guarded by the policy', () => {
  let t: TestApp;
  const client = new MongoClient(testMongoUri());

  beforeAll(async () => {
    t = await startTestApp('policy');
    await client.connect();
  });
  afterAll(async () => {
    await t.stop();
    await client.close();
  });
  beforeEach(() => t.connector.clear());

  async function recordCount(): Promise<number> {
    const db = client.db(t.dbName);
    let n = 0;
    for (const c of RECORD_COLLECTIONS) n += await db.collection(c).countDocuments();
    return n;
  }

  it('names a policy action for every command and verb', () => {
    for (const c of COMMANDS) expect(POLICY_ACTIONS).toContain(c.action);
    for (const action of Object.values(CARD_VERBS)) expect(POLICY_ACTIONS).toContain(action);
  });

  it.each(COMMANDS.filter((c) => c.name !== 'help').map((c) => [c.name]))(
    'refuses "%s" to someone not enrolled',
    async (name) => {
      await postActivity(t.url, message(t.connector.url, users.health, `${name} MAPPA-2026-0001`));
      const sent = await t.connector.waitFor(() => true);
      expect(String(sent.body.text)).toMatch(/not enrolled/);
    },
  );

  it.each([['notification.refresh'], ['referral.refresh']])(
    'answers %s from someone not enrolled with the channel view, not a refusal',
    async (verb) => {
      const before = await recordCount();
      const res = await postActivity(
        t.url,
        cardAction(t.connector.url, users.health, verb, { notificationId: 'x', referralId: 'x' }),
      );
      expect(res.status).toBe(200);
      expect((res.body as { type?: string }).type).toBe('application/vnd.microsoft.card.adaptive');
      expect(JSON.stringify(res.body)).not.toContain('Not permitted');
      expect(await recordCount()).toBe(before);
    },
  );

  it.each(
    Object.keys(CARD_VERBS)
      .filter((v) => v !== 'help' && !v.endsWith('.refresh'))
      .map((v) => [v]),
  )('refuses the card verb %s to someone not enrolled, writing nothing', async (verb) => {
    const before = await recordCount();
    const res = await postActivity(
      t.url,
      cardAction(t.connector.url, users.health, verb, { aadObjectId: users.health.aadObjectId, roles: 'admin' }),
    );
    expect(res.status).toBe(200);
    const shown = cardText({ attachments: [{ content: (res.body as { value: unknown }).value }] });
    expect(shown).toContain('Not permitted');
    // The same reason a typed command gives them, not a role they do not have.
    expect(shown).toContain('You are not enrolled in this MAPPA area yet.');
    expect(await recordCount()).toBe(before);
  });

  it('answers random and malformed card payloads with a clear card: no crash, no stack trace, no write', async () => {
    const before = await recordCount();
    const verb = fc.oneof(fc.constantFrom(...Object.keys(CARD_VERBS)), fc.string({ maxLength: 30 }));
    const data = fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 });
    await fc.assert(
      fc.asyncProperty(verb, data, fc.constantFrom(users.health, users.police), async (v, d, user) => {
        const res = await postActivity(t.url, cardAction(t.connector.url, user, v, d as Record<string, unknown>));
        expect(res.status).toBe(200);
        const json = JSON.stringify(res.body);
        expect(json).not.toMatch(/at \w+ \(|Error:|stack/);
        expect((res.body as { type?: string }).type).toBe('application/vnd.microsoft.card.adaptive');
      }),
      { numRuns: 40 },
    );
    expect(await recordCount()).toBe(before);
  });

  it('answers random activity values and texts without crashing or writing', async () => {
    const before = await recordCount();
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), fc.option(fc.jsonValue({ maxDepth: 2 })), async (text, value) => {
        t.connector.clear();
        const res = await postActivity(
          t.url,
          message(t.connector.url, users.police, text, value === null ? {} : { value }),
        );
        expect(res.status).toBeLessThan(300);
        for (const s of t.connector.sent) expect(JSON.stringify(s.body)).not.toMatch(/at \w+ \(|stack/);
      }),
      { numRuns: 40 },
    );
    expect(await recordCount()).toBe(before);
  });
});
