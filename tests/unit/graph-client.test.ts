import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GroupMemberReader } from '../../src/app/members';
import {
  createGraphGroupReader,
  createGraphTokenProvider,
  GRAPH_DEFAULT_SCOPE,
  graphMsalConfiguration,
  GraphUnavailableError,
  type GraphGroupReaderOptions,
} from '../../src/graph/graph-client';

const GROUP = '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b';
const TENANT = '7c0b2a55-1d2e-4f6a-9b8c-0d1e2f3a4b5c';
const CLIENT = '0b8a4a4c-3c1d-4e5f-8a9b-0c1d2e3f4a5b';

// Invented people.
const ADA = { id: 'aaaaaaaa-0000-4000-8000-000000000001', displayName: 'Ada Fenwick' };
const BEN = { id: 'bbbbbbbb-0000-4000-8000-000000000002', displayName: 'Ben Ashcombe' };
const CAL = { id: 'cccccccc-0000-4000-8000-000000000003', displayName: null };

interface Reply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  raw?: string;
}
interface Seen {
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
}

/** A stand-in for Graph on loopback: answers from a per-test script and records what it was sent. */
function fakeGraph() {
  let script: ((seen: Seen, n: number) => Reply) | undefined;
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const request = { path: url.pathname, query: url.searchParams, headers: req.headers };
    seen.push(request);
    const reply = script?.(request, seen.length) ?? { status: 404, body: { error: { code: 'NotFound' } } };
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
    res.end(reply.raw ?? JSON.stringify(reply.body ?? {}));
  });
  return {
    server,
    seen,
    url: '',
    answer(fn: (seen: Seen, n: number) => Reply) {
      script = fn;
    },
    reset() {
      script = undefined;
      seen.length = 0;
    },
  };
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

const graph = fakeGraph();
const elsewhere = fakeGraph();
let base: string;
let sleeps: number[];
let tokensIssued: number;

beforeAll(async () => {
  graph.url = await listen(graph.server);
  elsewhere.url = await listen(elsewhere.server);
  base = `${graph.url}/v1.0`;
});

afterAll(async () => {
  await close(graph.server);
  await close(elsewhere.server);
});

beforeEach(() => {
  graph.reset();
  elsewhere.reset();
  sleeps = [];
  tokensIssued = 0;
});

function reader(over: Partial<GraphGroupReaderOptions> = {}) {
  return createGraphGroupReader({
    baseUrl: base,
    getToken: async () => `token-${++tokensIssued}`,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0,
    ...over,
  });
}

async function failure(promise: Promise<unknown>): Promise<GraphUnavailableError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GraphUnavailableError);
  return error as GraphUnavailableError;
}

describe('createGraphGroupReader', () => {
  it('asks for the transitive user members of the group with the fields and page size it needs', async () => {
    graph.answer(() => ({ body: { value: [ADA] } }));

    await reader().transitiveUserMembers(GROUP);

    expect(graph.seen).toHaveLength(1);
    const [request] = graph.seen;
    expect(request?.path).toBe(`/v1.0/groups/${GROUP}/transitiveMembers/microsoft.graph.user`);
    expect(request?.query.get('$select')).toBe('id,displayName');
    expect(request?.query.get('$top')).toBe('999');
    expect(request?.query.get('$count')).toBe('true');
    expect(request?.headers['consistencylevel']).toBe('eventual');
  });

  it('follows @odata.nextLink until the last page and returns every user once', async () => {
    graph.answer((req) => {
      const token = req.query.get('$skiptoken');
      const next = (t: string) => `${base}/groups/${GROUP}/transitiveMembers/microsoft.graph.user?$skiptoken=${t}`;
      if (token === null) return { body: { value: [ADA], '@odata.nextLink': next('p2') } };
      if (token === 'p2') return { body: { value: [BEN, ADA], '@odata.nextLink': next('p3') } };
      return { body: { '@odata.context': 'ignored', value: [CAL] } };
    });

    const users = await reader().transitiveUserMembers(GROUP);

    expect(users).toEqual([
      { aadObjectId: ADA.id, displayName: ADA.displayName },
      { aadObjectId: BEN.id, displayName: BEN.displayName },
      { aadObjectId: CAL.id, displayName: null },
    ]);
    expect(graph.seen.map((s) => s.query.get('$skiptoken'))).toEqual([null, 'p2', 'p3']);
  });

  it('sends the token from getToken as a bearer token on every request', async () => {
    graph.answer((req) =>
      req.query.has('$skiptoken')
        ? { body: { value: [] } }
        : {
            body: {
              value: [ADA],
              '@odata.nextLink': `${base}/groups/${GROUP}/transitiveMembers/microsoft.graph.user?$skiptoken=x`,
            },
          },
    );

    await reader().transitiveUserMembers(GROUP);

    expect(graph.seen.map((s) => s.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it('waits as long as Retry-After asks after a 429, then succeeds', async () => {
    graph.answer((_req, n) =>
      n === 1 ? { status: 429, headers: { 'Retry-After': '2' }, body: {} } : { body: { value: [ADA] } },
    );

    const users = await reader().transitiveUserMembers(GROUP);

    expect(users).toEqual([{ aadObjectId: ADA.id, displayName: ADA.displayName }]);
    expect(graph.seen).toHaveLength(2);
    expect(sleeps).toEqual([2000]);
  });

  it('adds jitter on top of Retry-After, never below it', async () => {
    graph.answer((_req, n) => (n === 1 ? { status: 429, headers: { 'Retry-After': '1' } } : { body: { value: [] } }));

    await reader({ random: () => 0.999 }).transitiveUserMembers(GROUP);

    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThan(1000);
    expect(sleeps[0]).toBeLessThanOrEqual(1300);
  });

  it('backs off exponentially on 503 and 504 without Retry-After', async () => {
    graph.answer((_req, n) => (n === 1 ? { status: 503 } : n === 2 ? { status: 504 } : { body: { value: [BEN] } }));

    const users = await reader({ initialBackoffMs: 100 }).transitiveUserMembers(GROUP);

    expect(users).toHaveLength(1);
    expect(sleeps).toEqual([100, 200]);
  });

  it('gives up after maxRetries retries with GraphUnavailableError', async () => {
    graph.answer(() => ({ status: 429, headers: { 'Retry-After': '0' } }));

    const error = await failure(reader({ maxRetries: 2 }).transitiveUserMembers(GROUP));

    expect(error.reason).toBe('retries_exhausted');
    expect(error.status).toBe(429);
    expect(graph.seen).toHaveLength(3);
  });

  it('fails rather than wait when Retry-After exceeds the bound', async () => {
    graph.answer(() => ({ status: 503, headers: { 'Retry-After': '3600' } }));

    const error = await failure(reader({ maxRetryDelayMs: 60_000 }).transitiveUserMembers(GROUP));

    expect(error.reason).toBe('retries_exhausted');
    expect(sleeps).toEqual([]);
  });

  it('fails at once on a 500, naming the group and nothing from the response', async () => {
    graph.answer(() => ({ status: 500, body: { error: { message: `lookup failed for ${ADA.displayName}` } } }));

    const error = await failure(reader().transitiveUserMembers(GROUP));

    expect(error.reason).toBe('status');
    expect(error.status).toBe(500);
    expect(error.groupId).toBe(GROUP);
    expect(error.message).toContain(GROUP);
    expect(error.message).not.toContain(ADA.displayName);
    expect(graph.seen).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it.each([
    { name: 'a body that is not JSON', reply: { raw: `<html>${ADA.displayName}</html>` } },
    { name: 'a body without value', reply: { body: { users: [ADA] } } },
    {
      name: 'a member whose id is not a GUID',
      reply: { body: { value: [{ id: ADA.displayName, displayName: ADA.displayName }] } },
    },
    { name: 'a nextLink that is not a URL', reply: { body: { value: [ADA], '@odata.nextLink': 'page 2' } } },
  ])('rejects $name as a malformed response without echoing it', async ({ reply }) => {
    graph.answer(() => reply);

    const error = await failure(reader().transitiveUserMembers(GROUP));

    expect(error.reason).toBe('malformed_response');
    expect(error.message).not.toContain(ADA.displayName);
    expect(String((error.cause as Error | undefined)?.message)).not.toContain(ADA.displayName);
  });

  it('never sends the token to a nextLink outside Graph', async () => {
    elsewhere.answer(() => ({ body: { value: [] } }));
    graph.answer(() => ({
      body: { value: [ADA], '@odata.nextLink': `${elsewhere.url}/v1.0/groups/${GROUP}/members?$skiptoken=x` },
    }));

    const error = await failure(reader().transitiveUserMembers(GROUP));

    expect(error.reason).toBe('bad_next_link');
    expect(elsewhere.seen).toEqual([]);
  });

  it('stops when a nextLink points back at a page already read', async () => {
    const first = `${base}/groups/${GROUP}/transitiveMembers/microsoft.graph.user?$select=id,displayName&$top=999&$count=true`;
    graph.answer(() => ({ body: { value: [ADA], '@odata.nextLink': first } }));

    const error = await failure(reader().transitiveUserMembers(GROUP));

    expect(error.reason).toBe('bad_next_link');
    expect(graph.seen).toHaveLength(1);
  });

  it('refuses a group id that is not a GUID before making any request', async () => {
    const error = await failure(reader().transitiveUserMembers('../users'));

    expect(error.reason).toBe('invalid_group_id');
    expect(graph.seen).toEqual([]);
  });

  it('reports a token failure as GraphUnavailableError keeping the cause', async () => {
    const cause = new Error('invalid_client');

    const error = await failure(
      reader({
        getToken: async () => {
          throw cause;
        },
      }).transitiveUserMembers(GROUP),
    );

    expect(error.reason).toBe('token');
    expect(error.cause).toBe(cause);
    expect(graph.seen).toEqual([]);
  });

  it('satisfies the port the member sync reads through', () => {
    const port: GroupMemberReader = reader();
    expect(typeof port.transitiveUserMembers).toBe('function');
  });
});

/*
 * MSAL refuses any authority that is not https (ClientConfigurationError authority_uri_insecure), so
 * the client-credentials exchange cannot be pointed at the loopback fake. These tests cover the
 * configuration and the wiring by type; no token is requested.
 */
describe('createGraphTokenProvider', () => {
  const options = { tenantId: TENANT, clientId: CLIENT, clientSecret: 'not-a-real-secret' };

  it('asks for the Graph default scope', () => {
    expect(GRAPH_DEFAULT_SCOPE).toBe('https://graph.microsoft.com/.default');
  });

  it('configures MSAL for the tenant unless an authority is given', () => {
    expect(graphMsalConfiguration(options).auth).toEqual({
      clientId: CLIENT,
      clientSecret: 'not-a-real-secret',
      authority: `https://login.microsoftonline.com/${TENANT}`,
    });
    const sovereign = `https://login.microsoftonline.us/${TENANT}`;
    expect(graphMsalConfiguration({ ...options, authority: sovereign }).auth.authority).toBe(sovereign);
  });

  it.each([
    { name: 'a tenant id that is not a GUID', over: { tenantId: 'contoso' } },
    { name: 'a client id that is not a GUID', over: { clientId: 'mappa-bot' } },
    { name: 'an empty secret', over: { clientSecret: '' } },
    { name: 'a plain-http authority', over: { authority: `http://127.0.0.1/${TENANT}` } },
  ])('refuses $name', ({ over }) => {
    expect(() => createGraphTokenProvider({ ...options, ...over })).toThrow();
  });

  it('returns a token function the group reader accepts', () => {
    const getToken: () => Promise<string> = createGraphTokenProvider(options);
    const port: GroupMemberReader = createGraphGroupReader({ getToken });
    expect(typeof getToken).toBe('function');
    expect(typeof port.transitiveUserMembers).toBe('function');
  });
});
