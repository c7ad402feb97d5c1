import { createRefusalAudit, type RefusalAudit } from '../app/members/refusal-audit';
import type { AuditLog } from '../app/ports/audit-log.port';
import { systemClock } from '../app/ports/clock.port';
import type { Config } from '../config/config';
import { describeError, type Logger } from '../config/logger';

/** Refusals of other tenants, tallied in memory and audited per interval; `stop` writes the last tally. */
export function startRefusalAudit(
  config: Config,
  audit: AuditLog,
  areaId: string,
  logger: Logger,
): { readonly refusals: RefusalAudit; stop(): Promise<void> } {
  const refusals = createRefusalAudit({
    audit,
    clock: systemClock,
    areaId,
    onError: (e) => logger.error({ error: describeError(e) }, 'could not audit refused activities'),
  });
  const flush = async () => {
    const { tenants, refused } = await refusals.flush();
    // Counts only: which tenants is in the audit log.
    if (refused > 0) logger.warn({ tenants, refused }, 'refused activities from tenants not on the allow-list');
  };
  const timer = setInterval(() => void flush(), config.REFUSAL_AUDIT_INTERVAL_SECONDS * 1000);
  timer.unref();
  return {
    refusals,
    stop: async () => {
      clearInterval(timer);
      await flush();
      await refusals.settled();
    },
  };
}
