import {
  decideReferral,
  referralSummary,
  saveSectionAnswer,
  startOrResumeDraft,
  submitReferral,
  type ReferralDeps,
} from '../../src/app/referrals';
import type { Member } from '../../src/domain/member.schema';
import type { Principal } from '../../src/domain/policy';
import type { Referral } from '../../src/domain/referral.schema';
import { unwrap } from '../../src/lib/result';
import { MongoIntakeClaimRepository } from '../../src/store/intake-claim.repository';
import { MongoReferralQuestionRepository } from '../../src/store/referral-questions.repository';
import { aMember, anArea, aRequestActor, AREA_ID, COORDINATOR } from '../fixtures/builders';
import { CAT2_LEVEL2, principalOf } from '../fixtures/referral-answers';
import { openTestStore, type TestStore } from '../support/store';

/**
 * Issue: a referral typed with another person's reference number was attached to that person's case,
 * and a practitioner could learn whether a number belonged to a case she could not see. One identity
 * rule now decides: only the same name, date of birth and reference number link; anything else goes
 * to the co-ordinator, and the referrer's reply never names a case found from what they typed.
 */
describe('referrals: who the person is, decided by one rule', () => {
  let store: TestStore;
  let deps: ReferralDeps;
  let probation: Principal;
  let health: Principal;
  let coordinator: Principal;

  async function enrol(m: Member): Promise<Principal> {
    const { version: _version, ...input } = m;
    return principalOf(unwrap(await store.repos.members.enrol(input, { by: aRequestActor() })));
  }

  beforeAll(async () => {
    store = await openTestStore('referral_identity');
    const { version: _version, ...area } = anArea('england-wales', { id: AREA_ID });
    unwrap(await store.repos.members.createArea(area, { by: aRequestActor() }));
    probation = await enrol(aMember());
    health = await enrol(
      aMember({
        aadObjectId: '00000000-0000-4000-8000-0000000000e1',
        displayName: 'Hana Fictional',
        agencyId: 'nhs-trust',
      }),
    );
    coordinator = await enrol(
      aMember({
        aadObjectId: COORDINATOR.aadObjectId,
        displayName: COORDINATOR.displayName,
        agencyId: 'police',
        roles: ['coordinator'],
      }),
    );
    deps = {
      referrals: store.repos.referrals,
      cases: store.repos.cases,
      subjects: store.repos.subjects,
      claims: new MongoIntakeClaimRepository(store.db, store.clock),
      members: store.repos.members,
      questions: new MongoReferralQuestionRepository(store.db, store.clock, store.repos.audit),
      clock: store.clock,
      areaId: AREA_ID,
    };
  });
  afterAll(() => store.close());

  let n = 0;
  const uniquePnc = () => `2001/${String(500000 + (n += 1)).padStart(7, '0')}Y`;

  async function draft(who: Principal, name: string, dob: string, ids: string): Promise<Referral> {
    const started = unwrap(await startOrResumeDraft(deps, who, { startNew: true, subjectLabel: name }));
    if (started.kind === 'choose') throw new Error('expected a new draft');
    let r = started.referral;
    for (const [section, question, given] of CAT2_LEVEL2) {
      const typed =
        question === 'name' ? name : question === 'dateOfBirth' ? dob : question === 'identifiers' ? ids : given;
      if (typed === 'skip') continue;
      r = unwrap(await saveSectionAnswer(deps, who, r.id, section, question, typed)).referral;
    }
    return r;
  }

  async function submit(who: Principal, name: string, dob: string, ids: string) {
    const d = await draft(who, name, dob, ids);
    return unwrap(await submitReferral(deps, who, d.id, d.version));
  }

  /** A managed Level 2 case for a person, referred by probation and approved. */
  async function managedCase(name: string, pnc: string) {
    const first = await submit(probation, name, '01/04/1990', `PNC ${pnc}`);
    unwrap(await decideReferral(deps, coordinator, first.referral.id, { outcome: 'approve', level: 2, note: 'ok' }));
    return unwrap(await store.repos.cases.get(first.referral.caseId!));
  }

  it('never attaches a referral to another person who shares the PNC; the co-ordinator chooses', async () => {
    const pnc = uniquePnc();
    const theirs = await managedCase('Dale Inventive', pnc);
    expect(theirs.status).toBe('managed_l2');

    // Someone else, typed with Dale's PNC by mistake.
    const res = await submit(probation, 'Morgan Notreal', '02/02/1988', `PNC ${pnc}`);
    expect(res.referral.status).toBe('submitted');
    expect(res.referral.caseId).toBeUndefined();
    expect(res.referral.identityCheck).toEqual({ reason: 'identifier_conflict', candidateCaseIds: [theirs.id] });
    expect(res.caseRefForReferrer).toBeNull();
    expect(JSON.stringify(res.summary.caseRef)).not.toContain(theirs.ref);
    // Dale's case did not move.
    expect(unwrap(await store.repos.cases.get(theirs.id))).toMatchObject({
      status: 'managed_l2',
      version: theirs.version,
    });

    // The co-ordinator sees the candidate and must choose before approving.
    const seen = unwrap(await referralSummary(deps, coordinator, res.referral.id));
    expect(seen.identityCheck?.candidates.map((c) => c.ref)).toEqual([theirs.ref]);
    const unchosen = await decideReferral(deps, coordinator, res.referral.id, {
      outcome: 'approve',
      level: 2,
      note: 'x',
    });
    expect(unchosen).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', fieldErrors: { identity: expect.any(String) } },
    });
    const foreign = await decideReferral(deps, coordinator, res.referral.id, {
      outcome: 'approve',
      level: 2,
      note: 'x',
      identity: '00000000-0000-4000-8000-00000000dead',
    });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });

    const decided = unwrap(
      await decideReferral(deps, coordinator, res.referral.id, {
        outcome: 'approve',
        level: 2,
        note: 'x',
        identity: 'new',
      }),
    );
    expect(decided.referral.caseId).toBeDefined();
    expect(decided.referral.caseId).not.toBe(theirs.id);
    expect(decided.referral.identityCheck).toBeUndefined();
    const mine = unwrap(await store.repos.cases.get(decided.referral.caseId!));
    expect(mine).toMatchObject({ status: 'managed_l2', level: 2 });
    const person = unwrap(await store.repos.subjects.get(mine.subjectId));
    expect(person.name).toEqual({ given: 'Morgan', family: 'Notreal' });
    expect(unwrap(await store.repos.cases.get(theirs.id)).version).toBe(theirs.version);
  });

  it('links the same person to their open case without naming it to a referrer who cannot see it', async () => {
    const pnc = uniquePnc();
    const theirs = await managedCase('Robin Madeup', pnc);
    const res = await submit(health, 'Robin Madeup', '01/04/1990', `PNC ${pnc}`);
    expect(res.referral.caseId).toBe(theirs.id);
    expect(res.caseRefForReferrer).toBeNull();
    expect(unwrap(await store.repos.cases.get(theirs.id))).toMatchObject({
      status: 'referral_pending',
      pendingReferralId: res.referral.id,
    });
  });

  it('gives no identifier oracle: a PNC of a case the referrer cannot see answers exactly as an unknown one', async () => {
    const pnc = uniquePnc();
    const hidden = await managedCase('Sky Pretend', pnc);
    // Probation has a referral pending on that case, so it cannot take another now.
    await submit(probation, 'Sky Pretend', '01/04/1990', `PNC ${pnc}`);
    expect(unwrap(await store.repos.cases.get(hidden.id)).status).toBe('referral_pending');

    const known = await draft(health, 'Sky Pretend', '01/04/1990', `PNC ${pnc}`);
    const knownRes = await submitReferral(deps, health, known.id, known.version);
    const unknown = await draft(health, 'Sky Pretend', '01/04/1990', `PNC ${uniquePnc()}`);
    const unknownRes = await submitReferral(deps, health, unknown.id, unknown.version);

    // Both go through, and neither reply names a case or says a referral is already pending.
    expect(knownRes.ok && unknownRes.ok).toBe(true);
    for (const r of [knownRes, unknownRes]) {
      const v = unwrap(r);
      expect(v.caseRefForReferrer).toBeNull();
      expect(v.referral.status).toBe('submitted');
    }
    expect(JSON.stringify(knownRes)).not.toContain('already with the co-ordinator');
    // Only the co-ordinator learns of the pending case.
    expect(unwrap(knownRes).referral.identityCheck).toEqual({
      reason: 'case_not_open_to_referral',
      candidateCaseIds: [hidden.id],
    });
  });

  it('resumes after a crash between creating the person and linking the case, without a second person', async () => {
    const pnc = uniquePnc();
    const d = await draft(probation, 'Kit Unreal', '03/03/1991', `PNC ${pnc}`);
    let cut = true;
    const crashing: ReferralDeps = {
      ...deps,
      cases: new Proxy(deps.cases, {
        get(t, prop, receiver) {
          const v = Reflect.get(t, prop, receiver) as unknown;
          if (prop === 'create' && cut)
            return async () => {
              cut = false;
              throw Object.assign(new Error('connection reset'), { name: 'MongoNetworkError' });
            };
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
        },
      }),
    };
    await expect(submitReferral(crashing, probation, d.id, d.version)).rejects.toThrow('connection reset');
    const after = unwrap(await store.repos.referrals.get(d.id));
    expect(after.status).toBe('draft');
    const res = unwrap(await submitReferral(deps, probation, d.id, after.version));
    expect(res.referral.caseId).toBeDefined();
    const people = await store.repos.subjects.findByIdentifier(AREA_ID, { kind: 'pnc', value: pnc });
    expect(people).toHaveLength(1);
    const open = (await store.repos.cases.listForSubject(people[0]!.id)).filter((c) => c.status !== 'exited');
    expect(open.map((c) => c.id)).toEqual([res.referral.caseId]);
  });
});
