import { graphOperation } from './graph-client';
import { traceDependency } from '../telemetry/telemetry';
import { z } from 'zod';
import type {
  OnlineMeetingCalendar,
  OnlineMeetingCreated,
  OnlineMeetingRequest,
} from '../app/ports/online-meeting.port';
import { GRAPH_V1_BASE_URL, retryAfterMs } from './graph-client';

/*
 * The Microsoft Graph adapter for meeting invitations: an Outlook event with `isOnlineMeeting` in the
 * organiser mailbox's calendar, which Exchange sends to the attendees as the invitation and Teams
 * gives a join link. App-only: Calendars.ReadWrite (scoped to the organiser mailbox by an Exchange
 * application access policy) and User.Read.All to find each attendee's address from their Entra id.
 */

export type GraphCalendarFailure =
  'token' | 'network' | 'timeout' | 'status' | 'retries_exhausted' | 'malformed_response' | 'no_attendees';

/** Graph could not make the invitation. Codes and a status only: never a name, address or body. */
export class GraphCalendarError extends Error {
  override readonly name = 'GraphCalendarError';
  constructor(
    readonly reason: GraphCalendarFailure,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(
      `Microsoft Graph could not create the meeting invitation (${reason}${status === undefined ? '' : ` ${status}`})`,
      options,
    );
  }
}

export interface GraphCalendarOptions {
  readonly baseUrl?: string;
  readonly getToken: () => Promise<string>;
  /** The mailbox that sends the invitations: a user principal name or an Entra object id. */
  readonly organiser: string;
  /** Per request: a Graph that does not answer in this time counts as a failed attempt. */
  readonly timeoutMs?: number;
  /** Retries after 429, 5xx or no answer, per request. */
  readonly maxRetries?: number;
  /** A Retry-After longer than this gives up rather than hold the invitations back. */
  readonly maxRetryDelayMs?: number;
  /** Back-off when Graph gives no Retry-After: doubles from this on each retry. */
  readonly initialBackoffMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const User = z.object({ mail: z.string().nullish(), userPrincipalName: z.string().nullish() });
const CreatedEvent = z.object({ onlineMeeting: z.object({ joinUrl: z.url() }) });

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Graph's dateTimeTimeZone: wall-clock text and a zone; UTC keeps it exact. */
const utc = (iso: string) => ({ dateTime: new Date(iso).toISOString().slice(0, 19), timeZone: 'UTC' });

export function createGraphCalendar(options: GraphCalendarOptions): OnlineMeetingCalendar {
  const baseUrl = (options.baseUrl ?? GRAPH_V1_BASE_URL).replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxRetries = options.maxRetries ?? 3;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 30_000;
  const initialBackoffMs = options.initialBackoffMs ?? 1_000;
  const sleep = options.sleep ?? defaultSleep;

  /** One Graph call with the retry policy; the body is parsed by the caller's schema, or null on 404. */
  async function call<T>(
    method: 'GET' | 'POST',
    path: string,
    schema: z.ZodType<T>,
    body?: unknown,
  ): Promise<T | null> {
    for (let attempt = 0; ; attempt++) {
      let token: string;
      try {
        token = await options.getToken();
      } catch (cause) {
        throw new GraphCalendarError('token', undefined, { cause });
      }
      let response: Response | undefined;
      let failure: GraphCalendarError | undefined;
      try {
        response = await traceDependency(
          'graph',
          { 'peer.service': 'graph', 'graph.operation': graphOperation(method, path) },
          async (span) => {
            const r = await fetch(`${baseUrl}${path}`, {
              method,
              headers: {
                Authorization: `Bearer ${token}`,
                Accept: 'application/json',
                ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
              },
              ...(body === undefined ? {} : { body: JSON.stringify(body) }),
              signal: AbortSignal.timeout(timeoutMs),
            });
            span.setStatus(r.status);
            return r;
          },
        );
      } catch (cause) {
        const timedOut = cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError');
        failure = new GraphCalendarError(timedOut ? 'timeout' : 'network', undefined, { cause });
      }
      if (response?.ok) {
        let json: unknown;
        try {
          json = await response.json();
        } catch {
          throw new GraphCalendarError('malformed_response', response.status);
        }
        const read = schema.safeParse(json);
        // The zod issues name paths and codes only; the body (names, addresses) is not kept.
        if (!read.success)
          throw new GraphCalendarError('malformed_response', response.status, {
            cause: new Error(read.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`).join('; ')),
          });
        return read.data;
      }
      let advised: number | undefined;
      if (response) {
        await response.body?.cancel().catch(() => undefined);
        if (response.status === 404 && method === 'GET') return null;
        if (response.status !== 429 && response.status < 500) throw new GraphCalendarError('status', response.status);
        advised = retryAfterMs(response.headers.get('retry-after'), Date.now());
        failure = new GraphCalendarError('retries_exhausted', response.status);
      }
      if (attempt >= maxRetries) throw failure ?? new GraphCalendarError('retries_exhausted');
      const wait = advised ?? initialBackoffMs * 2 ** attempt;
      if (wait > maxRetryDelayMs) throw new GraphCalendarError('retries_exhausted', response?.status);
      await sleep(wait);
    }
  }

  return {
    async create(request: OnlineMeetingRequest): Promise<OnlineMeetingCreated> {
      const addresses: string[] = [];
      for (const id of request.attendees) {
        const user = await call('GET', `/users/${encodeURIComponent(id)}?$select=mail,userPrincipalName`, User);
        const address = user?.mail ?? user?.userPrincipalName;
        if (address) addresses.push(address);
      }
      if (addresses.length === 0) throw new GraphCalendarError('no_attendees');
      const created = await call('POST', `/users/${encodeURIComponent(options.organiser)}/events`, CreatedEvent, {
        subject: request.subject,
        body: { contentType: 'text', content: request.body },
        start: utc(request.start),
        end: utc(request.end),
        attendees: addresses.map((address) => ({ emailAddress: { address }, type: 'required' })),
        isOnlineMeeting: true,
        onlineMeetingProvider: 'teamsForBusiness',
        allowNewTimeProposals: false,
        // Graph's own idempotency: a POST retried after a timeout returns the event already made.
        transactionId: request.meetingId,
      });
      if (!created) throw new GraphCalendarError('malformed_response');
      return { joinUrl: created.onlineMeeting.joinUrl };
    },
  };
}
