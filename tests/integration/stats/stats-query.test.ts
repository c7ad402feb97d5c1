import type { DecisionRecord } from '../../../src/domain';
import { buildReport } from '../../../src/app/stats';
import { MongoStatsQuery } from '../../../src/store';
import { statsPipelines, STATS_INDEXES } from '../../../src/store/stats.query';
import { ALL_COLLECTIONS } from '../../../src/store';
import { aNewAction, aNewCase, aNewMeeting, aNewNotification, aRequestActor } from '../../fixtures/builders';
import { anArea, COORDINATOR } from '../../fixtures/domain-builders';
import { openTestStore, type TestStore } from '../../support/store';

const YEAR = { from: '2026-04-01', to: '2027-03-31' };
const TODAY = '2026-11-30';
const by = aRequestActor();

const decision = (kind: 'level' | 'category', from: unknown, to: unknown, decidedAt: string): DecisionRecord =>
  ({
    id: `d-${kind}-${decidedAt}`,
    kind,
    from,
    to,
    actor: COORDINATOR,
    decidedAt,
    rationale: 'Agreed by the panel.',
    source: { type: 'meeting', id: 'meeting-x' },
  }) as DecisionRecord;

describe('statistics pipelines on the real server', () => {
  let store: TestStore;
  const ew = anArea('england-wales', { id: 'area-ew' });
  const sc = anArea('scotland', { id: 'area-sc' });

  async function aCase(
    areaId: string,
    jurisdiction: 'england-wales' | 'scotland',
    category: string,
    level: 1 | 2 | 3,
    extra = {},
  ) {
    return store.repos.cases.create(
      aNewCase({ areaId, jurisdiction, category, level, status: `managed_l${level}`, ...extra } as never),
      { by },
    );
  }

  beforeAll(async () => {
    store = await openTestStore('stats');
    // England and Wales: 6 + 2 + 1 + 1 managed now; one exited case and one in another area do not count.
    for (let i = 0; i < 6; i += 1) await aCase('area-ew', 'england-wales', 'cat1', 1);
    await aCase('area-ew', 'england-wales', 'cat2', 2, {
      history: [
        decision('level', null, 1, '2026-03-01T10:00:00.000Z'),
        decision('level', 1, 2, '2026-05-10T10:00:00.000Z'),
        decision('category', 'cat1', 'cat2', '2026-06-01T10:00:00.000Z'),
      ],
    });
    await aCase('area-ew', 'england-wales', 'cat2', 2);
    await aCase('area-ew', 'england-wales', 'cat3', 3, {
      history: [decision('level', null, 3, '2026-07-01T10:00:00.000Z')],
    });
    await aCase('area-ew', 'england-wales', 'cat4', 1);
    await aCase('area-ew', 'england-wales', 'cat1', 1, { status: 'exited' });
    await aCase('area-other', 'england-wales', 'cat1', 1);

    for (const at of ['2026-03-20T09:00:00Z', '2026-04-02T09:00:00Z', '2026-05-02T09:00:00Z', '2026-10-02T09:00:00Z']) {
      store.clock.set(at);
      await store.repos.notifications.create(aNewNotification({ areaId: 'area-ew', category: 'cat2' }), { by });
    }
    const decided = (decidedAt: string) => ({
      outcome: 'accepted' as const,
      level: 2 as const,
      rationale: 'Meets Level 2.',
      decidedBy: COORDINATOR,
      decidedAt,
    });
    // Submission and decision move through the referral walk; written here as the store keeps them.
    let n = 0;
    const referral = (submittedAt: string, decidedAt?: string) =>
      store.db.collection('referrals').insertOne({
        _id: `referral-${(n += 1)}` as never,
        areaId: 'area-ew',
        status: decidedAt ? 'accepted' : 'submitted',
        sections: {},
        submittedAt: new Date(submittedAt),
        ...(decidedAt ? { decision: decided(decidedAt) } : {}),
        protectiveMarking: 'OFFICIAL-SENSITIVE',
        createdAt: new Date(submittedAt),
        version: 1,
      });
    await referral('2026-05-01T10:00:00.000Z', '2026-05-08T10:00:00.000Z'); // within 10 working days
    await referral('2026-06-01T10:00:00.000Z', '2026-07-15T10:00:00.000Z'); // late
    await referral('2026-09-01T10:00:00.000Z');
    await referral('2026-02-01T10:00:00.000Z', '2026-02-03T10:00:00.000Z'); // before the period

    const meeting = async (caseId: string, kind: 'initial' | 'review', dueBy: string, start: string, status = 'held') =>
      store.repos.meetings.create(
        aNewMeeting({
          areaId: 'area-ew',
          caseId,
          kind,
          sequence: kind === 'initial' ? 1 : 2,
          dueBy,
          scheduledStart: start,
          status,
        } as never),
        { by },
      );
    await meeting('c-1', 'initial', '2026-06-10', '2026-06-05T10:00:00.000Z'); // on time
    await meeting('c-2', 'review', '2026-08-01', '2026-08-05T10:00:00.000Z'); // late
    await meeting('c-3', 'review', '2026-09-30', '2026-09-20T10:00:00.000Z'); // on time
    await meeting('c-4', 'review', '2026-12-30', '2026-12-20T10:00:00.000Z', 'scheduled'); // not held

    const action = (
      ownerAgencyId: string,
      status: 'open' | 'in_progress' | 'done',
      dueDate: string,
      completedOn?: string,
    ) =>
      store.repos.actions.create(
        aNewAction({ areaId: 'area-ew', ownerAgencyId, status, dueDate, ...(completedOn ? { completedOn } : {}) }),
        { by },
      );
    await action('probation', 'done', '2026-06-10', '2026-06-01');
    await action('probation', 'open', '2026-10-01');
    await action('probation', 'open', '2027-01-01');
    await action('police', 'in_progress', '2026-11-01');
    await action('police', 'done', '2026-02-01', '2026-02-01'); // completed before the period

    // Scotland: its own categories, in the same report.
    for (let i = 0; i < 3; i += 1) await aCase('area-sc', 'scotland', 'cat1', 1);
    for (let i = 0; i < 2; i += 1) await aCase('area-sc', 'scotland', 'restricted_patient', 1);
    await aCase('area-sc', 'scotland', 'restricted_patient', 2);
    await aCase('area-sc', 'scotland', 'cat3', 2);
    store.clock.set('2026-06-02T09:00:00Z');
    await store.repos.notifications.create(aNewNotification({ areaId: 'area-sc', category: 'restricted_patient' }), {
      by,
    });
  });
  afterAll(() => store.close());

  const table = (report: ReturnType<typeof buildReport>, id: string) =>
    Object.fromEntries(report.tables.find((t) => t.id === id)!.rows.map((r) => [r.label, r.cells]));

  it('counts England and Wales figures with known answers', async () => {
    const figures = await new MongoStatsQuery(store.db).figures('area-ew', YEAR, TODAY);
    const report = buildReport(ew, YEAR, TODAY, figures, 1);
    expect(table(report, 'managed')).toEqual({
      'Category 1: registered sexual offenders': ['6', '0', '0', '6'],
      'Category 2: violent offenders': ['0', '2', '0', '2'],
      'Category 3: other dangerous offenders': ['0', '0', '1', '1'],
      'Category 4: terrorism and terrorism-risk offenders': ['1', '0', '0', '1'],
      Total: ['7', '2', '1', '10'],
    });
    const activity = table(report, 'activity');
    expect(activity).toMatchObject({
      'New notifications': ['3'],
      'Referrals submitted': ['3'],
      'Referral decisions made': ['2'],
      'Referral decisions within their deadline': ['1'],
      'Referral decisions after their deadline': ['1'],
      'Level 2 and 3 meetings held': ['3'],
      'Level 2 and 3 meetings held by their due date': ['2'],
      'Reviews held': ['2'],
      'Reviews held by their due date': ['1'],
      'Reviews held after their due date': ['1'],
      'Level 2 and 3 counts: decisions to Level 2': ['1'],
      'Level 2 and 3 counts: decisions to Level 3': ['1'],
      'Level changes': ['1'],
      'Levels first set': ['1'],
      'Category changes': ['1'],
    });
    expect(table(report, 'actions')).toEqual({
      Police: ['0', '1', '1'],
      'Probation Service': ['1', '2', '1'],
      Total: ['1', '3', '2'],
    });
    const months = table(report, 'months');
    expect(months['Jun 2026']).toEqual(['1', '0', '0', '0']);
    expect(months['Jul 2026']).toEqual(['0', '0', '0', '1']);
    expect(months['Aug 2026']).toEqual(['0', '1', '0', '0']);
    expect(months['May 2026']).toEqual(['0', '0', '1', '0']);
    expect(Object.keys(months)).toHaveLength(9); // Apr to Nov, and the total
  });

  it('counts Scotland in its own categories', async () => {
    const figures = await new MongoStatsQuery(store.db).figures('area-sc', YEAR, TODAY);
    const report = buildReport(sc, YEAR, TODAY, figures, 1);
    expect(table(report, 'managed')).toEqual({
      'Registered sex offenders': ['3', '0', '0', '3'],
      'Restricted patients': ['2', '1', '0', '3'],
      'Other risk of serious harm offenders': ['0', '1', '0', '1'],
      Total: ['5', '2', '0', '7'],
    });
    expect(table(report, 'activity')['New notifications']).toEqual(['1']);
    expect(table(report, 'actions')).toEqual({ Total: ['0', '0', '0'] });
  });

  it('suppresses small counts, and the totals that would reveal them', async () => {
    const figures = await new MongoStatsQuery(store.db).figures('area-sc', YEAR, TODAY);
    const managed = table(buildReport(sc, YEAR, TODAY, figures, 5), 'managed');
    // Every non-zero count here is under 5, so each line would give away its hidden cells.
    expect(managed['Registered sex offenders']).toEqual(['[c]', '0', '0', '[c]']);
    // The Level 2 total (2) is hidden, so the row of totals hides its next smallest figure too.
    expect(managed['Total']).toEqual(['[c]', '[c]', '0', '7']);
  });

  it("backs each pipeline's first $match with a declared index", () => {
    const declared = [...ALL_COLLECTIONS, ...STATS_INDEXES].flatMap((c) =>
      c.indexes.map((i) => ({ collection: c.name, keys: Object.keys(i.key) })),
    );
    for (const [name, q] of Object.entries(statsPipelines('a', YEAR, TODAY))) {
      const fields = Object.keys((q.pipeline[0] as { $match: object }).$match);
      const backed = declared.some(
        (i) =>
          i.collection === q.collection &&
          i.keys.slice(0, fields.length).every((k) => fields.includes(k)) &&
          fields.every((f) => i.keys.includes(f)),
      );
      expect({ name, backed }).toEqual({ name, backed: true });
    }
  });
});
