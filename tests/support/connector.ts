import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the bot sent to the (fake) Bot Connector service. */
export interface SentActivity {
  method: 'POST' | 'PUT' | 'DELETE';
  conversationId: string;
  activityId?: string;
  body: Record<string, unknown>;
  /** When the connector accepted it (its clock), for asserting on rates. */
  at: number;
}

/** A call the connector refused: throttled (429), made to fail (503…), or to a conversation gone. */
export interface RefusedCall {
  status: number;
  /** The conversation the call counted against (a channel for a new thread or a thread reply). */
  conversationKey: string;
  at: number;
  retryAfterMs?: number;
  /**
   * For a 429 from the limits: which one refused ('conversation' or 'tenant', and the window), and how
   * much sooner than the window's length this call came after the call it would have been one too many
   * with (the bunching a sender's margin did not absorb).
   */
  limit?: { scope: 'conversation' | 'tenant'; limit: number; windowMs: number; shortByMs: number };
}

/** Rate limits the connector enforces as Teams does: at most `limit` accepted calls in any `windowMs`. */
export interface EmulatedWindow {
  limit: number;
  windowMs: number;
}

export interface FakeConnectorOptions {
  /** Per conversation (Teams: 7/1 s, 8/2 s, 60/30 s, 1,800/h) and per tenant (30/s). Unset = no limits. */
  limits?: { conversation: readonly EmulatedWindow[]; tenant: readonly EmulatedWindow[] };
  /** Fraction of otherwise accepted message calls answered 503 instead, from a seeded sequence. */
  transient503Rate?: number;
  seed?: number;
  /** Retry-After (seconds) sent with a 429 from the limits. */
  retryAfterSeconds?: number;
  /**
   * Holds the n-th message call (0-based) this long before it is counted, as the network or a busy sender
   * holds one request while later ones overtake it.
   */
  arrivalDelayMs?: (n: number) => number;
  now?: () => number;
}

/** Teams' documented limits, written out independently of the bot's limiter so one cannot hide the other's bug. */
export const TEAMS_LIMITS: NonNullable<FakeConnectorOptions['limits']> = {
  conversation: [
    { limit: 7, windowMs: 1000 },
    { limit: 8, windowMs: 2000 },
    { limit: 60, windowMs: 30_000 },
    { limit: 1800, windowMs: 3_600_000 },
  ],
  tenant: [{ limit: 30, windowMs: 1000 }],
};

/**
 * A recording stand-in for the Bot Connector REST API on 127.0.0.1: the bot under test replies to
 * this serviceUrl exactly as it would to Teams, so tests assert on what was really sent over HTTP.
 */
export interface FakeConnector {
  readonly url: string;
  readonly sent: SentActivity[];
  /** Make the next N calls fail with this status (to test retries and failure messages). */
  failNext(count: number, status: number): void;
  /** Answer every call this many milliseconds late (0 = at once), as a slow Teams would. */
  delay(ms: number): void;
  waitFor(predicate: (a: SentActivity) => boolean, timeoutMs?: number): Promise<SentActivity>;
  /**
   * The people Teams lists for a conversation or team (GET /v3/conversations/{id}/pagedmembers, which
   * TeamsInfo.getPagedMembers calls with the team id in a channel, the chat id in a group chat).
   */
  setRoster(conversationId: string, members: readonly RosterMember[]): void;
  /** Calls to the Teams meeting APIs (/v1/meetings/...): notifications and participant look-ups. */
  readonly meetingCalls: MeetingCall[];
  /** Someone Teams lists as a participant of the meeting, with their meeting role. */
  setParticipant(meetingId: string, aadObjectId: string, role: string): void;
  /** Make the next N calls to /v1/meetings/... fail with this status. */
  failMeetingsNext(count: number, status: number): void;
  /** Calls refused with a status (limits, injected failures, gone or forbidden conversations). */
  readonly refused: RefusedCall[];
  /** The next N message calls answer 429 with this Retry-After (seconds). */
  throttleNext(count: number, retryAfterSeconds: number): void;
  /** Calls to this conversation answer with `status` from now on (404: gone, 403: bot removed or blocked). */
  refuseConversation(conversationId: string, status: 403 | 404): void;
  clear(): void;
  close(): Promise<void>;
}

/** One call the bot made to a Teams meeting API. */
export interface MeetingCall {
  method: string;
  meetingId: string;
  /** What follows the meeting id: `notification`, or `participants/<id>`. */
  path: string;
  query: string;
  body: Record<string, unknown>;
}

/** One person as Teams lists them in a roster (a TeamsChannelAccount). */
export interface RosterMember {
  id: string;
  aadObjectId: string;
  name: string;
  email?: string;
  userPrincipalName?: string;
}

/** A seeded pseudo-random sequence (mulberry32), so a flaky run is the same run every time. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function startFakeConnector(options: FakeConnectorOptions = {}): Promise<FakeConnector> {
  const now = options.now ?? Date.now;
  const random = seeded(options.seed ?? 42);
  const refused: RefusedCall[] = [];
  const refusedConversations = new Map<string, number>();
  let throttles: { count: number; retryAfterSeconds: number } = { count: 0, retryAfterSeconds: 1 };
  const accepted = new Map<string, number[]>();
  /** The first window one more call for `key` at `t` would overfill (accepted calls only), or none. */
  const overfilled = (key: string, windows: readonly EmulatedWindow[], t: number) => {
    const times = accepted.get(key) ?? [];
    for (const w of windows) {
      const inside = times.filter((x) => t - x < w.windowMs);
      if (inside.length >= w.limit) {
        return { ...w, shortByMs: w.windowMs - (t - inside[inside.length - w.limit]!) };
      }
    }
    return undefined;
  };
  const accept = (key: string, t: number) => {
    const times = accepted.get(key) ?? [];
    times.push(t);
    // An hour is the longest window Teams documents.
    while (times.length > 0 && t - times[0]! >= 3_600_000) times.shift();
    accepted.set(key, times);
  };
  const sent: SentActivity[] = [];
  const rosters = new Map<string, readonly RosterMember[]>();
  const meetingCalls: MeetingCall[] = [];
  const participants = new Map<string, string>();
  let meetingFailures: { count: number; status: number } = { count: 0, status: 500 };
  let failures: { count: number; status: number } = { count: 0, status: 500 };
  let delayMs = 0;
  let messageCalls = 0;
  let seq = 0;
  const known = new Set<string>();
  const waiters: Array<() => void> = [];

  const readBody = (req: IncomingMessage) =>
    new Promise<Record<string, unknown>>((resolve) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString('utf8')));
      req.on('end', () => resolve(data ? (JSON.parse(data) as Record<string, unknown>) : {}));
    });

  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const url = decodeURIComponent(req.url ?? '');
      const reply = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      const meetingApi = /^\/v1\/meetings\/([^/?]+)\/([^?]+)(?:\?(.*))?$/.exec(url);
      if (meetingApi) {
        const [, meetingId = '', path = '', query = ''] = meetingApi;
        meetingCalls.push({ method: req.method ?? '', meetingId, path, query, body });
        waiters.splice(0).forEach((w) => w());
        if (meetingFailures.count > 0) {
          meetingFailures.count -= 1;
          return reply(meetingFailures.status, { error: { code: 'Simulated', message: 'simulated failure' } });
        }
        if (req.method === 'POST' && path === 'notification') return reply(202, {});
        const participant = /^participants\/(.+)$/.exec(path);
        const role = participant ? participants.get(`${meetingId}|${participant[1] ?? ''}`) : undefined;
        if (req.method === 'GET' && participant && role) {
          return reply(200, {
            user: { id: `29:${participant[1] ?? ''}`, aadObjectId: participant[1], name: 'Participant' },
            meeting: { role, inMeeting: true },
            conversation: { id: 'meeting-chat', isGroup: true },
          });
        }
        return reply(404, { error: { code: 'NotFound', message: 'participant not found' } });
      }
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      const messageCallNumber =
        req.method !== 'GET' && /\/v3\/conversations(\/?$|\/[^/]+\/activities)/.test(url) ? messageCalls++ : -1;
      const held = messageCallNumber >= 0 ? (options.arrivalDelayMs?.(messageCallNumber) ?? 0) : 0;
      if (held > 0) await new Promise((r) => setTimeout(r, held));
      if (failures.count > 0) {
        failures.count -= 1;
        return reply(failures.status, { error: { code: 'Simulated', message: 'simulated failure' } });
      }
      const messageCall = /\/v3\/conversations\/?$/.test(url) || /\/v3\/conversations\/[^/]+\/activities/.test(url);
      if (messageCall && req.method !== 'GET') {
        const t = now();
        const created = /\/v3\/conversations\/?$/.test(url);
        const channel = (body as { channelData?: { channel?: { id?: string } } }).channelData?.channel?.id;
        const conversation = created ? (channel ?? 'created') : (/\/v3\/conversations\/([^/]+)/.exec(url)?.[1] ?? '');
        const conversationKey = conversation.split(';')[0] ?? '';
        const refuse = (status: number, retryAfterSeconds?: number, limit?: RefusedCall['limit']) => {
          refused.push({
            status,
            conversationKey,
            at: t,
            ...(retryAfterSeconds !== undefined ? { retryAfterMs: retryAfterSeconds * 1000 } : {}),
            ...(limit ? { limit } : {}),
          });
          if (retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(retryAfterSeconds));
          return reply(status, { error: { code: status === 429 ? 'Throttled' : 'Simulated', message: 'refused' } });
        };
        const gone = refusedConversations.get(conversationKey) ?? refusedConversations.get(conversation);
        if (gone) return refuse(gone);
        if (throttles.count > 0) {
          throttles.count -= 1;
          return refuse(429, throttles.retryAfterSeconds);
        }
        const limits = options.limits;
        if (limits) {
          const byConversation = overfilled(conversationKey, limits.conversation, t);
          const byTenant = byConversation ? undefined : overfilled('tenant', limits.tenant, t);
          const over = byConversation
            ? { scope: 'conversation' as const, ...byConversation }
            : byTenant && { scope: 'tenant' as const, ...byTenant };
          if (over) return refuse(429, options.retryAfterSeconds ?? 1, over);
        }
        if (options.transient503Rate && random() < options.transient503Rate) return refuse(503);
        if (limits) {
          accept(conversationKey, t);
          accept('tenant', t);
        }
      }
      if (req.method === 'POST' && /\/v3\/conversations\/?$/.test(url)) {
        seq += 1;
        // As Teams does for a new channel thread: the conversation id carries the first message's id.
        const params = body as { activity?: Record<string, unknown>; channelData?: { channel?: { id?: string } } };
        const channel = params.channelData?.channel?.id;
        const conversationId = channel ? `${channel};messageid=${seq}` : `created-${seq}`;
        const activityId = String(seq);
        if (params.activity) {
          known.add(`${conversationId}|${activityId}`);
          sent.push({
            method: 'POST',
            conversationId,
            activityId,
            body: { ...params.activity, createdIn: params.channelData ?? null },
            at: now(),
          });
          waiters.splice(0).forEach((w) => w());
        }
        return reply(200, { id: conversationId, activityId });
      }
      const paged = /\/v3\/conversations\/([^/?]+)\/pagedmembers/.exec(url);
      if (req.method === 'GET' && paged) return reply(200, { members: rosters.get(paged[1] ?? '') ?? [] });
      if (req.method === 'GET' && /\/members/.test(url)) return reply(200, []);
      const m = /\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?/.exec(url);
      if (m && req.method === 'PUT' && !known.has(`${m[1]}|${m[2]}`)) {
        // Teams refuses to update a message that is not in the conversation.
        return reply(404, {
          error: { code: 'ActivityNotFoundInConversation', message: 'Message does not exist in the thread.' },
        });
      }
      if (m && (req.method === 'POST' || req.method === 'PUT' || req.method === 'DELETE')) {
        seq += 1;
        const id = req.method === 'PUT' ? (m[2] ?? `act-${seq}`) : `act-${seq}`;
        const activityId = req.method === 'POST' ? id : m[2];
        if (req.method === 'POST') known.add(`${m[1] ?? ''}|${id}`);
        sent.push({
          method: req.method,
          conversationId: m[1] ?? '',
          ...(activityId !== undefined ? { activityId } : {}),
          body,
          at: now(),
        });
        waiters.splice(0).forEach((w) => w());
        return reply(200, { id });
      }
      return reply(404, { error: { code: 'NotFound', message: url } });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    sent,
    failNext: (count, status) => {
      failures = { count, status };
    },
    delay: (ms) => {
      delayMs = ms;
    },
    clear: () => {
      sent.length = 0;
      meetingCalls.length = 0;
      refused.length = 0;
    },
    refused,
    throttleNext: (count, retryAfterSeconds) => {
      throttles = { count, retryAfterSeconds };
    },
    refuseConversation: (conversationId, status) => {
      refusedConversations.set(conversationId, status);
    },
    meetingCalls,
    setParticipant: (meetingId, aadObjectId, role) => {
      participants.set(`${meetingId}|${aadObjectId}`, role);
    },
    failMeetingsNext: (count, status) => {
      meetingFailures = { count, status };
    },
    setRoster: (conversationId, members) => {
      rosters.set(conversationId, members);
    },
    waitFor: (predicate, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const deadline = setTimeout(() => reject(new Error('timed out waiting for the bot to send')), timeoutMs);
        const check = () => {
          const found = sent.find(predicate);
          if (found) {
            clearTimeout(deadline);
            resolve(found);
          } else waiters.push(check);
        };
        check();
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The text of every TextBlock in an activity's adaptive card attachments, joined. */
export function cardText(activity: Record<string, unknown>): string {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (typeof o.text === 'string') out.push(o.text);
      if (typeof o.title === 'string') out.push(o.title);
      if (typeof o.value === 'string' && o.type === undefined) out.push(o.value);
      Object.values(o).forEach(walk);
    }
  };
  walk(activity.attachments);
  return out.join('\n');
}
