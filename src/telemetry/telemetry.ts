import {
  context,
  metrics,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Counter,
  type Gauge,
  type Histogram,
  type Span,
} from '@opentelemetry/api';

/**
 * Traces and metrics through the stable OpenTelemetry API only: without a registered provider (no
 * APPLICATIONINSIGHTS_CONNECTION_STRING) every call here is a no-op. The SDK lives in ./azure-monitor.
 *
 * No attribute may carry personal data: no text, names, Entra ids, case references or conversation
 * ids, hashed or not (a hash of a small set of ids is reversible). Every key written anywhere is in
 * ATTRIBUTE_KEYS, and values are names from fixed catalogues, outcomes, counts and status codes.
 */
export const ATTRIBUTE_KEYS = [
  'mappa.activity.type',
  'mappa.command',
  'mappa.verb',
  'mappa.outcome',
  'mappa.outbound.activity_type',
  'mappa.outbound.count',
  'mappa.queue',
  'mappa.where',
  'mappa.error.class',
  'db.system',
  'db.name',
  'db.operation',
  'db.mongodb.collection',
  'peer.service',
  'graph.operation',
  'http.response.status_code',
] as const;
export type AttributeKey = (typeof ATTRIBUTE_KEYS)[number];
type SafeAttributes = Partial<Record<AttributeKey, string | number | boolean>>;

const NAME = 'mappa-teams-bot';
const tracer = () => trace.getTracer(NAME);

let enabled = false;
/** Whether a provider was started (gates work that costs even with a no-op tracer, e.g. driver events). */
export function telemetryEnabled(): boolean {
  return enabled;
}
export function setTelemetryEnabled(on: boolean): void {
  enabled = on;
  instruments = undefined;
}

interface Instruments {
  readonly turns: Counter;
  readonly errors: Counter;
  readonly turnDuration: Histogram;
  readonly reminderLag: Histogram;
  readonly queueDepth: Gauge;
}
let instruments: Instruments | undefined;
/** Made on first use after the provider is set: the API's meters are not proxies, unlike its tracers. */
function meter(): Instruments {
  if (instruments) return instruments;
  const m = metrics.getMeter(NAME);
  instruments = {
    turns: m.createCounter('mappa.turns', { description: 'Activities handled' }),
    errors: m.createCounter('mappa.errors', { description: 'Turns, sends and jobs that failed' }),
    turnDuration: m.createHistogram('mappa.turn.duration', { unit: 'ms', description: 'Time to handle one activity' }),
    reminderLag: m.createHistogram('mappa.reminder.lag', {
      unit: 'ms',
      description: 'How late a reminder went out: send time minus when it was due',
    }),
    queueDepth: m.createGauge('mappa.queue.depth', { description: 'Items waiting, by queue' }),
  };
  return instruments;
}

function errorClass(e: unknown): string {
  // The class name only: a message may quote what the user typed.
  return e instanceof Error ? e.name.slice(0, 60) : typeof e;
}

/** The per-turn facts the router learns after the turn has started. Names only, from fixed catalogues. */
export interface TurnNote {
  readonly command?: string;
  readonly verb?: string;
  readonly outcome?: 'ok' | 'refused' | 'denied' | 'bad_input' | 'unknown';
}

/** One SERVER span (an Application Insights request) per activity, with the turn counter and duration. */
export async function traceTurn<T>(activityType: string, run: (note: (n: TurnNote) => void) => Promise<T>): Promise<T> {
  const started = performance.now();
  const span = tracer().startSpan('turn', {
    kind: SpanKind.SERVER,
    attributes: { 'mappa.activity.type': activityType } satisfies SafeAttributes,
  });
  let outcome = 'ok';
  const note = (n: TurnNote) => {
    if (n.command) span.setAttribute('mappa.command', n.command);
    if (n.verb) span.setAttribute('mappa.verb', n.verb);
    if (n.outcome) outcome = n.outcome;
  };
  try {
    return await context.with(trace.setSpan(context.active(), span), () => run(note));
  } catch (e) {
    outcome = 'error';
    fail(span, e);
    meter().errors.add(1, { 'mappa.activity.type': activityType, 'mappa.error.class': errorClass(e) });
    throw e;
  } finally {
    span.setAttribute('mappa.outcome', outcome);
    span.end();
    const attrs: SafeAttributes = { 'mappa.activity.type': activityType, 'mappa.outcome': outcome };
    meter().turns.add(1, attrs);
    meter().turnDuration.record(performance.now() - started, attrs);
  }
}

function fail(span: Span, e: unknown): void {
  span.setAttribute('mappa.error.class', errorClass(e));
  // No recordException: its message and stack may quote personal data.
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/** A CLIENT span (an Application Insights dependency) around one call out of the process. */
export async function traceDependency<T>(
  name: string,
  attributes: SafeAttributes,
  run: (span: { setStatus(code: number): void }) => Promise<T>,
): Promise<T> {
  const span = tracer().startSpan(name, { kind: SpanKind.CLIENT, attributes: attributes as Attributes });
  try {
    return await context.with(trace.setSpan(context.active(), span), () =>
      run({ setStatus: (code) => span.setAttribute('http.response.status_code', code) }),
    );
  } catch (e) {
    fail(span, e);
    meter().errors.add(1, { 'peer.service': String(attributes['peer.service'] ?? name) });
    throw e;
  } finally {
    span.end();
  }
}

/** One span per batch of activities sent to Teams (a reply or a proactive message). */
export function traceOutbound<T>(activityTypes: readonly string[], send: () => Promise<T>): Promise<T> {
  const known = activityTypes.every((t) => /^[A-Za-z]{1,40}$/.test(t)) ? activityTypes.join(',') : 'other';
  return traceDependency(
    'teams.send',
    { 'peer.service': 'teams', 'mappa.outbound.activity_type': known, 'mappa.outbound.count': activityTypes.length },
    () => send(),
  );
}

/** Reminder lag: now − nextAt when a reminder is sent. */
export function recordReminderLag(ms: number): void {
  meter().reminderLag.record(Math.max(0, ms));
}

/**
 * Items waiting in a named queue: `reminders.due` from each sweep; `outbound` from each sweep of
 * the outbound worker (every `reportSweepMs`), so counting costs nothing per message.
 */
export function recordQueueDepth(queue: 'reminders.due' | 'outbound', depth: number): void {
  meter().queueDepth.record(depth, { 'mappa.queue': queue });
}

/** An error outside a turn (a job, a sweep): counted by where, never by what it said. */
export function countError(where: 'reminder.sweep' | 'scheduler.job', e: unknown): void {
  meter().errors.add(1, { 'mappa.where': where, 'mappa.error.class': errorClass(e) });
}

/** The span the current async context runs in, for a child started by driver events. */
export function startChildSpan(name: string, attributes: SafeAttributes): Span {
  return tracer().startSpan(name, { kind: SpanKind.CLIENT, attributes: attributes as Attributes }, context.active());
}
export { fail as failSpan };
