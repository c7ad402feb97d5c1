import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { OutboundWorker } from '../../../src/app/outbound';
import type { OutboundQueue } from '../../../src/app/ports/outbound-queue.port';
import { outboundTelemetry } from '../../../src/compose/outbound';
import { setTelemetryEnabled } from '../../../src/telemetry/telemetry';

/** The queue's port with nothing to send: only its depth and the calls made to it matter here. */
function emptyQueue(depths: number[]) {
  const calls = { depth: 0, claim: 0 };
  const queue: OutboundQueue = {
    enqueue: () => Promise.reject(new Error('not used')),
    claimDue: () => {
      calls.claim += 1;
      return Promise.resolve([]);
    },
    markDelivered: () => Promise.resolve(false),
    retryAt: () => Promise.resolve(false),
    markFailed: () => Promise.resolve(null),
    markReported: () => Promise.resolve(),
    unreportedFailures: () => Promise.resolve([]),
    get: () => Promise.resolve(null),
    purgeDelivered: () => Promise.resolve(0),
    depth: () => Promise.resolve(depths[calls.depth++] ?? 0),
  };
  return { queue, calls };
}

const until = async (done: () => boolean) => {
  for (let i = 0; i < 400 && !done(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('outbound queue depth', () => {
  it('is counted once per sweep of the worker, not per pass or message, and handed to the telemetry hook', async () => {
    let now = Date.parse('2026-06-01T09:00:00Z');
    const { queue, calls } = emptyQueue([12, 7, 3]);
    const seen: number[] = [];
    const worker = new OutboundWorker({
      queue,
      transport: { send: () => Promise.reject(new Error('not used')) },
      clock: { now: () => new Date(now) },
      owner: 'test',
      limits: { conversation: [], tenant: [], marginMs: 0 },
      // On the stopped clock the worker claims once and then waits for the clock to move.
      options: { idlePollMs: 2, reportSweepMs: 60_000 },
      onQueueDepth: (n) => seen.push(n),
    });
    worker.start();
    try {
      await until(() => seen.length >= 1 && calls.claim >= 1);
      expect(seen).toEqual([12]);
      // Further passes (each claims) within the minute: no further count.
      for (let i = 2; i <= 5; i++) {
        now += 10_000;
        await until(() => calls.claim >= i);
      }
      expect(calls.claim).toBe(5);
      expect(seen).toEqual([12]);
      now += 10_000;
      now += 30_000;
      await until(() => seen.length >= 2);
      expect(seen).toEqual([12, 7]);
      expect(calls.depth).toBe(2);
    } finally {
      await worker.stop();
    }
  });

  it('is recorded as the mappa.queue.depth gauge for the outbound queue by the composition', async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 });
    const provider = new MeterProvider({ readers: [reader] });
    metrics.setGlobalMeterProvider(provider);
    setTelemetryEnabled(true);
    try {
      outboundTelemetry.onQueueDepth(42);
      await reader.forceFlush();
      const points = exporter
        .getMetrics()
        .flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics))
        .filter((m) => m.descriptor.name === 'mappa.queue.depth')
        .flatMap((m) => m.dataPoints as { attributes: Record<string, unknown>; value: unknown }[]);
      expect(points.map((p) => [p.attributes['mappa.queue'], p.value])).toEqual([['outbound', 42]]);
    } finally {
      setTelemetryEnabled(false);
      await provider.shutdown();
      metrics.disable();
    }
  });
});
