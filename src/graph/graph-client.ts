import { traceDependency } from '../telemetry/telemetry';
import { ConfidentialClientApplication, type Configuration } from '@azure/msal-node';
import { z } from 'zod';
import type { GroupUser } from '../app/members';

/*
 * The Microsoft Graph adapter for the member sync: an app-only token (client credentials) and a
 * reader of a security group's transitive user members. Only ids and display names leave Graph.
 */

/** App-only tokens carry the application permissions granted to the app (GroupMember.Read.All). */
/** Path words kept in a Graph span's name; every other segment (ids, mailboxes) becomes {id}. */
const GRAPH_PATH_WORDS = new Set([
  'v1.0',
  'beta',
  'users',
  'groups',
  'events',
  'calendar',
  'onlineMeetings',
  'transitiveMembers',
  'microsoft.graph.user',
]);

/** A Graph call's name for telemetry, e.g. `POST /users/{id}/events`: no ids, mailboxes or query. */
export function graphOperation(method: string, path: string): string {
  const segments = path
    .split('?')[0]!
    .split('/')
    .filter((x) => x !== '');
  return `${method} /${segments.map((x) => (GRAPH_PATH_WORDS.has(x) ? x : '{id}')).join('/')}`;
}

export const GRAPH_DEFAULT_SCOPE = 'https://graph.microsoft.com/.default';
export const GRAPH_V1_BASE_URL = 'https://graph.microsoft.com/v1.0';

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const Guid = z.string().trim().regex(GUID_RE, 'must be a GUID');

export const GraphTokenOptions = z.object({
  tenantId: Guid,
  clientId: Guid,
  clientSecret: z.string().min(1),
  /** Defaults to the public cloud; set it for a national cloud. MSAL accepts https authorities only. */
  authority: z.url({ protocol: /^https$/ }).optional(),
});
export type GraphTokenOptions = z.input<typeof GraphTokenOptions>;

/** The MSAL configuration the token provider uses; separate so it can be checked without a network. */
export function graphMsalConfiguration(options: GraphTokenOptions): Configuration {
  const o = GraphTokenOptions.parse(options);
  return {
    auth: {
      clientId: o.clientId,
      clientSecret: o.clientSecret,
      authority: o.authority ?? `https://login.microsoftonline.com/${o.tenantId}`,
    },
  };
}

/**
 * Returns a function yielding a Graph access token. MSAL caches the token and renews it shortly
 * before expiry, so calling it per request is cheap and keeps long pagings authorised.
 */
export function createGraphTokenProvider(options: GraphTokenOptions): () => Promise<string> {
  const app = new ConfidentialClientApplication(graphMsalConfiguration(options));
  return async () => {
    const result = await app.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT_SCOPE] });
    if (!result?.accessToken) throw new Error('Microsoft Entra returned no access token for Microsoft Graph');
    return result.accessToken;
  };
}

export type GraphFailureReason =
  'invalid_group_id' | 'token' | 'network' | 'status' | 'retries_exhausted' | 'malformed_response' | 'bad_next_link';

/**
 * Graph could not say who is in a group. The message names the group id only (configuration, not
 * personal data); the original error, if any, is kept as `cause` for diagnosis.
 */
export class GraphUnavailableError extends Error {
  override readonly name = 'GraphUnavailableError';
  constructor(
    readonly groupId: string,
    readonly reason: GraphFailureReason,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(
      `Microsoft Graph could not list the members of group ${groupId} (${reason}${status === undefined ? '' : ` ${status}`})`,
      options,
    );
  }
}

/** Reads the users in a security group, nested groups included. */
export interface GraphGroupReader {
  transitiveUserMembers(groupId: string): Promise<GroupUser[]>;
}

export interface GraphGroupReaderOptions {
  readonly baseUrl?: string;
  readonly getToken: () => Promise<string>;
  readonly fetchImpl?: typeof fetch;
  /** Retries after a throttled or unavailable answer, per request. */
  readonly maxRetries?: number;
  /** A Retry-After longer than this fails the read rather than stall a sync indefinitely. */
  readonly maxRetryDelayMs?: number;
  /** Back-off when Graph gives no Retry-After: doubles from this on each retry. */
  readonly initialBackoffMs?: number;
  readonly timeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** In [0, 1); spreads retries so several instances do not return in lockstep. */
  readonly random?: () => number;
}

const UserPage = z.object({
  value: z.array(
    z.object({
      id: Guid,
      displayName: z.string().nullish(),
    }),
  ),
  '@odata.nextLink': z.url().optional(),
});

const RETRYABLE = new Set([429, 503, 504]);

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Seconds or an HTTP date, per RFC 9110; anything else means "no advice". */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Reads groups through Graph, page by page via `@odata.nextLink`. Throttling (429) and unavailability
 * (503, 504) are retried a bounded number of times, honouring Retry-After; everything else fails with
 * `GraphUnavailableError` so the sync can stop before writing.
 */
export function createGraphGroupReader(options: GraphGroupReaderOptions): GraphGroupReader {
  const baseUrl = (options.baseUrl ?? GRAPH_V1_BASE_URL).replace(/\/+$/, '');
  const origin = new URL(baseUrl).origin;
  const fetchImpl = options.fetchImpl ?? fetch;
  const maxRetries = options.maxRetries ?? 3;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 60_000;
  const initialBackoffMs = options.initialBackoffMs ?? 1_000;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;

  async function getPage(groupId: string, url: string): Promise<z.infer<typeof UserPage>> {
    for (let attempt = 0; ; attempt++) {
      let token: string;
      try {
        token = await options.getToken();
      } catch (cause) {
        throw new GraphUnavailableError(groupId, 'token', undefined, { cause });
      }
      let response: Response;
      try {
        response = await traceDependency(
          'graph',
          { 'peer.service': 'graph', 'graph.operation': graphOperation('GET', new URL(url).pathname) },
          async (span) => {
            const r = await fetchImpl(url, {
              headers: {
                Authorization: `Bearer ${token}`,
                Accept: 'application/json',
                // The OData cast to microsoft.graph.user is an advanced query: Graph requires this header
                // and $count=true. The index it uses may lag group changes slightly; the next sync catches up.
                ConsistencyLevel: 'eventual',
              },
              signal: AbortSignal.timeout(timeoutMs),
            });
            span.setStatus(r.status);
            return r;
          },
        );
      } catch (cause) {
        throw new GraphUnavailableError(groupId, 'network', undefined, { cause });
      }
      if (response.ok) {
        let body: unknown;
        try {
          body = await response.json();
        } catch {
          // A JSON parser's message quotes the body, which may hold names: keep only the fact.
          throw new GraphUnavailableError(groupId, 'malformed_response', response.status, {
            cause: new Error('response body is not JSON'),
          });
        }
        const page = UserPage.safeParse(body);
        if (!page.success) {
          // The zod issues hold paths and codes only; the body, which holds names, is not kept.
          throw new GraphUnavailableError(groupId, 'malformed_response', response.status, {
            cause: new Error(page.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`).join('; ')),
          });
        }
        return page.data;
      }
      // Drain the body so the connection can be reused; its content is not needed.
      await response.body?.cancel().catch(() => undefined);
      if (!RETRYABLE.has(response.status)) throw new GraphUnavailableError(groupId, 'status', response.status);
      if (attempt >= maxRetries) throw new GraphUnavailableError(groupId, 'retries_exhausted', response.status);
      const advised = retryAfterMs(response.headers.get('retry-after'), Date.now());
      const base = advised ?? initialBackoffMs * 2 ** attempt;
      if (base > maxRetryDelayMs) throw new GraphUnavailableError(groupId, 'retries_exhausted', response.status);
      // Jitter only ever lengthens the wait, so Graph's Retry-After is never undercut.
      await sleep(Math.round(base + random() * Math.min(base * 0.2 + 100, 1_000)));
    }
  }

  return {
    async transitiveUserMembers(groupId) {
      const id = Guid.safeParse(groupId);
      // The id goes into the URL path, so anything but a GUID is refused before a request is made.
      if (!id.success) throw new GraphUnavailableError(String(groupId).slice(0, 64), 'invalid_group_id');
      const query = '$select=id,displayName&$top=999&$count=true';
      let url: string | undefined =
        `${baseUrl}/groups/${encodeURIComponent(id.data)}/transitiveMembers/microsoft.graph.user?${query}`;
      const users = new Map<string, GroupUser>();
      const visited = new Set<string>();
      while (url !== undefined) {
        visited.add(url);
        const page = await getPage(groupId, url);
        for (const user of page.value) {
          users.set(user.id, { aadObjectId: user.id, displayName: user.displayName ?? null });
        }
        const next = page['@odata.nextLink'];
        // The bearer token is only ever sent to Graph itself, whatever a response links to; a link
        // already followed would page forever.
        if (next !== undefined && (new URL(next).origin !== origin || visited.has(next))) {
          throw new GraphUnavailableError(groupId, 'bad_next_link');
        }
        url = next;
      }
      return [...users.values()];
    },
  };
}
