import type { ReferralSections } from '../../../src/domain';
import { unwrap } from '../../../src/lib/result';
import {
  aNewReferral,
  aRequestActor,
  COORDINATOR,
  completeReferralSections,
  PRACTITIONER,
} from '../../fixtures/builders';
import { openTestStore, type TestStore } from '../../support/store';

describe('MongoReferralRepository on the real server', () => {
  let store: TestStore;
  const by = aRequestActor({ ...PRACTITIONER });
  const coordinator = aRequestActor();
  const decision = (outcome: 'accepted' | 'declined') => ({
    outcome,
    level: 2 as const,
    rationale: 'Release needs housing and victim safety work across agencies.',
    decidedBy: COORDINATOR,
    decidedAt: '2026-03-05T10:00:00.000Z',
  });

  beforeAll(async () => {
    store = await openTestStore('referrals');
  });
  afterAll(() => store.close());

  it('round-trips a complete referral, police-only fields included', async () => {
    const r = await store.repos.referrals.create(aNewReferral({ areaId: 'area-rt' }), { by });
    expect(r).toMatchObject({ status: 'draft', version: 0, protectiveMarking: 'OFFICIAL-SENSITIVE' });
    expect(r.sections.risk?.visorIntelligence).toBe('Police-only note');
    expect(unwrap(await store.repos.referrals.get(r.id))).toEqual(r);
  });

  it('saves draft sections, then submits the version the referrer reviewed', async () => {
    const partial: Partial<ReferralSections> = completeReferralSections();
    delete partial.risk;
    const r = await store.repos.referrals.create(aNewReferral({ areaId: 'area-flow', sections: partial }), { by });
    expect(r.sections.risk).toBeUndefined();
    const saved = unwrap(
      await store.repos.referrals.update(
        r.id,
        0,
        { sections: { ...r.sections, risk: completeReferralSections().risk } },
        { by },
      ),
    );
    expect(saved).toMatchObject({ version: 1, sections: { risk: { roshSetting: 'custody' } } });

    expect(await store.repos.referrals.submit(r.id, 0, '2026-03-04T12:00:00.000Z', { by })).toMatchObject({
      ok: false,
      error: { code: 'VERSION_CONFLICT' },
    });
    const submitted = unwrap(await store.repos.referrals.submit(r.id, 1, '2026-03-04T12:00:00.000Z', { by }));
    expect(submitted).toMatchObject({ status: 'submitted', submittedAt: '2026-03-04T12:00:00.000Z', version: 2 });
    expect(await store.repos.referrals.submit(r.id, 2, '2026-03-04T12:00:00.000Z', { by })).toMatchObject({
      ok: false,
      error: { code: 'ILLEGAL_TRANSITION' },
    });
    expect(await store.repos.referrals.update(r.id, 2, { caseId: 'case-1' }, { by })).toMatchObject({
      ok: false,
      error: { code: 'ILLEGAL_TRANSITION' },
    });
    expect(unwrap(await store.repos.referrals.get(r.id))).toEqual(submitted);
  });

  it('is decided once: the second of two concurrent decisions gets ALREADY_DECIDED', async () => {
    const r = await store.repos.referrals.create(aNewReferral({ areaId: 'area-decide' }), { by });
    expect(await store.repos.referrals.decide(r.id, decision('accepted'), { by: coordinator })).toMatchObject({
      ok: false,
      error: { code: 'ILLEGAL_TRANSITION', meta: { status: 'draft' } },
    });
    unwrap(await store.repos.referrals.submit(r.id, 0, '2026-03-04T12:00:00.000Z', { by }));
    const results = await Promise.all([
      store.repos.referrals.decide(r.id, decision('accepted'), { by: coordinator }),
      store.repos.referrals.decide(r.id, decision('declined'), { by: coordinator }),
    ]);
    expect(results.filter((x) => x.ok)).toHaveLength(1);
    const winner = unwrap(results.find((x) => x.ok)!);
    expect(results.find((x) => !x.ok)).toMatchObject({
      ok: false,
      error: { code: 'ALREADY_DECIDED', meta: { status: winner.status } },
    });
    expect(winner.decision?.outcome).toBe(winner.status);
    expect(await store.repos.referrals.withdraw(r.id, { by })).toMatchObject({
      ok: false,
      error: { code: 'ALREADY_DECIDED' },
    });
    const trail = await store.repos.audit.listForEntity('referral', r.id);
    expect(trail.map((e) => e.action)).toEqual(['referral.created', 'referral.submitted', 'referral.decided']);
    expect(trail[2]!.details).toEqual({ outcome: winner.status, level: 2 });
  });

  it('withdraws a draft or a submitted referral', async () => {
    const r = await store.repos.referrals.create(aNewReferral({ areaId: 'area-withdraw' }), { by });
    expect(unwrap(await store.repos.referrals.withdraw(r.id, { by }))).toMatchObject({
      status: 'withdrawn',
      version: 1,
    });
    expect(await store.repos.referrals.withdraw('missing', { by })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('lists by status (oldest first) and by referrer (newest first)', async () => {
    const lister = { aadObjectId: '00000000-0000-4000-8000-0000000000bb', displayName: 'Lee Listed' };
    const mineSections = {
      ...completeReferralSections(),
      referrer: { ...completeReferralSections().referrer, referrer: lister },
    };
    const other = { ...completeReferralSections().referrer, referrer: COORDINATOR };
    store.clock.set('2026-03-10T09:00:00.000Z');
    const a = await store.repos.referrals.create(aNewReferral({ areaId: 'area-lists', sections: mineSections }), {
      by,
    });
    store.clock.set('2026-03-11T09:00:00.000Z');
    const b = await store.repos.referrals.create(aNewReferral({ areaId: 'area-lists', sections: mineSections }), {
      by,
    });
    const c = await store.repos.referrals.create(
      aNewReferral({ areaId: 'area-lists', sections: { ...completeReferralSections(), referrer: other } }),
      { by },
    );
    unwrap(await store.repos.referrals.submit(b.id, 0, '2026-03-11T10:00:00.000Z', { by }));
    expect((await store.repos.referrals.listByStatus('area-lists', 'draft')).map((x) => x.id)).toEqual([a.id, c.id]);
    expect((await store.repos.referrals.listByStatus('area-lists', 'submitted')).map((x) => x.id)).toEqual([b.id]);
    expect((await store.repos.referrals.listByReferrer(lister.aadObjectId)).map((x) => x.id)).toEqual([b.id, a.id]);
    expect(
      (await store.repos.referrals.listByReferrer(lister.aadObjectId, { status: 'submitted' })).map((x) => x.id),
    ).toEqual([b.id]);
    expect((await store.repos.referrals.listByReferrer(COORDINATOR.aadObjectId)).map((x) => x.id)).toEqual([c.id]);
    const names = (await store.db.collection('referrals').indexes()).map((i) => i.name);
    expect(names).toEqual(
      expect.arrayContaining(['referrals_area_status_created', 'referrals_referrer_status_created']),
    );
  });
});
