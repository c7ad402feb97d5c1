import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTRIBUTE_KEYS, setTelemetryEnabled } from '../../src/telemetry/telemetry';
import { cardAction, message, personalConversation, postActivity, TENANT_ID, users } from '../support/activities';
import { enrolByCard, startTestApp, type TestApp } from '../support/app';

// Everything personal the turns below carry: none of it may reach a span or a metric.
const SUBJECT = { given: 'Quillon', family: 'Farthingale', pnc: '2011/0456789Z', alias: 'Qfar' };
const PERSONAL = [
  SUBJECT.given,
  SUBJECT.family,
  SUBJECT.pnc,
  SUBJECT.alias,
  ...Object.values(users).flatMap((u) => [u.name, u.aadObjectId, u.id, personalConversation(u).id]),
  'Zebedee Unmatched',
];

describe('telemetry: one span per turn and send, dependency spans, and nothing personal', () => {
  const spans = new InMemorySpanExporter();
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 60_000 });
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  const meterProvider = new MeterProvider({ readers: [reader] });
  let t: TestApp;

  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(tracerProvider);
    metrics.setGlobalMeterProvider(meterProvider);
    setTelemetryEnabled(true);
    t = await startTestApp('otel', { BOOTSTRAP_ADMIN_AAD_IDS: users.coordinator.aadObjectId });
  });
  afterAll(async () => {
    await t.stop();
    setTelemetryEnabled(false);
    await tracerProvider.shutdown();
    await meterProvider.shutdown();
    trace.disable();
    metrics.disable();
    context.disable();
  });

  it('traces turns by name and outcome only', async () => {
    await enrolByCard(t, users.coordinator, users.probation, 'probation', 'practitioner');
    const sent = await postActivity(
      t.url,
      cardAction(t.connector.url, users.probation, 'notification.submit', {
        draftId: 'otel-1',
        givenName: SUBJECT.given,
        familyName: SUBJECT.family,
        aliases: SUBJECT.alias,
        dateOfBirth: '1980-01-01',
        pnc: SUBJECT.pnc,
        crn: '',
        visor: '',
        prisonNumber: '',
        category: 'cat2',
        eligibilityReasons: 'Convicted of a specified violent offence\nCustody of 12 months or more',
        leadAgencyId: 'probation',
        sentenceDate: '2026-11-02',
        releaseDate: '',
        custodyStatus: 'custody',
        notes: `Lives with ${SUBJECT.alias}`,
      }),
    );
    expect(JSON.stringify(sent.body)).toContain('Notification sent');
    await postActivity(t.url, message(t.connector.url, users.probation, `find ${SUBJECT.family}`));
    await postActivity(t.url, message(t.connector.url, users.police, 'help'));
    await postActivity(t.url, message(t.connector.url, users.probation, 'Zebedee Unmatched'));

    const finished = spans.getFinishedSpans();
    const turns = finished.filter((s) => s.name === 'turn');
    expect(turns.length).toBeGreaterThanOrEqual(5);
    expect(turns.map((s) => s.attributes['mappa.verb'] ?? s.attributes['mappa.command'])).toEqual(
      expect.arrayContaining(['member.add', 'notification.submit', 'find', 'help']),
    );
    expect(turns.every((s) => typeof s.attributes['mappa.outcome'] === 'string')).toBe(true);
    expect(turns.map((s) => s.attributes['mappa.outcome'])).toEqual(expect.arrayContaining(['ok', 'unknown']));
    // Replies and proactive posts each get a send span under a turn; the database gets its own.
    const sends = finished.filter((s) => s.name === 'teams.send');
    expect(sends.length).toBeGreaterThanOrEqual(4);
    const turnIds = new Set(turns.map((s) => s.spanContext().spanId));
    expect(sends.some((s) => turnIds.has(s.parentSpanContext?.spanId ?? ''))).toBe(true);
    const db = finished.filter((s) => s.attributes['db.system'] === 'mongodb');
    expect(db.map((s) => s.attributes['db.mongodb.collection'])).toEqual(expect.arrayContaining(['notifications']));
    expect(db.some((s) => turnIds.has(s.parentSpanContext?.spanId ?? ''))).toBe(true);

    for (const s of finished) {
      for (const [key, value] of Object.entries(s.attributes)) {
        expect({ span: s.name, key, allowed: (ATTRIBUTE_KEYS as readonly string[]).includes(key) }).toEqual({
          span: s.name,
          key,
          allowed: true,
        });
        for (const p of PERSONAL) expect(String(value)).not.toContain(p);
      }
      expect(s.events).toEqual([]);
      expect(s.name).not.toContain(TENANT_ID);
    }
  });

  it('counts turns with the same allow-listed attributes', async () => {
    await reader.forceFlush();
    const exported = metricExporter.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((m) => m.metrics));
    const turns = exported.find((m) => m.descriptor.name === 'mappa.turns');
    expect(turns).toBeDefined();
    const total = turns!.dataPoints.reduce((n, p) => n + Number(p.value), 0);
    expect(total).toBeGreaterThanOrEqual(5);
    for (const m of exported) {
      for (const p of m.dataPoints) {
        for (const [key, value] of Object.entries(p.attributes)) {
          expect((ATTRIBUTE_KEYS as readonly string[]).includes(key)).toBe(true);
          for (const x of PERSONAL) expect(String(value)).not.toContain(x);
        }
      }
    }
  });
});
