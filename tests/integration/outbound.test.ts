import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { OutboundWorker, type OutboundWorkerOptions } from '../../src/app/outbound';
import type { Clock } from '../../src/app/ports/clock.port';
import type { ConversationTarget } from '../../src/app/ports/conversations.port';
import type { OutboundRequest } from '../../src/app/ports/outbound-queue.port';
import { cardRendererFor } from '../../src/bot/handler-context';
import type { AdaptiveCardJson } from '../../src/bot/cards/render';
import { TeamsMessenger, type PostedMessage } from '../../src/bot/proactive/messenger';
import { TeamsTransport } from '../../src/bot/proactive/teams-transport';
import { undeliverableReporter } from '../../src/bot/proactive/undeliverable';
import { TEAMS_CONVERSATION_WINDOWS, tenantWindows } from '../../src/lib/sliding-window';
import { MongoOutboundQueue } from '../../src/store/outbound-queue.repository';
import {
  cardText,
  startFakeConnector,
  TEAMS_LIMITS,
  type FakeConnector,
  type SentActivity,
} from '../support/connector';
import { eventually } from '../support/eventually';
import { openTestStore, type TestStore } from '../support/store';

const TENANT = '00000000-0000-4000-8000-0000000000aa';
const CHANNEL = '19:coordinators@thread.tacv2';

const personal = (c: FakeConnector, n: string): ConversationTarget => ({
  conversationId: `a:personal-${n}`,
  conversationType: 'personal',
  tenantId: TENANT,
  serviceUrl: c.url,
  botId: '28:bot',
  channelId: 'msteams',
  userId: `29:user-${n}`,
});

const channel = (c: FakeConnector): ConversationTarget => ({
  conversationId: CHANNEL,
  conversationType: 'channel',
  tenantId: TENANT,
  serviceUrl: c.url,
  botId: '28:bot',
  channelId: 'msteams',
  teamId: '19:team@thread.tacv2',
  teamsChannelId: CHANNEL,
});

const text = (key: string, target: ConversationTarget, body: string): OutboundRequest => ({
  dedupeKey: key,
  target,
  operation: target.conversationType === 'personal' ? 'personal' : 'post',
  content: { type: 'text', text: body },
  what: 'a test message',
});

/** The wall clock moved by a fixed offset: a later instant without waiting for it. */
const offsetClock = (offsetMs: number): Clock => ({ now: () => new Date(Date.now() + offsetMs) });

/** The most calls inside any window of `ms`, counted as the connector counts (half-open). */
function maxIn(times: number[], ms: number): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < t.length; hi++) {
    while (t[hi]! - t[lo]! >= ms) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

const keyOf = (a: SentActivity) => a.conversationId.split(';')[0] ?? '';
const bodyText = (a: SentActivity) => String(a.body.text ?? '');

describe('outbound queue against a fake Bot Connector with Teams limits', () => {
  let store: TestStore;
  let connector: FakeConnector;
  const workers: OutboundWorker[] = [];
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const transport = new TeamsTransport(adapter, '');

  const worker = (owner: string, extra: Partial<ConstructorParameters<typeof OutboundWorker>[0]> = {}) => {
    const options: Partial<OutboundWorkerOptions> = {
      idlePollMs: 100,
      baseBackoffMs: 200,
      maxBackoffMs: 2000,
      maxAttempts: 30,
      ...extra.options,
    };
    const w = new OutboundWorker({
      queue: new MongoOutboundQueue(store.db),
      transport,
      clock: { now: () => new Date() },
      owner,
      // Production's limits, no margin: each call counts until its answer, so a loaded machine cannot crowd a window.
      limits: { conversation: TEAMS_CONVERSATION_WINDOWS, tenant: tenantWindows(30) },
      ...extra,
      options,
    });
    workers.push(w);
    return w;
  };

  beforeEach(async () => {
    store = await openTestStore('outbound');
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    await connector.close();
    await store.close();
  });

  // What went out is in the log; `outbound` keeps only what is still to send.
  const delivered = () => store.db.collection('outboundLog').countDocuments({ status: 'delivered' });

  it('delivers every message once, within the limits, through 429 with Retry-After and 503s', async () => {
    connector = await startFakeConnector({ limits: TEAMS_LIMITS, transient503Rate: 0.1, seed: 7 });
    const w = worker('instance-a');
    const requests: OutboundRequest[] = [];
    // A burst to one chat (the per-conversation windows bind), a few to others, and channel threads.
    for (let i = 0; i < 20; i++) requests.push(text(`burst-${i}`, personal(connector, '1'), `burst-${i}`));
    for (const n of ['2', '3', '4', '5'])
      for (let i = 0; i < 5; i++) requests.push(text(`p${n}-${i}`, personal(connector, n), `p${n}-${i}`));
    for (let i = 0; i < 6; i++) requests.push(text(`ch-${i}`, channel(connector), `ch-${i}`));
    connector.throttleNext(3, 1);
    for (const r of requests) await w.enqueue(r);
    // A repeat of a queued key is not a second message.
    await w.enqueue(text('burst-0', personal(connector, '1'), 'burst-0'));
    w.start();

    expect(await eventually(delivered, (n) => n === requests.length, 45_000)).toBe(requests.length);

    const posts = connector.sent.filter((a) => a.method === 'POST');
    const bodies = posts.map(bodyText).sort();
    expect(bodies).toEqual(requests.map((r) => (r.content.type === 'text' ? r.content.text : '')).sort());
    // The flaky connector really did refuse: three injected 429s and some 503s, all retried.
    const throttled = connector.refused.filter((r) => r.status === 429);
    expect(throttled).toHaveLength(3);
    expect(connector.refused.filter((r) => r.status === 503).length).toBeGreaterThan(0);
    // Limits on the connector's own timestamps: per conversation and per tenant.
    const byConversation = new Map<string, number[]>();
    for (const a of posts) byConversation.set(keyOf(a), [...(byConversation.get(keyOf(a)) ?? []), a.at]);
    for (const times of byConversation.values()) {
      expect(maxIn(times, 1000)).toBeLessThanOrEqual(7);
      expect(maxIn(times, 2000)).toBeLessThanOrEqual(8);
      expect(maxIn(times, 30_000)).toBeLessThanOrEqual(60);
    }
    expect(
      maxIn(
        posts.map((a) => a.at),
        1000,
      ),
    ).toBeLessThanOrEqual(30);
    // Retry-After honoured: nothing more to a throttled conversation until it had passed.
    for (const r of throttled) {
      const early = posts.filter(
        (a) => keyOf(a) === r.conversationKey && a.at >= r.at && a.at < r.at + (r.retryAfterMs ?? 0),
      );
      expect(early).toEqual([]);
    }
  }, 60_000);

  it('counts each send as of when Teams answered it, so a send held up on its way cannot crowd the next second', async () => {
    // The first call of every 30 is held 300 ms before the connector counts it, as a stalled sender or a
    // slow network hop would hold it while the calls after it arrive on time.
    connector = await startFakeConnector({ limits: TEAMS_LIMITS, arrivalDelayMs: (n) => (n % 30 === 0 ? 300 : 0) });
    const w = worker('instance-a');
    const requests = Array.from({ length: 100 }, (_, i) => text(`t-${i}`, personal(connector, `t${i}`), `t-${i}`));
    for (const r of requests) await w.enqueue(r);
    w.start();

    expect(await eventually(delivered, (n) => n === requests.length, 30_000)).toBe(requests.length);
    expect(connector.refused).toEqual([]);
    const arrivals = connector.sent.filter((a) => a.method === 'POST').map((a) => a.at);
    expect(maxIn(arrivals, 1000)).toBeLessThanOrEqual(30);
  }, 45_000);

  it("does not keep a turn waiting for Teams' pace to update cards: a paced update follows later, newest content only", async () => {
    connector = await startFakeConnector({ limits: TEAMS_LIMITS });
    const w = worker('instance-a');
    w.start();
    const messenger = new TeamsMessenger(transport, w);
    const card = (label: string): AdaptiveCardJson => ({
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'TextBlock', text: label }],
    });
    // Three threads in one channel: Teams counts every call to the channel against one budget.
    const posted: PostedMessage[] = [];
    for (const n of [0, 1, 2]) posted.push(await messenger.postCard(channel(connector), card(`t${n} v0`), 'a card'));
    // Twelve updates at once, four versions of each card: more than Teams allows in 2 s (8).
    const started = Date.now();
    const took: number[] = [];
    await Promise.all(
      [1, 2, 3, 4].flatMap((v) =>
        posted.map(async (p, n) => {
          await messenger.updateCard(channel(connector), p, card(`t${n} v${v}`), 'a card');
          took.push(Date.now() - started);
        }),
      ),
    );
    // Waiting for the pace would take seconds (8 calls per 2 s, 3 of them already used by the posts).
    expect(Math.max(...took)).toBeLessThan(1000);

    const puts = () => connector.sent.filter((a) => a.method === 'PUT');
    const newest = (p: PostedMessage) =>
      puts()
        .filter((a) => a.activityId === p.activityId)
        .map((a) => cardText(a.body))
        .at(-1);
    for (const [n, p] of posted.entries()) {
      expect(
        await eventually(
          () => Promise.resolve(newest(p)),
          (t) => t === `t${n} v4`,
          15_000,
        ),
      ).toBe(`t${n} v4`);
    }
    // Coalesced: versions overtaken while waiting were never sent, and the limits held.
    expect(puts().length).toBeLessThan(12);
    const times = connector.sent.map((a) => a.at);
    expect(maxIn(times, 1000)).toBeLessThanOrEqual(7);
    expect(maxIn(times, 2000)).toBeLessThanOrEqual(8);
    expect(connector.refused).toEqual([]);
  }, 30_000);

  it('never sends a message twice with two instances on the same database', async () => {
    connector = await startFakeConnector({ limits: TEAMS_LIMITS });
    const queue = new MongoOutboundQueue(store.db);
    const now = new Date();
    for (let c = 0; c < 6; c++)
      for (let i = 0; i < 6; i++)
        await queue.enqueue(text(`m-${c}-${i}`, personal(connector, `${c}`), `m-${c}-${i}`), now);
    // Two claims at the same instant share nothing and miss nothing.
    const [a, b] = await Promise.all([
      queue.claimDue('a', now, { limit: 20, leaseMs: 60_000 }),
      queue.claimDue('b', now, { limit: 20, leaseMs: 60_000 }),
    ]);
    const ids = [...a!, ...b!].map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    // Hand them back, then let two workers race over the whole queue.
    for (const m of a!) await queue.retryAt(m.id, 'a', now, { attempted: false });
    for (const m of b!) await queue.retryAt(m.id, 'b', now, { attempted: false });
    const w1 = worker('instance-1', { options: { batchSize: 4 } });
    const w2 = worker('instance-2', { options: { batchSize: 4 } });
    w1.start();
    w2.start();
    expect(await eventually(delivered, (n) => n === 36, 30_000)).toBe(36);
    const bodies = connector.sent.filter((s) => s.method === 'POST').map(bodyText);
    expect(bodies).toHaveLength(36);
    expect(new Set(bodies).size).toBe(36);
    const by = await store.db.collection('outboundLog').distinct('delivered.by');
    expect(by.sort()).toEqual(['instance-1', 'instance-2']);
  }, 45_000);

  it('sends exactly once after an instance dies between claiming and sending', async () => {
    connector = await startFakeConnector({ limits: TEAMS_LIMITS });
    const queue = new MongoOutboundQueue(store.db);
    const claimedAt = new Date();
    await queue.enqueue(text('orphan', personal(connector, '9'), 'orphan'), claimedAt);
    const [held] = await queue.claimDue('dead-instance', claimedAt, { limit: 1, leaseMs: 120_000 });
    expect(held?.id).toBe('orphan');
    // A live instance now: it cannot take the message while the dead one's lease runs.
    const early = worker('instance-live');
    early.start();
    await new Promise((r) => setTimeout(r, 500));
    expect(connector.sent).toHaveLength(0);
    await early.stop();
    // The same instance two minutes later (an injected clock): the lease has run out, it sends once.
    const later = worker('instance-later', { clock: offsetClock(120_001) });
    later.start();
    expect(await eventually(delivered, (n) => n === 1, 10_000)).toBe(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(connector.sent.filter((s) => bodyText(s) === 'orphan')).toHaveLength(1);
    // The record of what went out is kept for a while, then forgotten.
    expect(await queue.purgeDelivered(new Date(Date.now() - 60_000))).toBe(0);
    // (delivered at the later instance's clock, two minutes ahead)
    expect(await queue.purgeDelivered(new Date(Date.now() + 180_000))).toBe(1);
    // The dead instance, were it to wake, can no longer record anything for it.
    expect(
      await queue.markDelivered('orphan', 'dead-instance', { conversationId: 'x', activityId: 'y' }, new Date()),
    ).toBe(false);
  });

  it('gives up on a conversation gone or a bot removed without retrying, and tells the co-ordinator', async () => {
    connector = await startFakeConnector({ limits: TEAMS_LIMITS });
    connector.refuseConversation('a:personal-gone', 404);
    connector.refuseConversation('a:personal-blocked', 403);
    const coordinators = channel(connector);
    const w = worker('instance-r', { onUndeliverable: (m) => reporter(m) });
    const reporter = undeliverableReporter({
      outbound: w,
      conversations: { coordinatorChannel: async () => coordinators, personalChatOf: async () => null },
      members: { listMembers: async () => [] },
      areaId: 'area-1',
      tenantId: TENANT,
      card: cardRendererFor('OFFICIAL-SENSITIVE'),
    });
    await w.enqueue({
      ...text('reminder-gone', personal(connector, 'gone'), 'Reminder for Jordan Fictitious'),
      what: 'an action reminder',
      about: 'MAPPA-2026-0042',
    });
    await w.enqueue({
      ...text('reminder-blocked', personal(connector, 'blocked'), 'Reminder for Alex Madeup'),
      what: 'an action reminder',
      about: 'MAPPA-2026-0043',
    });
    w.start();
    const reports = await eventually(
      async () => connector.sent.filter((s) => s.conversationId.startsWith(CHANNEL)),
      (r) => r.length === 2,
      15_000,
    );
    expect(reports).toHaveLength(2);
    const said = reports.map((r) => cardText(r.body)).join('\n');
    expect(said).toContain('could not be delivered');
    expect(said).toContain('MAPPA-2026-0042');
    expect(said).toContain('MAPPA-2026-0043');
    expect(said).toContain('OFFICIAL-SENSITIVE');
    expect(said).not.toMatch(/Jordan|Fictitious|Alex|Madeup/);
    // The reports themselves went through the queue too; once recorded, nothing is left in it.
    expect(
      await eventually(
        () => store.db.collection('outbound').countDocuments({}),
        (n) => n === 0,
        5_000,
      ),
    ).toBe(0);
    const outbound = store.db.collection('outboundLog');
    const gone = await outbound.findOne({ _id: 'reminder-gone' as never });
    const blocked = await outbound.findOne({ _id: 'reminder-blocked' as never });
    expect(gone).toMatchObject({ status: 'failed', attempts: 1, failure: { reason: 'gone', status: 404 } });
    expect(blocked).toMatchObject({ status: 'failed', attempts: 1, failure: { reason: 'forbidden', status: 403 } });
    expect(gone?.reportedAt).toBeInstanceOf(Date);
    // Not retried: one refused call each, and the text is no longer kept.
    expect(connector.refused.filter((r) => r.status === 404 || r.status === 403)).toHaveLength(2);
    expect(gone?.contentJson).toBeUndefined();
  });

  it('keeps only what is still to send in outbound: each outcome moves to the log, and a delivered key is not sent again', async () => {
    connector = await startFakeConnector({ limits: TEAMS_LIMITS });
    const w = worker('instance-m');
    for (let i = 0; i < 5; i++) await w.enqueue(text(`moved-${i}`, personal(connector, `${i}`), `moved-${i}`));
    expect(await store.db.collection('outbound').countDocuments({})).toBe(5);
    w.start();
    expect(await eventually(delivered, (n) => n === 5, 15_000)).toBe(5);
    // The log rows are written first, then the batch leaves the queue (so a crash between loses nothing).
    const left = () => store.db.collection('outbound').countDocuments({});
    expect(await eventually(left, (n) => n === 0, 5_000)).toBe(0);
    const row = await store.db.collection('outboundLog').findOne({ _id: 'moved-0' as never });
    expect(row).toMatchObject({ status: 'delivered', attempts: 1, delivered: { by: 'instance-m' } });
    expect(row?.contentJson).toBeUndefined();
    // Asked for again once it has left the queue: the log answers, nothing is sent twice.
    const again = await w.enqueue(text('moved-0', personal(connector, '0'), 'moved-0'));
    expect(again).toMatchObject({ status: 'delivered' });
    await new Promise((r) => setTimeout(r, 1500));
    expect(connector.sent.filter((s) => bodyText(s) === 'moved-0')).toHaveLength(1);
    expect(await store.db.collection('outbound').countDocuments({})).toBe(0);
  }, 30_000);

  it('leaves a step another instance has just taken to it, and finishes it only once orphaned', async () => {
    connector = await startFakeConnector({ limits: TEAMS_LIMITS });
    const queue = new MongoOutboundQueue(store.db);
    const now = new Date();
    await queue.enqueue(text('raced', personal(connector, '7'), 'raced'), now);
    const [held] = await queue.claimDue('instance-a', now, { limit: 1, leaseMs: 120_000 });
    expect(held?.id).toBe('raced');
    await queue.retryAt('raced', 'instance-a', now, { attempted: true, status: 429 });
    // Another instance has taken the next step and not yet applied it.
    const doc = (await store.db.collection('outbound').findOne({ _id: 'raced' as never }))!;
    await store.db.collection('outboundSteps').insertOne({
      _id: `raced#${String(doc.ver)}#${String(doc.seq)}` as never,
      at: now,
      next: {
        kind: 'set',
        set: { status: 'sending', leaseOwner: 'instance-c', nextAttemptAt: new Date(now.getTime() + 120_000) },
      },
    });
    // A third instance reading the message now loses the step and leaves the message as it is.
    expect(await queue.claimDue('instance-b', now, { limit: 1, leaseMs: 120_000 })).toEqual([]);
    expect(await store.db.collection('outbound').findOne({ _id: 'raced' as never })).toMatchObject({
      status: 'queued',
      seq: doc.seq,
    });
    // Ten seconds on, its writer is presumed dead: the step is finished for it (and its lease then runs).
    const later = new Date(now.getTime() + 10_001);
    expect(await queue.claimDue('instance-b', later, { limit: 1, leaseMs: 120_000 })).toEqual([]);
    expect(await store.db.collection('outbound').findOne({ _id: 'raced' as never })).toMatchObject({
      status: 'sending',
      leaseOwner: 'instance-c',
      seq: Number(doc.seq) + 1,
    });
  });

  it('finishes, without sending again, a delivery whose instance died after taking the recording step', async () => {
    connector = await startFakeConnector({ limits: TEAMS_LIMITS });
    const queue = new MongoOutboundQueue(store.db);
    const claimedAt = new Date();
    await queue.enqueue(text('logged', personal(connector, '8'), 'logged'), claimedAt);
    const [held] = await queue.claimDue('dead-instance', claimedAt, { limit: 1, leaseMs: 120_000 });
    expect(held?.id).toBe('logged');
    // The dead instance's last write: the recording step taken (with its log row), neither applied.
    const doc = (await store.db.collection('outbound').findOne({ _id: 'logged' as never }))!;
    const { _id, contentJson: _c, leaseOwner: _o, ver, seq, ...rest } = doc;
    const delivered = { conversationId: 'a:personal-8', activityId: 'act-1', at: claimedAt, by: 'dead-instance' };
    await store.db.collection('outboundSteps').insertOne({
      _id: `${String(_id)}#${String(ver)}#${String(seq)}` as never,
      at: claimedAt,
      next: { kind: 'done', log: { ...rest, _id, status: 'delivered', attempts: 1, delivered, doneAt: claimedAt } },
    });
    // Its lease runs out; the next instance to claim it finds the step taken and finishes it.
    const later = worker('instance-later', { clock: offsetClock(120_001) });
    later.start();
    expect(
      await eventually(
        () => store.db.collection('outbound').countDocuments({}),
        (n) => n === 0,
        10_000,
      ),
    ).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(connector.sent.filter((s) => bodyText(s) === 'logged')).toHaveLength(0);
    expect(await store.db.collection('outboundLog').findOne({ _id: 'logged' as never })).toMatchObject({
      status: 'delivered',
      delivered: { by: 'dead-instance' },
    });
    // The dead instance, were it to wake, can no longer record anything for it.
    expect(await queue.markDelivered('logged', 'dead-instance', delivered, new Date())).toBe(false);
  });
});
