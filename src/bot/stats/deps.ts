import type { StatsDeps, StatsFileFormat, StatsPeriod } from '../../app/stats';
import type { Principal } from '../../domain/policy';

/** What the `report` command needs: the use case's dependencies and single-use links for downloads. */
export interface StatsBotDeps {
  readonly run: StatsDeps;
  readonly link: (reader: Principal, period: StatsPeriod, format: StatsFileFormat) => string;
  readonly linkTtlSeconds: number;
  /** Above this many base64 characters the chart goes by a single-use link, not inside the card. */
  readonly maxInlineChartChars: number;
}
