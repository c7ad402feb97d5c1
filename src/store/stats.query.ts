import type { Db, Document } from 'mongodb';
import type { StatsQuery } from '../app/stats/ports';
import { StatsFigures, type StatsPeriod } from '../app/stats/report.schema';
import { addDays, type IsoDate } from '../domain/dates';
import { ACTIONS } from './action.repository';
import { CASES } from './case.repository';
import { MEETINGS } from './meeting.repository';
import type { CollectionSpec } from './mongo';
import { NOTIFICATIONS } from './notification.repository';
import { REFERRALS } from './referral.repository';

/**
 * Indexes behind the statistics pipelines' first `$match`, beside the ones the repositories declare
 * (`cases_area_status` and `meetings_area_status_start` serve the rest). MongoDB
 * uses them; FerretDB v1 scans, which the local server is small enough for.
 */
export const STATS_INDEXES: readonly CollectionSpec[] = [
  { name: CASES.name, indexes: [{ key: { areaId: 1, 'history.decidedAt': 1 }, name: 'stats_cases_area_decided' }] },
  {
    name: NOTIFICATIONS.name,
    indexes: [{ key: { areaId: 1, createdAt: 1 }, name: 'stats_notifications_area_created' }],
  },
  {
    name: ACTIONS.name,
    indexes: [
      { key: { areaId: 1, status: 1, dueDate: 1 }, name: 'stats_actions_area_status_due' },
      { key: { areaId: 1, status: 1, completedOn: 1 }, name: 'stats_actions_area_status_completed' },
    ],
  },
  {
    name: REFERRALS.name,
    indexes: [
      { key: { areaId: 1, submittedAt: 1 }, name: 'stats_referrals_area_submitted' },
      { key: { areaId: 1, 'decision.decidedAt': 1 }, name: 'stats_referrals_area_decided' },
    ],
  },
];

/** The period's bounds for each way instants are stored: BSON dates, ISO strings, and ISO days. */
function bounds(period: StatsPeriod) {
  const end = addDays(period.to, 1);
  return {
    date: { $gte: new Date(`${period.from}T00:00:00Z`), $lt: new Date(`${end}T00:00:00Z`) },
    // ISO instants sort as text; a bare day sorts before every instant of that day.
    text: { $gte: period.from, $lt: end },
    day: { $gte: period.from, $lte: period.to },
  };
}

/**
 * Every pipeline of the report, by name, so a test can check each first `$match` against an index.
 * Only stages and operators FerretDB v1 runs: `$match`, `$unwind`, `$group` with `$sum`, `$project`.
 * No `$lookup`: every collection counted carries the area itself.
 */
export function statsPipelines(areaId: string, period: StatsPeriod, today: IsoDate) {
  const b = bounds(period);
  const count = { n: { $sum: 1 } };
  const inArea = { areaId };
  return {
    managed: {
      collection: CASES.name,
      pipeline: [
        { $match: { areaId, status: { $in: ['managed_l1', 'managed_l2', 'managed_l3'] } } },
        { $group: { _id: { category: '$category', level: '$level' }, ...count } },
      ],
    },
    decisions: {
      collection: CASES.name,
      pipeline: [
        { $match: { areaId, 'history.decidedAt': b.text } },
        { $unwind: '$history' },
        { $match: { 'history.decidedAt': b.text } },
        { $group: { _id: { kind: '$history.kind', from: '$history.from', to: '$history.to' }, ...count } },
      ],
    },
    notifications: {
      collection: NOTIFICATIONS.name,
      pipeline: [{ $match: { areaId, createdAt: b.date } }, { $group: { _id: { category: '$category' }, ...count } }],
    },
    referralsSubmitted: {
      collection: REFERRALS.name,
      pipeline: [{ $match: { areaId, submittedAt: b.date } }, { $count: 'n' }],
    },
    referralDecisions: {
      collection: REFERRALS.name,
      pipeline: [
        { $match: { areaId, 'decision.decidedAt': b.text } },
        { $group: { _id: { submittedAt: '$submittedAt', decidedAt: '$decision.decidedAt' }, ...count } },
      ],
    },
    meetings: {
      collection: MEETINGS.name,
      pipeline: [
        { $match: { areaId, status: 'held', scheduledStart: b.date } },
        {
          $group: {
            _id: { kind: '$kind', dueBy: '$dueBy', actualStart: '$run.actualStart', scheduledStart: '$scheduledStart' },
            ...count,
          },
        },
      ],
    },
    actionsCompleted: {
      collection: ACTIONS.name,
      pipeline: [
        { $match: { ...inArea, status: 'done', completedOn: b.day } },
        { $group: { _id: { agencyId: '$ownerAgencyId' }, ...count } },
      ],
    },
    actionsOpen: {
      collection: ACTIONS.name,
      pipeline: [
        { $match: { ...inArea, status: { $in: ['open', 'in_progress'] } } },
        { $group: { _id: { agencyId: '$ownerAgencyId' }, ...count } },
      ],
    },
    actionsOverdue: {
      collection: ACTIONS.name,
      pipeline: [
        { $match: { ...inArea, status: { $in: ['open', 'in_progress'] }, dueDate: { $lt: today } } },
        { $group: { _id: { agencyId: '$ownerAgencyId' }, ...count } },
      ],
    },
  } satisfies Record<string, { collection: string; pipeline: Document[] }>;
}

const iso = (v: unknown): string | null => (v instanceof Date ? v.toISOString() : typeof v === 'string' ? v : null);

export class MongoStatsQuery implements StatsQuery {
  constructor(private readonly db: Db) {}

  async figures(areaId: string, period: StatsPeriod, today: IsoDate): Promise<StatsFigures> {
    const p = statsPipelines(areaId, period, today);
    const run = async (q: { collection: string; pipeline: Document[] }) =>
      this.db.collection(q.collection).aggregate<{ _id: Record<string, unknown>; n: number }>(q.pipeline).toArray();
    const [managed, decisions, notifications, submitted, decided, meetings, completed, open, overdue] =
      await Promise.all([
        run(p.managed),
        run(p.decisions),
        run(p.notifications),
        run(p.referralsSubmitted),
        run(p.referralDecisions),
        run(p.meetings),
        run(p.actionsCompleted),
        run(p.actionsOpen),
        run(p.actionsOverdue),
      ]);
    const byAgency = new Map<string, { completed: number; open: number; overdue: number }>();
    const tally = (rows: typeof completed, field: 'completed' | 'open' | 'overdue') => {
      for (const r of rows) {
        const id = String(r._id['agencyId']);
        const entry = byAgency.get(id) ?? { completed: 0, open: 0, overdue: 0 };
        byAgency.set(id, { ...entry, [field]: entry[field] + r.n });
      }
    };
    tally(completed, 'completed');
    tally(open, 'open');
    tally(overdue, 'overdue');
    // Parsed like every stored read: a malformed group fails loudly rather than miscounting.
    return StatsFigures.parse({
      managed: managed.map((r) => ({ category: r._id['category'] ?? null, level: r._id['level'] ?? null, n: r.n })),
      decisions: decisions.map((r) => ({
        kind: r._id['kind'],
        from: r._id['from'] ?? null,
        to: r._id['to'],
        n: r.n,
      })),
      notifications: notifications.map((r) => ({ category: r._id['category'] ?? null, n: r.n })),
      referralsSubmitted: submitted[0]?.n ?? 0,
      referralDecisions: decided.map((r) => ({
        submittedAt: iso(r._id['submittedAt']),
        decidedAt: iso(r._id['decidedAt']),
        n: r.n,
      })),
      meetings: meetings.map((r) => ({
        kind: r._id['kind'],
        dueBy: r._id['dueBy'] ?? null,
        heldAt: iso(r._id['actualStart']) ?? iso(r._id['scheduledStart']),
        n: r.n,
      })),
      actions: [...byAgency].map(([agencyId, v]) => ({ agencyId, ...v })),
    });
  }
}
