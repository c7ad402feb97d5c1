import { transition, type DecisionInput } from '../../../src/domain';
import { unwrap } from '../../../src/lib/result';
import { aLevelDecision, aNewCase, aNewSubject, aRequestActor, AREA_ID } from '../../fixtures/builders';
import { openTestStore, type TestStore } from '../../support/store';

describe('MongoCaseRepository and MongoSubjectRepository on the real server', () => {
  let store: TestStore;
  const by = aRequestActor();

  beforeAll(async () => {
    store = await openTestStore('cases');
  });
  afterAll(() => store.close());

  it('creates cases with readable refs per area and per year, and reads them back unchanged', async () => {
    store.clock.set('2026-03-02T09:00:00.000Z');
    const a = await store.repos.cases.create(aNewCase({ areaId: 'area-refs' }), { by });
    const b = await store.repos.cases.create(aNewCase({ areaId: 'area-refs' }), { by });
    const other = await store.repos.cases.create(aNewCase({ areaId: 'area-refs-2' }), { by });
    store.clock.set('2027-01-01T00:30:00.000Z');
    const nextYear = await store.repos.cases.create(aNewCase({ areaId: 'area-refs' }), { by });
    expect([a.ref, b.ref, other.ref, nextYear.ref]).toEqual([
      'MAPPA-2026-0001',
      'MAPPA-2026-0002',
      'MAPPA-2026-0001',
      'MAPPA-2027-0001',
    ]);
    expect(a).toMatchObject({ version: 0, createdAt: '2026-03-02T09:00:00.000Z', status: 'notified', history: [] });

    expect(unwrap(await store.repos.cases.get(a.id))).toEqual(a);
    expect(unwrap(await store.repos.cases.getByRef('area-refs', 'mappa-2026-0002'))).toEqual(b);
    expect(await store.repos.cases.getByRef('area-refs-2', 'MAPPA-2026-0002')).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await store.repos.cases.get('no-such-case')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('never hands out the same ref twice under concurrency', async () => {
    store.clock.set('2026-04-01T09:00:00.000Z');
    const made = await Promise.all(
      Array.from({ length: 10 }, () => store.repos.cases.create(aNewCase({ areaId: 'area-ref-race' }), { by })),
    );
    expect(new Set(made.map((c) => c.ref)).size).toBe(10);
    expect(made.map((c) => c.ref).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `MAPPA-2026-${String(i + 1).padStart(4, '0')}`),
    );
  });

  it('finds cases by the subject PNC or CRN, whatever the letter case typed', async () => {
    const subject = await store.repos.subjects.create(
      aNewSubject({ areaId: 'area-ids', identifiers: { pnc: '2001/0123456x', crn: 'x654321' } }),
      { by },
    );
    expect(subject.identifiers).toEqual({ pnc: '2001/0123456X', crn: 'X654321' });
    const stranger = await store.repos.subjects.create(
      aNewSubject({ areaId: 'area-ids', identifiers: { pnc: '99/1Z' } }),
      { by },
    );
    const c = await store.repos.cases.create(aNewCase({ areaId: 'area-ids', subjectId: subject.id }), { by });
    await store.repos.cases.create(aNewCase({ areaId: 'area-ids', subjectId: stranger.id }), { by });

    const byPnc = await store.repos.cases.findBySubjectIdentifier('area-ids', { kind: 'pnc', value: '2001/0123456X' });
    const byCrn = await store.repos.cases.findBySubjectIdentifier('area-ids', { kind: 'crn', value: ' x654321 ' });
    expect(byPnc.map((x) => x.id)).toEqual([c.id]);
    expect(byCrn.map((x) => x.id)).toEqual([c.id]);
    expect(
      await store.repos.cases.findBySubjectIdentifier('area-elsewhere', { kind: 'pnc', value: '2001/0123456X' }),
    ).toEqual([]);
    expect(
      (await store.repos.subjects.findByIdentifier('area-ids', { kind: 'crn', value: 'X654321' })).map((s) => s.id),
    ).toEqual([subject.id]);
    expect((await store.repos.cases.listForSubject(subject.id)).map((x) => x.id)).toEqual([c.id]);

    const indexes = (await store.db.collection('subjects').indexes()).map((i) => i.name);
    expect(indexes).toEqual(expect.arrayContaining(['subjects_area_pnc', 'subjects_area_crn']));
  });

  it('audits a reader viewing a case with its subject', async () => {
    const subject = await store.repos.subjects.create(aNewSubject({ areaId: AREA_ID }), { by });
    expect(unwrap(await store.repos.subjects.get(subject.id))).toEqual(subject);
    const c = await store.repos.cases.create(aNewCase({ areaId: AREA_ID, subjectId: subject.id }), { by });
    const reader = aRequestActor({ aadObjectId: '00000000-0000-4000-8000-0000000000aa', displayName: 'Robin Reader' });
    const dossier = unwrap(await store.repos.cases.getForReader(c.id, reader));
    expect(dossier.case.id).toBe(c.id);
    expect(dossier.subject).toEqual(subject);
    const trail = await store.repos.audit.listForEntity('case', c.id);
    expect(trail.map((e) => [e.action, e.actorAadObjectId])).toEqual([
      ['case.created', by.aadObjectId],
      ['case.viewed', reader.aadObjectId],
    ]);
    expect(trail[1]!.details).toEqual({ ref: c.ref });
    expect(await store.repos.cases.getForReader('missing', reader)).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('saves a domain transition and unsets fields the transition removed', async () => {
    const c = await store.repos.cases.create(aNewCase({ areaId: 'area-lifecycle' }), { by });
    const pending = unwrap(transition(c, { type: 'REFERRAL_SUBMITTED', referralId: 'referral-9', on: '2026-03-02' }));
    const saved = unwrap(
      await store.repos.cases.update(
        c.id,
        c.version,
        { status: pending.status, pendingReferralId: pending.pendingReferralId, keyDates: pending.keyDates },
        { by },
      ),
    );
    expect(saved).toMatchObject({
      status: 'referral_pending',
      pendingReferralId: 'referral-9',
      version: 1,
      keyDates: { referralDate: '2026-03-02' },
    });

    const decided = unwrap(
      transition(saved, {
        type: 'LEVEL_DECIDED',
        decision: aLevelDecision(2, { type: 'referral', id: 'referral-9' }) as Extract<
          DecisionInput,
          { kind: 'level' }
        >,
      }),
    );
    const stored = unwrap(await store.repos.cases.save(decided, { by, action: 'case.decision_recorded' }));
    expect(stored).toMatchObject({ status: 'managed_l2', level: 2, version: 2 });
    expect(stored.pendingReferralId).toBeUndefined();
    expect(stored.history).toHaveLength(1);
    const raw = await store.db.collection('cases').findOne({ _id: c.id } as never);
    expect(raw).not.toHaveProperty('pendingReferralId');
    expect(unwrap(await store.repos.cases.get(c.id))).toEqual(stored);

    const trail = await store.repos.audit.listForEntity('case', c.id);
    expect(trail.map((e) => [e.action, e.details.fields])).toEqual([
      ['case.created', undefined],
      ['case.updated', 'keyDates,pendingReferralId,status'],
      ['case.decision_recorded', 'history,level,pendingReferralId,status'],
    ]);

    const stale = await store.repos.cases.save({ ...decided, leadAgencyId: 'police' }, { by });
    expect(stale).toMatchObject({ ok: false, error: { code: 'VERSION_CONFLICT' } });
  });

  it('removes an optional field given as undefined in update', async () => {
    const c = await store.repos.cases.create(aNewCase({ areaId: 'area-unset', leadOfficer: { name: 'Jo Madeup' } }), {
      by,
    });
    expect(c.leadOfficer).toEqual({ name: 'Jo Madeup' });
    const cleared = unwrap(await store.repos.cases.update(c.id, 0, { leadOfficer: undefined }, { by }));
    expect(cleared.leadOfficer).toBeUndefined();
    expect(unwrap(await store.repos.cases.get(c.id))).not.toHaveProperty('leadOfficer');
  });

  it('lets exactly one of two concurrent updates at the same version win', async () => {
    const c = await store.repos.cases.create(aNewCase({ areaId: 'area-race' }), { by });
    const results = await Promise.all([
      store.repos.cases.update(c.id, 0, { leadAgencyId: 'police' }, { by }),
      store.repos.cases.update(c.id, 0, { leadAgencyId: 'prison' }, { by }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error.code)).toEqual(['VERSION_CONFLICT']);
    const winner = results.find((r) => r.ok)!;
    expect(unwrap(await store.repos.cases.get(c.id))).toEqual(unwrap(winner));
    expect(unwrap(await store.repos.cases.get(c.id)).version).toBe(1);
  });

  it('tells a stale version from a missing record, and ignores attempts to change identity fields', async () => {
    const c = await store.repos.cases.create(aNewCase({ areaId: 'area-stale' }), { by });
    unwrap(await store.repos.cases.update(c.id, 0, { leadAgencyId: 'police' }, { by }));
    expect(await store.repos.cases.update(c.id, 0, { leadAgencyId: 'prison' }, { by })).toMatchObject({
      ok: false,
      error: { code: 'VERSION_CONFLICT', meta: { currentVersion: 1, expectedVersion: 0 } },
    });
    expect(await store.repos.cases.update('missing', 0, { leadAgencyId: 'prison' }, { by })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const sneaky = { leadAgencyId: 'prison', areaId: 'area-other', ref: 'MAPPA-1999-0001', version: 99 } as never;
    const moved = unwrap(await store.repos.cases.update(c.id, 1, sneaky, { by }));
    expect(moved).toMatchObject({ areaId: 'area-stale', ref: c.ref, version: 2, leadAgencyId: 'prison' });
  });

  it('refuses to store an invalid case (a bug in the caller), leaving the record untouched', async () => {
    const c = await store.repos.cases.create(aNewCase({ areaId: 'area-invalid' }), { by });
    await expect(store.repos.cases.update(c.id, 0, { status: 'not-a-status' } as never, { by })).rejects.toThrow();
    expect(unwrap(await store.repos.cases.get(c.id))).toEqual(c);
  });

  it('updates a subject under its version', async () => {
    const s = await store.repos.subjects.create(aNewSubject({ areaId: 'area-subjects' }), { by });
    const moved = unwrap(await store.repos.subjects.update(s.id, 0, { status: 'community', aliases: [] }, { by }));
    expect(moved).toMatchObject({ status: 'community', aliases: [], version: 1 });
    expect(await store.repos.subjects.update(s.id, 0, { status: 'hospital' }, { by })).toMatchObject({
      ok: false,
      error: { code: 'VERSION_CONFLICT' },
    });
    expect(unwrap(await store.repos.subjects.get(s.id))).toEqual(moved);
    const trail = await store.repos.audit.listForEntity('subject', s.id);
    expect(trail.map((e) => [e.action, e.details])).toEqual([
      ['subject.created', {}],
      ['subject.updated', { fields: 'aliases,status', version: 1 }],
    ]);
  });
});
