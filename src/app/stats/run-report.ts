import { ukDateOf } from '../../domain/dates';
import { can, type Principal } from '../../domain/policy';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import type { AuditLog } from '../ports/audit-log.port';
import type { Clock } from '../ports/clock.port';
import type { MemberRepository } from '../ports/member-repository.port';
import { requireArea } from '../shared/area';
import { chartSpec } from './chart-spec';
import type { StatsChartRenderer, StatsQuery } from './ports';
import type { StatsPeriod, StatsReport } from './report.schema';
import { buildReport } from './tables';

export interface StatsDeps {
  readonly query: StatsQuery;
  readonly chart: StatsChartRenderer;
  readonly members: Pick<MemberRepository, 'getArea'>;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly areaId: string;
  /** Counts from 1 to threshold - 1 are suppressed in everything that leaves the co-ordinator. */
  readonly threshold: number;
}

/** Where the figures go: every one is audited with its period, since figures leave the bot. */
export type StatsOutput = 'card' | 'csv' | 'docx' | 'png';

export type StatsError = AppError<'NOT_PERMITTED'>;

/**
 * The area's figures for a period, for a co-ordinator (checked here as well as by the router), with
 * the read audited. Nothing about any case is in the audit event: the area, the period and the output.
 */
export async function areaReport(
  deps: StatsDeps,
  reader: Principal,
  period: StatsPeriod,
  output: StatsOutput,
): Promise<Result<{ report: StatsReport; chartPng: Buffer }, StatsError>> {
  const decision = can(reader, 'stats.read');
  if (!decision.allowed) {
    await deps.audit.append({
      tenantId: reader.tenantId,
      areaId: deps.areaId,
      actorAadObjectId: reader.aadObjectId,
      action: 'access.denied',
      entity: { type: 'area', id: deps.areaId },
      outcome: 'denied',
      details: { attempted: 'stats.read' },
    });
    return err(appError('NOT_PERMITTED', 'The statistics are for MAPPA co-ordinators.'));
  }
  const area = await requireArea(deps.members, deps.areaId);
  const today = ukDateOf(deps.clock.now());
  const figures = await deps.query.figures(deps.areaId, period, today);
  const report = buildReport(area, period, today, figures, deps.threshold);
  const chartPng = await deps.chart.png(chartSpec(report));
  await deps.audit.append({
    tenantId: reader.tenantId,
    areaId: deps.areaId,
    actorAadObjectId: reader.aadObjectId,
    action: 'stats.viewed',
    entity: { type: 'area', id: deps.areaId },
    outcome: 'success',
    details: { from: period.from, to: period.to, output },
  });
  return ok({ report, chartPng });
}
