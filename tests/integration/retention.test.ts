import type { ActionRepository, CaseRecord } from '../../src/app/ports';
import {
  casesDueForRetentionReview,
  eraseCase,
  runRetentionReviewJob,
  type RetentionDeps,
  type RetentionReviewItem,
} from '../../src/app/retention';
import type { Role } from '../../src/domain';
import type { Principal } from '../../src/domain/policy';
import { unwrap } from '../../src/lib/result';
import {
  aLevelDecision,
  aMember,
  anArea,
  aNewAction,
  aNewCase,
  aNewMeeting,
  aNewMinutes,
  aNewNotification,
  aNewReferral,
  aNewSubject,
  aRequestActor,
  completeReferralSections,
  COORDINATOR,
  PRACTITIONER,
  TENANT_ID,
} from '../fixtures/builders';
import { openTestStore, type TestStore } from '../support/store';

const ADMIN = { aadObjectId: '00000000-0000-4000-8000-0000000000aa', displayName: 'Ada Administrator' } as const;

/** Every value about the person (and the staff named around them) that the fixtures below store. */
const PERSONAL = [
  'Terry',
  'Imaginary',
  '"TJ"',
  '1990-04-01',
  '2001/0123456X',
  'X123456',
  'VIS-0001',
  'Nowhere Street',
  'Former partner',
  'Jo Madeup',
  'Room 4',
  'Pat Pretend',
  PRACTITIONER.displayName,
  COORDINATOR.displayName,
  'approved premises',
  'Initial Level 2 meeting',
  'Lives with his mother',
  'Seen at the hostel on Tuesday',
  'Sister Dana Fictional',
  'Intelligence: associates with',
];
const RELATED = ['subjects', 'cases', 'notifications', 'referrals', 'meetings', 'agencyUpdates', 'minutes', 'actions'];

function principal(roles: Role[], who: { aadObjectId: string; displayName: string }, areaId: string): Principal {
  return {
    tenantId: TENANT_ID,
    aadObjectId: who.aadObjectId,
    member: aMember({ aadObjectId: who.aadObjectId, displayName: who.displayName, areaId, roles }),
  };
}

describe('retention review and erasure on the real store', () => {
  let store: TestStore;
  const by = aRequestActor();

  beforeAll(async () => {
    store = await openTestStore('retention');
  });
  afterAll(() => store.close());
  beforeEach(() => store.clock.set('2026-03-02T09:00:00.000Z'));

  const depsFor = (areaId: string, overrides: Partial<RetentionDeps> = {}): RetentionDeps => ({
    areaId,
    clock: store.clock,
    members: store.repos.members,
    cases: store.repos.cases,
    subjects: store.repos.subjects,
    notifications: store.repos.notifications,
    referrals: store.repos.referrals,
    meetings: store.repos.meetings,
    agencyUpdates: store.repos.agencyUpdates,
    minutes: store.repos.minutes,
    actions: store.repos.actions,
    ...overrides,
  });

  async function anAreaNamed(areaId: string, reviewAfterExitMonths?: number): Promise<void> {
    const { version: _v, ...area } = anArea('england-wales', {
      id: areaId,
      ...(reviewAfterExitMonths ? { retention: { reviewAfterExitMonths } } : {}),
    });
    unwrap(await store.repos.members.createArea(area, { by }));
  }

  /** A case with a record of every kind about it, each holding personal data, then exited. */
  async function aFullCase(areaId: string, opts: { exitDate?: string; subjectId?: string; open?: boolean } = {}) {
    const r = store.repos;
    const subjectId =
      opts.subjectId ??
      (
        await r.subjects.create(
          aNewSubject({
            areaId,
            gender: 'Male',
            ethnicity: 'White British',
            identifiers: { pnc: '2001/0123456X', crn: 'X123456', visor: 'VIS-0001' },
          }),
          { by },
        )
      ).id;
    let c: CaseRecord = await r.cases.create(
      aNewCase({ areaId, subjectId, leadOfficer: { name: PRACTITIONER.displayName } }),
      { by },
    );
    const n = await r.notifications.create(
      aNewNotification({ areaId, subjectId, notes: 'Terry Imaginary moves to Nowhere Street.' }),
      { by },
    );
    unwrap(
      await r.notifications.decide(
        n.id,
        {
          outcome: 'accepted',
          decidedBy: COORDINATOR,
          decidedAt: '2026-01-06T09:00:00.000Z',
          reason: 'TJ meets category 2',
          caseId: c.id,
        },
        { by },
      ),
    );
    const sections = completeReferralSections();
    const referral = await r.referrals.create(
      aNewReferral({ areaId, caseId: c.id, sections: { ...sections, subject: { ...sections.subject, subjectId } } }),
      { by },
    );
    unwrap(await r.referrals.submit(referral.id, referral.version, '2026-01-13T09:00:00.000Z', { by }));
    unwrap(
      await r.referrals.decide(
        referral.id,
        {
          outcome: 'accepted',
          level: 2,
          rationale: 'Terry Imaginary needs Level 2.',
          decidedBy: COORDINATOR,
          decidedAt: '2026-01-20T09:00:00.000Z',
        },
        { by },
      ),
    );
    const meeting = unwrap(await r.meetings.create(aNewMeeting({ areaId, caseId: c.id }), { by }));
    unwrap(
      await r.agencyUpdates.save(
        {
          areaId,
          caseId: c.id,
          meetingId: meeting.id,
          agencyId: 'police',
          author: PRACTITIONER,
          kind: 'update',
          content: 'Seen at the hostel on Tuesday.',
          childrenAndVulnerablePeople: 'Sister Dana Fictional visits weekly.',
          restrictedIntelligence: 'Intelligence: associates with known offenders.',
          actionUpdates: [],
          enteredOnBehalfBy: COORDINATOR,
          submittedAt: '2026-01-27T10:00:00.000Z',
        },
        null,
        { by },
      ),
    );
    const { minutes } = await r.minutes.startForMeeting(
      aNewMinutes({
        areaId,
        caseId: c.id,
        meetingId: meeting.id,
        subjectDetails: 'Terry Imaginary (TJ), born 1990-04-01. Lives with his mother.',
      }),
      { by },
    );
    unwrap(await r.minutes.approve(minutes.id, minutes.version, COORDINATOR, { by, action: 'minutes.approved' }));
    await r.actions.create(aNewAction({ areaId, caseId: c.id, meetingId: meeting.id }), { by });
    c = unwrap(
      await r.cases.update(
        c.id,
        c.version,
        {
          status: 'managed_l2',
          level: 2,
          history: [
            {
              ...aLevelDecision(2, { type: 'referral', id: referral.id }),
              from: null,
              rationale: 'Terry Imaginary needs Level 2.',
            } as CaseRecord['history'][number],
          ],
        },
        { by },
      ),
    );
    if (!opts.open) {
      c = unwrap(
        await r.cases.update(
          c.id,
          c.version,
          {
            status: 'exited',
            exitReason: 'licence_or_order_ended',
            keyDates: opts.exitDate ? { exitDate: opts.exitDate } : {},
          },
          { by, action: 'case.exited' },
        ),
      );
    }
    return { case: c, subjectId, referralId: referral.id, notificationId: n.id };
  }

  /** Every document of the area, as stored, for checks that nothing personal survives anywhere. */
  async function storedJson(areaId: string): Promise<string> {
    const docs = await Promise.all(RELATED.map((name) => store.db.collection(name).find({ areaId }).toArray()));
    return JSON.stringify(docs);
  }

  async function auditJson(areaId: string): Promise<{ json: string; actions: string[] }> {
    const events = await store.db.collection('auditEvents').find({ areaId }).sort({ seq: 1 }).toArray();
    return { json: JSON.stringify(events), actions: events.map((e) => String(e.action)) };
  }

  const expectNothingPersonal = (json: string) => {
    for (const value of PERSONAL) expect(json).not.toContain(value);
  };

  it('lists exited cases due for review to admins and co-ordinators, refs and dates only', async () => {
    const areaId = 'area-due';
    await anAreaNamed(areaId);
    const dueLongAgo = await aFullCase(areaId, { exitDate: '2015-06-30' });
    const dueToday = await aFullCase(areaId, { exitDate: '2016-03-02' });
    await aFullCase(areaId, { exitDate: '2016-03-03' });
    await aFullCase(areaId, { exitDate: '2010-01-01', open: true });
    await aFullCase(areaId);

    const coordinator = principal(['coordinator'], COORDINATOR, areaId);
    const due = unwrap(await casesDueForRetentionReview(depsFor(areaId), coordinator, '2026-03-02'));
    expect(due).toEqual([
      { caseRef: dueLongAgo.case.ref, exitDate: '2015-06-30', dueOn: '2025-06-30', erasureInterrupted: false },
      { caseRef: dueToday.case.ref, exitDate: '2016-03-02', dueOn: '2026-03-02', erasureInterrupted: false },
    ]);
    expect(
      unwrap(await casesDueForRetentionReview(depsFor(areaId), principal(['admin'], ADMIN, areaId), '2026-03-02')),
    ).toEqual(due);
    expect(
      await casesDueForRetentionReview(
        depsFor(areaId),
        principal(['practitioner'], PRACTITIONER, areaId),
        '2026-03-02',
      ),
    ).toMatchObject({ ok: false, error: { code: 'NOT_PERMITTED' } });

    const posted: (readonly RetentionReviewItem[])[] = [];
    const post = async (lines: readonly RetentionReviewItem[]) => {
      posted.push(lines);
    };
    expect(await runRetentionReviewJob(depsFor(areaId), '2026-03-02', post)).toEqual({ posted: 2 });
    expect(posted).toEqual([due]);
    expectNothingPersonal(JSON.stringify(posted));
    // Nothing due, nothing posted: an empty message every day would teach people to ignore it.
    expect(await runRetentionReviewJob(depsFor(areaId), '2025-01-01', post)).toEqual({ posted: 0 });
    expect(posted).toHaveLength(1);
  });

  it("follows the area's own review period", async () => {
    const areaId = 'area-short';
    await anAreaNamed(areaId, 6);
    const c = await aFullCase(areaId, { exitDate: '2025-08-31' });
    const coordinator = principal(['coordinator'], COORDINATOR, areaId);
    expect(unwrap(await casesDueForRetentionReview(depsFor(areaId), coordinator, '2026-02-27'))).toEqual([]);
    expect(unwrap(await casesDueForRetentionReview(depsFor(areaId), coordinator, '2026-02-28'))).toEqual([
      { caseRef: c.case.ref, exitDate: '2025-08-31', dueOn: '2026-02-28', erasureInterrupted: false },
    ]);
  });

  it('erases names, identifiers and free text everywhere while the audit chain stays whole and free of them', async () => {
    const areaId = 'area-erase';
    await anAreaNamed(areaId);
    const { case: c, subjectId } = await aFullCase(areaId, { exitDate: '2015-01-10' });
    const before = await storedJson(areaId);
    expect(before).toContain('Imaginary');
    expect(before).toContain('2001/0123456X');

    store.clock.set('2026-03-02T10:00:00.000Z');
    const admin = principal(['admin'], ADMIN, areaId);
    const summary = unwrap(await eraseCase(depsFor(areaId), admin, c.ref.toLowerCase(), ` ${c.ref} `));
    expect(summary).toEqual({
      caseRef: c.ref,
      resumed: false,
      forced: false,
      erased: {
        subject: 1,
        notifications: 1,
        referrals: 1,
        meetings: 1,
        agencyUpdates: 1,
        minutes: 1,
        actions: 1,
        case: 1,
      },
      alreadyErased: 0,
      subjectKept: false,
      total: 8,
    });

    expectNothingPersonal(await storedJson(areaId));
    const subject = unwrap(await store.repos.subjects.get(subjectId));
    expect(subject).toMatchObject({ name: { given: 'Erased', family: 'Erased' }, aliases: [], identifiers: {} });
    const erased = unwrap(await store.repos.cases.get(c.id));
    expect(erased).toMatchObject({
      status: 'exited',
      level: 2,
      keyDates: { exitDate: '2015-01-10' },
      erasure: { status: 'done', startedAt: '2026-03-02T10:00:00.000Z', by: ADMIN.aadObjectId },
      erasedAt: '2026-03-02T10:00:00.000Z',
      erasedBy: ADMIN.aadObjectId,
    });
    expect(erased.leadOfficer).toBeUndefined();
    const [referral] = await store.repos.referrals.listForCase(c.id);
    expect(referral).toMatchObject({
      status: 'accepted',
      sections: { category: { category: 'cat2' }, reason: { levelRequested: 2 } },
      decision: { outcome: 'accepted', level: 2, decidedAt: '2026-01-20T09:00:00.000Z' },
    });
    const [minutes] = await store.repos.minutes.listForCase(c.id);
    expect(minutes).toMatchObject({ status: 'approved', subjectDetails: 'Erased', purpose: 'Erased' });

    expect(await store.repos.audit.verifyAuditChain(areaId)).toEqual({ ok: true, count: expect.any(Number) });
    const audit = await auditJson(areaId);
    expectNothingPersonal(audit.json);
    expect(audit.actions.slice(-9)).toEqual([
      'case.erasure_started',
      'subject.erased',
      'notification.erased',
      'referral.erased',
      'meeting.erased',
      'agency_update.erased',
      'minutes.erased',
      'action.erased',
      'case.erased',
    ]);
    const [closing] = await store.repos.audit.listForEntity('case', c.id, { limit: 1 });
    expect(closing).toMatchObject({
      action: 'case.erased',
      actorAadObjectId: ADMIN.aadObjectId,
      details: { ref: c.ref, subject: 1, minutes: 1, case: 1, alreadyErased: 0 },
    });

    // Done means done: no second run, no longer on the review list, and no write can refill the case.
    expect(await eraseCase(depsFor(areaId), admin, c.ref, c.ref)).toMatchObject({
      ok: false,
      error: { code: 'ALREADY_DECIDED' },
    });
    expect(
      unwrap(await casesDueForRetentionReview(depsFor(areaId), admin, '2026-03-02')).map((i) => i.caseRef),
    ).not.toContain(c.ref);
    expect(
      await store.repos.cases.update(erased.id, erased.version, { leadOfficer: { name: 'Terry Imaginary' } }, { by }),
    ).toMatchObject({ ok: false, error: { code: 'VERSION_CONFLICT', meta: { reason: 'erasure' } } });
  });

  it('finishes an erasure cut short by a crash when it is run again, and never reads as done before', async () => {
    const areaId = 'area-crash';
    await anAreaNamed(areaId);
    const { case: c, subjectId } = await aFullCase(areaId, { exitDate: '2015-01-10' });
    const admin = principal(['admin'], ADMIN, areaId);

    // The process dies after the minutes and before the actions are erased.
    const dying: ActionRepository = Object.assign(Object.create(store.repos.actions) as ActionRepository, {
      erase: () => Promise.reject(new Error('process killed')),
    });
    await expect(eraseCase(depsFor(areaId, { actions: dying }), admin, c.ref, c.ref)).rejects.toThrow('process killed');

    const halfway = unwrap(await store.repos.cases.get(c.id));
    expect(halfway.erasure).toMatchObject({ status: 'in_progress', by: ADMIN.aadObjectId });
    expect(halfway.erasedAt).toBeUndefined();
    expect(halfway.leadOfficer).toEqual({ name: PRACTITIONER.displayName });
    expect(unwrap(await store.repos.subjects.get(subjectId)).name.family).toBe('Erased');
    expect((await store.repos.actions.listForCase(c.id))[0]?.text).toContain('approved premises');
    // The interrupted run shows up for the admin, and the case cannot be edited meanwhile.
    expect(unwrap(await casesDueForRetentionReview(depsFor(areaId), admin, '2026-03-02'))).toEqual([
      { caseRef: c.ref, exitDate: '2015-01-10', dueOn: '2025-01-10', erasureInterrupted: true },
    ]);
    expect(
      await store.repos.cases.update(c.id, halfway.version, { leadOfficer: { name: 'Someone' } }, { by }),
    ).toMatchObject({ ok: false, error: { code: 'VERSION_CONFLICT', meta: { reason: 'erasure' } } });
    expect(await store.repos.cases.listExited(areaId, { erasure: 'in_progress' })).toHaveLength(1);

    const summary = unwrap(await eraseCase(depsFor(areaId), admin, c.ref, c.ref));
    expect(summary).toMatchObject({
      resumed: true,
      erased: {
        subject: 0,
        notifications: 0,
        referrals: 0,
        meetings: 0,
        agencyUpdates: 0,
        minutes: 0,
        actions: 1,
        case: 1,
      },
      alreadyErased: 6,
      total: 2,
    });
    expect(unwrap(await store.repos.cases.get(c.id))).toMatchObject({ erasure: { status: 'done' } });
    expectNothingPersonal(await storedJson(areaId));
    expect(await store.repos.audit.verifyAuditChain(areaId)).toMatchObject({ ok: true });
    expectNothingPersonal((await auditJson(areaId)).json);
  });

  it('resumes from the first steps alone: started, subject erased, then nothing', async () => {
    const areaId = 'area-steps';
    await anAreaNamed(areaId);
    const { case: c, subjectId } = await aFullCase(areaId, { exitDate: '2015-01-10' });
    const adminActor = { ...by, aadObjectId: ADMIN.aadObjectId, displayName: ADMIN.displayName };
    unwrap(await store.repos.cases.beginErasure(c.id, c.version, {}, { by: adminActor }));
    expect(unwrap(await store.repos.subjects.erase(subjectId, { by: adminActor }))).toEqual({ erased: true });
    // Each step is idempotent on its own.
    expect(unwrap(await store.repos.subjects.erase(subjectId, { by: adminActor }))).toEqual({ erased: false });
    expect(await store.repos.cases.beginErasure(c.id, c.version + 1, {}, { by: adminActor })).toMatchObject({
      ok: false,
      error: { code: 'ALREADY_DECIDED' },
    });

    const summary = unwrap(await eraseCase(depsFor(areaId), principal(['admin'], ADMIN, areaId), c.ref, c.ref));
    expect(summary).toMatchObject({ resumed: true, alreadyErased: 1, total: 7 });
    expectNothingPersonal(await storedJson(areaId));
  });

  it('refuses non-admins, a wrong confirmation, an open case, and a case not yet due unless forced with a reason', async () => {
    const areaId = 'area-refuse';
    await anAreaNamed(areaId);
    const admin = principal(['admin'], ADMIN, areaId);
    const { case: due } = await aFullCase(areaId, { exitDate: '2015-01-10' });
    const { case: recent } = await aFullCase(areaId, { exitDate: '2025-01-10' });
    const { case: open } = await aFullCase(areaId, { open: true });
    const deps = depsFor(areaId);

    for (const roles of [['coordinator'], ['chair'], ['practitioner'], ['viewer']] as Role[][]) {
      expect(await eraseCase(deps, principal(roles, COORDINATOR, areaId), due.ref, due.ref)).toMatchObject({
        ok: false,
        error: { code: 'NOT_PERMITTED' },
      });
    }
    for (const confirmation of ['', 'yes', recent.ref, due.ref.replace(/\d$/, (d) => String((Number(d) + 1) % 10))]) {
      expect(await eraseCase(deps, admin, due.ref, confirmation)).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED', message: expect.stringContaining(due.ref) },
      });
    }
    expect(await eraseCase(deps, admin, 'MAPPA-2026-9999', 'MAPPA-2026-9999')).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(
      await eraseCase(deps, admin, open.ref, open.ref, { force: { reason: 'Owning agency instruction 42' } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'ILLEGAL_TRANSITION', message: expect.stringContaining('still open') },
    });
    expect(await eraseCase(deps, admin, recent.ref, recent.ref)).toMatchObject({
      ok: false,
      error: { code: 'ILLEGAL_TRANSITION', message: expect.stringContaining('until 10 Jan 2035.') },
    });
    expect(await eraseCase(deps, admin, recent.ref, recent.ref, { force: { reason: 'because' } })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    // Nothing was touched by any refusal.
    for (const c of [due, recent, open]) expect(unwrap(await store.repos.cases.get(c.id))).toEqual(c);
    expect(await storedJson(areaId)).toContain('Imaginary');

    const forced = unwrap(
      await eraseCase(deps, admin, recent.ref, recent.ref, {
        force: { reason: 'Erasure instructed by the owning agency, ref DPO-2026-7' },
      }),
    );
    expect(forced).toMatchObject({ forced: true, total: 8 });
    expect(unwrap(await store.repos.cases.get(recent.id)).erasure).toMatchObject({
      status: 'done',
      forceReason: 'Erasure instructed by the owning agency, ref DPO-2026-7',
    });
    const [started] = (await store.repos.audit.listForEntity('case', recent.id)).filter(
      (e) => e.action === 'case.erasure_started',
    );
    // The reason stays with the case; the audit event only says that the review date was overridden.
    expect(started?.details).toEqual({ ref: recent.ref, forced: true });
  });

  it("keeps the person's record while they have another case that is not being erased", async () => {
    const areaId = 'area-kept';
    await anAreaNamed(areaId);
    const first = await aFullCase(areaId, { exitDate: '2015-01-10' });
    const second = await aFullCase(areaId, { subjectId: first.subjectId, open: true });
    const admin = principal(['admin'], ADMIN, areaId);

    const summary = unwrap(await eraseCase(depsFor(areaId), admin, first.case.ref, first.case.ref));
    expect(summary).toMatchObject({ subjectKept: true, erased: { subject: 0, notifications: 1, referrals: 1 } });
    expect(unwrap(await store.repos.subjects.get(first.subjectId)).name.family).toBe('Imaginary');
    expect(unwrap(await store.repos.notifications.get(second.notificationId)).notes).toContain('Terry');
    expect(unwrap(await store.repos.referrals.get(second.referralId)).sections.subject?.name?.family).toBe('Imaginary');
    expect(unwrap(await store.repos.notifications.get(first.notificationId)).notes).toBe('Erased');
  });
});
