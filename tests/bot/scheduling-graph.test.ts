import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { users } from '../support/activities';
import { cardText } from '../support/connector';
import { eventually } from '../support/eventually';
import {
  inDays,
  openScheduleCard,
  personalOf,
  scheduleForm,
  schedulingWorld,
  submitSchedule,
  text,
  type SchedulingWorld,
} from '../support/scheduling';

type Mode = 'throttle-then-ok' | 'fail' | 'hang';
const JOIN_URL = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_fake%40thread.v2/0';

/** A stand-in for Microsoft Graph on 127.0.0.1: real HTTP, behaving as each test sets. */
async function fakeGraph() {
  let mode: Mode = 'throttle-then-ok';
  const calls: Array<{ method: string; path: string; at: number; body: string }> = [];
  const hanging = new Set<import('node:http').ServerResponse>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const path = decodeURIComponent(req.url ?? '').replace(/^\/v1\.0/, '');
      calls.push({ method: req.method ?? '', path, at: Date.now(), body });
      const json = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(JSON.stringify(payload));
      };
      const user = /^\/users\/([0-9a-f-]{36})\?/.exec(path);
      if (req.method === 'GET' && user) return json(200, { mail: `${user[1]}@example.test` });
      if (req.method === 'POST' && path === '/users/mappa-meetings@example.test/events') {
        const posts = calls.filter((c) => c.method === 'POST').length;
        if (mode === 'hang') return void hanging.add(res);
        if (mode === 'fail') return json(500, { error: { code: 'generalException' } });
        if (posts === 1) return json(429, { error: { code: 'TooManyRequests' } }, { 'Retry-After': '1' });
        return json(201, { id: 'event-1', onlineMeeting: { joinUrl: JOIN_URL } });
      }
      return json(404, { error: { code: 'NotFound' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1.0`,
    calls,
    set(m: Mode) {
      mode = m;
      calls.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        hanging.forEach((r) => r.destroy());
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('Calendar invitations through Microsoft Graph never block the turn nor lose the meeting', () => {
  let w: SchedulingWorld;
  let graph: Awaited<ReturnType<typeof fakeGraph>>;
  beforeAll(async () => {
    graph = await fakeGraph();
    w = await schedulingWorld(
      'schedgraph',
      { GRAPH_MEETING_ORGANISER: 'mappa-meetings@example.test' },
      {
        meetingCalendar: {
          baseUrl: graph.url,
          getToken: async () => 'fake-token',
          timeoutMs: 300,
          maxRetries: 2,
          initialBackoffMs: 20,
          maxRetryDelayMs: 2_000,
        },
      },
    );
  });
  afterAll(async () => {
    await w.stop();
    await graph.close();
  });

  const meetingsNow = () => w.client.db(w.t.dbName).collection('meetings').find({ caseId: w.caseId }).toArray();

  async function schedule(days: number) {
    const { scheduleKey } = await openScheduleCard(w, users.coordinator);
    w.t.connector.clear();
    const started = Date.now();
    const card = await submitSchedule(
      w,
      users.coordinator,
      scheduleForm(w.caseRef, scheduleKey, { date: inDays(days) }),
    );
    return { card, replyMs: Date.now() - started, scheduleKey };
  }

  it('waits out a 429 as Retry-After says, then stores the join link and puts it on the invitations', async () => {
    graph.set('throttle-then-ok');
    const { card, replyMs, scheduleKey } = await schedule(3);
    expect(text(card)).toContain('Meeting scheduled');
    expect(replyMs).toBeLessThan(1000); // the reply did not wait for Graph's Retry-After
    const invite = await w.t.connector.waitFor((s) => s.conversationId === personalOf(users.police), 8000);
    expect(JSON.stringify(invite.body)).toContain(JOIN_URL);
    const posts = graph.calls.filter((c) => c.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(1000);
    const event = JSON.parse(posts[1]!.body) as Record<string, unknown>;
    expect(event).toMatchObject({ isOnlineMeeting: true, onlineMeetingProvider: 'teamsForBusiness' });
    expect(String(event.subject)).toContain(w.caseRef);
    expect(JSON.stringify(event)).not.toMatch(/Zephyrine|Quentin/);
    const stored = await eventually(
      async () => (await meetingsNow()).find((m) => m.scheduleKey === scheduleKey)!,
      (m) => m.calendarInvitation !== undefined,
    );
    expect(stored).toMatchObject({ onlineMeetingUrl: JOIN_URL, calendarInvitation: 'created' });
  });

  it('gives up after repeated 500s: the meeting stays, the bot invitations go, the co-ordinator is told', async () => {
    graph.set('fail');
    const { card, scheduleKey } = await schedule(4);
    expect(text(card)).toContain('Meeting scheduled');
    const told = await w.t.connector.waitFor(
      (s) => s.conversationId === personalOf(users.coordinator) && cardText(s.body).includes('calendar invitation'),
      8000,
    );
    expect(cardText(told.body)).toContain('The calendar invitation could not be sent');
    expect(graph.calls.filter((c) => c.method === 'POST')).toHaveLength(3);
    const invite = await w.t.connector.waitFor((s) => s.conversationId === personalOf(users.police));
    expect(JSON.stringify(invite.body)).not.toContain('meetup-join');
    const stored = await eventually(
      async () => (await meetingsNow()).find((m) => m.scheduleKey === scheduleKey)!,
      (m) => m.calendarInvitation !== undefined,
    );
    expect(stored).toMatchObject({ status: 'scheduled', calendarInvitation: 'failed' });
    expect(stored.onlineMeetingUrl).toBeUndefined();
  });

  it('answers at once while Graph hangs, saves the meeting first, and times each call out', async () => {
    graph.set('hang');
    const { card, replyMs, scheduleKey } = await schedule(5);
    expect(text(card)).toContain('Meeting scheduled');
    expect(replyMs).toBeLessThan(1000);
    expect((await meetingsNow()).some((m) => m.scheduleKey === scheduleKey)).toBe(true);
    const told = await w.t.connector.waitFor(
      (s) => s.conversationId === personalOf(users.coordinator) && cardText(s.body).includes('calendar invitation'),
      8000,
    );
    expect(cardText(told.body)).toContain('my own invitations in Teams have gone');
    expect(graph.calls.filter((c) => c.method === 'POST')).toHaveLength(3);
    // Nothing personal in the logs: no names, addresses or the Graph token.
    expect(w.t.logLines.join('\n')).not.toMatch(/example\.test|fake-token|Zephyrine|Madeup/);
  });
});
