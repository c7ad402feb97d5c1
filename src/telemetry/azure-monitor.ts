import type * as Distro from '@azure/monitor-opentelemetry';
import { setTelemetryEnabled } from './telemetry';

export interface RunningTelemetry {
  /** Flushes what is buffered and stops exporting (at shutdown). */
  stop(): Promise<void>;
}

/**
 * Exports traces and metrics to Application Insights through the Azure Monitor OpenTelemetry distro.
 * The only module that touches the SDK, and it loads it here, at start, only when a connection string
 * is configured: a bot without one never loads it (tests/integration/lazy-modules.test.ts).
 *
 * The distro's automatic instrumentations are off. The HTTP one would record URLs, and Bot Connector
 * URLs hold conversation ids and document links hold signed tokens; the MongoDB one would record
 * statements. Turns, sends, Graph and MongoDB get spans from ./telemetry instead, with allow-listed
 * attributes only.
 */
export function startAzureMonitor(connectionString: string, serviceName: string): RunningTelemetry {
  process.env.OTEL_SERVICE_NAME ??= serviceName;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when telemetry is configured
  const distro = require('@azure/monitor-opentelemetry') as typeof Distro;
  const off = { enabled: false };
  distro.useAzureMonitor({
    azureMonitorExporterOptions: { connectionString },
    // Live metrics would show requests' details in the portal outside the retention of the workspace.
    enableLiveMetrics: false,
    instrumentationOptions: {
      azureSdk: off,
      http: off,
      mongoDb: off,
      mySql: off,
      postgreSql: off,
      redis: off,
      redis4: off,
      bunyan: off,
      winston: off,
    },
  });
  setTelemetryEnabled(true);
  return {
    stop: async () => {
      setTelemetryEnabled(false);
      await distro.shutdownAzureMonitor();
    },
  };
}
