import { MongoIntakeClaimRepository } from '../../src/store/intake-claim.repository';
import {
  answerInformationRequest,
  decideReferral,
  decisionDeadline,
  requestMoreInformation,
  reviewReferral,
  saveSectionAnswer,
  startOrResumeDraft,
  submitReferral,
  type ReferralDeps,
} from '../../src/app/referrals';
import type { Member } from '../../src/domain/member.schema';
import type { Principal } from '../../src/domain/policy';
import type { Referral } from '../../src/domain/referral.schema';
import { unwrap } from '../../src/lib/result';
import { renderCard } from '../../src/bot/cards/render';
import type { HandlerContext } from '../../src/bot/handler-context';
import { approve } from '../../src/bot/referrals/approve.verb';
import { REFERRAL_CATALOGUE } from '../../src/bot/referrals/catalogue';
import { reject } from '../../src/bot/referrals/reject.verb';
import { MongoReferralQuestionRepository } from '../../src/store/referral-questions.repository';
import { aMember, anArea, aRequestActor, AREA_ID, COORDINATOR, PRACTITIONER } from '../fixtures/builders';
import { CAT2_LEVEL2, cat3Answers, principalOf, type Answer } from '../fixtures/referral-answers';
import { openTestStore, type TestStore } from '../support/store';

/** A referral card action as the dispatch table runs it: the data read with the verb's schema, then the action. */
const ACTIONS = { 'referral.approve': approve, 'referral.reject': reject };
const referralCardAction = (h: HandlerContext, verb: keyof typeof ACTIONS, data: Record<string, unknown>) =>
  ACTIONS[verb](h, REFERRAL_CATALOGUE.verbs[verb].payload.parse(data));

describe('MAPPA A referral use cases on the real store', () => {
  let store: TestStore;
  let deps: ReferralDeps;
  let referrer: Principal;
  let coordinator: Principal;
  let viewer: Principal;

  async function enrol(m: Member): Promise<Member> {
    const { version: _version, ...input } = m;
    return unwrap(await store.repos.members.enrol(input, { by: aRequestActor() }));
  }

  beforeAll(async () => {
    store = await openTestStore('referral_uc');
    const { version: _version, ...area } = anArea('england-wales', { id: AREA_ID });
    unwrap(await store.repos.members.createArea(area, { by: aRequestActor() }));
    referrer = principalOf(await enrol(aMember()));
    coordinator = principalOf(
      await enrol(
        aMember({
          aadObjectId: COORDINATOR.aadObjectId,
          displayName: COORDINATOR.displayName,
          agencyId: 'police',
          roles: ['coordinator'],
        }),
      ),
    );
    viewer = principalOf(
      await enrol(
        aMember({
          aadObjectId: '00000000-0000-4000-8000-000000000009',
          displayName: 'Vic Unreal',
          agencyId: 'police',
          roles: ['practitioner'],
        }),
      ),
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

  let people = 0;
  /** Each call is a different person (own CRN), unless `sameCrn` says otherwise. */
  async function draftWith(answers: readonly Answer[], label: string, sameCrn?: string): Promise<Referral> {
    const started = unwrap(await startOrResumeDraft(deps, referrer, { startNew: true, subjectLabel: label }));
    if (started.kind === 'choose') throw new Error('expected a new draft');
    let referral = started.referral;
    people += 1;
    const crn = sameCrn ?? `X${String(100000 + people)}`;
    for (const [section, question, given] of answers) {
      const typed = question === 'identifiers' ? `PNC 2001/${crn.slice(1)}X; CRN ${crn}` : given;
      if (typed === 'skip') continue;
      referral = unwrap(await saveSectionAnswer(deps, referrer, referral.id, section, question, typed)).referral;
    }
    return referral;
  }

  async function submitted(answers: readonly Answer[], label: string, advise = false): Promise<Referral> {
    const draft = await draftWith(answers, label, undefined);
    return unwrap(await submitReferral(deps, referrer, draft.id, draft.version, { askCoordinatorToAdvise: advise }))
      .referral;
  }

  it('saves typed answers as domain values and submits a complete Category 2 referral for Level 2', async () => {
    const draft = await draftWith(CAT2_LEVEL2, 'Terry Imaginary');
    expect(draft.sections.subject).toMatchObject({
      name: { given: 'Terry', family: 'Imaginary' },
      dateOfBirth: '1990-04-01',
      identifiers: { pnc: '2001/100001X', crn: 'X100001' },
    });
    expect(draft.sections.reason?.levelFacts).toMatchObject({ multiAgencyMeetingsAddValue: true, highestRosh: 'HIGH' });
    expect(draft.sections.category?.eligibilityReasons?.length).toBeGreaterThan(0);
    expect(draft.sections.agencies?.agencies?.[0]?.agencyId).toBe('housing-authority');

    const review = unwrap(await reviewReferral(deps, referrer, draft.id));
    expect(review.blocking).toEqual([]);
    expect(review.ready).toBe(true);

    const res = unwrap(await submitReferral(deps, referrer, draft.id, draft.version));
    expect(res.referral.status).toBe('submitted');
    expect(res.summary).toMatchObject({
      initials: 'T.I.',
      levelRequested: 'Level 2',
      referrerAgency: 'Probation Service',
      daysLeft: 10,
    });
    expect(res.summary.caseRef).toMatch(/^MAPPA-2026-\d{4}$/);
    const c = unwrap(await store.repos.cases.get(res.referral.caseId!));
    expect(c).toMatchObject({ status: 'referral_pending', pendingReferralId: res.referral.id, category: 'cat2' });
  });

  it('refuses a second referral for a person whose case already has one pending', async () => {
    const first = await submitted(CAT2_LEVEL2, 'Oli Madeup');
    const crn = unwrap(await store.repos.subjects.get(unwrap(await store.repos.cases.get(first.caseId!)).subjectId))
      .identifiers.crn!;
    const second = await draftWith(CAT2_LEVEL2, 'Oli Madeup', crn);
    const res = await submitReferral(deps, referrer, second.id, second.version);
    expect(res).toMatchObject({ ok: false, error: { code: 'ILLEGAL_TRANSITION' } });
    if (!res.ok) expect(res.error.message).toMatch(/already with the co-ordinator/);
  });

  it('refuses a date of birth in the future, keeping what was typed', async () => {
    const draft = await draftWith([], 'Pat Placeholder');
    const res = await saveSectionAnswer(deps, referrer, draft.id, 'subject', 'dateOfBirth', '01/04/2090');
    expect(res).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', input: '01/04/2090', message: expect.stringContaining('in the future') },
    });
    expect(unwrap(await store.repos.referrals.get(draft.id)).version).toBe(draft.version);
  });

  it('keeps a bad answer and says what is wrong, without writing', async () => {
    const draft = await draftWith([], 'Pat Placeholder');
    const res = await saveSectionAnswer(deps, referrer, draft.id, 'subject', 'dateOfBirth', '31/02/1990');
    expect(res).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', input: '31/02/1990' } });
    const pnc = await saveSectionAnswer(deps, referrer, draft.id, 'subject', 'identifiers', 'PNC 12345');
    expect(pnc).toMatchObject({ ok: false, error: { fieldErrors: { identifiers: expect.stringContaining('PNC') } } });
    expect(unwrap(await store.repos.referrals.get(draft.id)).version).toBe(draft.version);
  });

  it('refuses a Category 3 referral at Level 1, and one whose facts fail the Level 2 test, with the reasons', async () => {
    const draft = await draftWith(cat3Answers('2'), 'Cal Notreal');
    const level1 = await saveSectionAnswer(deps, referrer, draft.id, 'reason', 'levelRequested', '1');
    expect(level1).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    if (!level1.ok) expect(level1.error.message).toMatch(/Category 3 cases can only be managed at Level 2 or 3/);

    const res = await submitReferral(deps, referrer, draft.id, draft.version);
    expect(res.ok).toBe(false);
    if (res.ok || res.error.code !== 'REFERRAL_INCOMPLETE') throw new Error('expected REFERRAL_INCOMPLETE');
    expect(res.error.reasons.join(' ')).toMatch(/Level 2 needs formal multi-agency meetings to add value/);
    expect(res.error.adviseAvailable).toBe(true);
    expect(unwrap(await store.repos.referrals.get(draft.id)).status).toBe('draft');
  });

  it("accepts the same referral when the referrer asks the co-ordinator to advise, telling them what the facts don't meet", async () => {
    const draft = await draftWith(cat3Answers('2'), 'Dee Fabricated');
    const res = unwrap(await submitReferral(deps, referrer, draft.id, draft.version, { askCoordinatorToAdvise: true }));
    expect(res.referral).toMatchObject({ status: 'submitted', sections: { reason: { levelRequested: 'advise' } } });
    expect(res.summary.levelRequested).toBe('Co-ordinator to advise');
    expect(res.summary.advisoryNotes.join(' ')).toMatch(/Category 3/);

    const typed = await draftWith(cat3Answers('advise'), 'Eli Pretend');
    expect(unwrap(await submitReferral(deps, referrer, typed.id, typed.version)).referral.status).toBe('submitted');
  });

  it('approves at Level 2: records the level on the case with the rationale and gives the first meeting due date', async () => {
    const r = await submitted(CAT2_LEVEL2, 'Fay Madeup');
    const res = unwrap(await decideReferral(deps, coordinator, r.id, { outcome: 'approve', level: 2, note: '' }));
    expect(res.alreadyDecided).toBe(false);
    expect(res.decision).toMatchObject({ outcome: 'accepted', level: 2, decidedBy: COORDINATOR });
    expect(res.decision.rationale).toMatch(/Level 2 test met: .*High or Very High/);
    // E&W default: 20 working days from the acceptance (Monday 2 March 2026) → Monday 30 March.
    expect(res.firstMeetingDue).toBe('2026-03-30');
    const c = unwrap(await store.repos.cases.get(r.caseId!));
    expect(c).toMatchObject({ status: 'managed_l2', level: 2 });
    expect(c.history.at(-1)).toMatchObject({ kind: 'level', to: 2, source: { type: 'referral', id: r.id } });
    expect(c.pendingReferralId).toBeUndefined();
  });

  it('is idempotent: a repeated decision returns the first one with alreadyDecided', async () => {
    const r = await submitted(CAT2_LEVEL2, 'Gus Invented');
    const first = unwrap(
      await decideReferral(deps, coordinator, r.id, { outcome: 'approve', level: 3, note: 'Press interest.' }),
    );
    const again = unwrap(
      await decideReferral(deps, coordinator, r.id, { outcome: 'reject', reason: 'Changed my mind' }),
    );
    expect(again.alreadyDecided).toBe(true);
    expect(again.decision).toEqual(first.decision);
    expect(unwrap(await store.repos.referrals.get(r.id)).status).toBe('accepted');
  });

  it('rejects with a reason and Level 1 advice; a rejection without a reason is refused', async () => {
    const r = await submitted(CAT2_LEVEL2, 'Hal Fictitious');
    const noReason = await decideReferral(deps, coordinator, r.id, { outcome: 'reject', reason: '  ' });
    expect(noReason).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', fieldErrors: { reason: expect.any(String) } },
    });
    const res = unwrap(
      await decideReferral(deps, coordinator, r.id, { outcome: 'reject', reason: 'The lead agency plan is robust.' }),
    );
    expect(res.decision.outcome).toBe('declined');
    expect(res.advice).toMatch(/manage at Level 1 with multi-agency information sharing/i);
    expect(unwrap(await store.repos.cases.get(r.caseId!))).toMatchObject({ status: 'managed_l1', level: 1 });
  });

  it('asks the referrer for more information and stores their answer', async () => {
    const r = await submitted(CAT2_LEVEL2, 'Ida Unreal');
    const asked = unwrap(await requestMoreInformation(deps, coordinator, r.id, 'Is the release address confirmed?'));
    expect(asked.referrerAadObjectId).toBe(PRACTITIONER.aadObjectId);
    expect(asked.summary.questions).toEqual([
      { question: 'Is the release address confirmed?', answer: null, askedOn: '2026-03-02' },
    ]);
    expect(await answerInformationRequest(deps, viewer, r.id, 'Not mine to answer')).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const answered = unwrap(await answerInformationRequest(deps, referrer, r.id, 'Not yet: housing are assessing it.'));
    expect(answered.summary.questions[0]?.answer).toBe('Not yet: housing are assessing it.');
    const trail = await store.repos.audit.listForEntity('referral', r.id);
    expect(trail.map((e) => e.details.question).filter(Boolean)).toEqual(['asked', 'answered']);
  });

  it('refuses decisions and questions from anyone but the co-ordinator, changing nothing', async () => {
    const r = await submitted(CAT2_LEVEL2, 'Jo Pseudonym');
    expect(await decideReferral(deps, referrer, r.id, { outcome: 'approve', level: 2 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_PERMITTED' },
    });
    expect(await requestMoreInformation(deps, viewer, r.id, 'Why?')).toMatchObject({
      ok: false,
      error: { code: 'NOT_PERMITTED' },
    });
    expect(unwrap(await store.repos.referrals.get(r.id)).status).toBe('submitted');
  });

  it("hides another referrer's draft", async () => {
    const draft = await draftWith([], 'Kit Imagined');
    expect(await saveSectionAnswer(deps, viewer, draft.id, 'referrer', 'jobTitle', 'Sergeant')).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('resumes the only draft, lists several, and starts from a case pre-filling what it knows', async () => {
    const me = principalOf(
      await enrol(aMember({ aadObjectId: '00000000-0000-4000-8000-00000000000a', displayName: 'Lee Placeholder' })),
    );
    const first = unwrap(await startOrResumeDraft(deps, me, {}));
    expect(first.kind).toBe('started');
    expect(unwrap(await startOrResumeDraft(deps, me, {})).kind).toBe('resumed');
    unwrap(await startOrResumeDraft(deps, me, { startNew: true, subjectLabel: 'Max Notreal' }));
    const listed = unwrap(await startOrResumeDraft(deps, me, {}));
    expect(listed.kind).toBe('choose');
    const byName = unwrap(await startOrResumeDraft(deps, me, { subjectLabel: 'M.N.' }));
    expect(byName).toMatchObject({ kind: 'resumed', referral: { sections: { subject: { name: { given: 'Max' } } } } });

    const subject = await store.repos.subjects.create(
      {
        areaId: AREA_ID,
        name: { given: 'Nia', family: 'Madeup' },
        aliases: [],
        dateOfBirth: '1985-05-05',
        identifiers: { crn: 'Y654321' },
        status: 'community',
      },
      { by: aRequestActor() },
    );
    const c = await store.repos.cases.create(
      {
        areaId: AREA_ID,
        jurisdiction: 'england-wales',
        subjectId: subject.id,
        status: 'managed_l1',
        category: 'cat1',
        level: 1,
        leadAgencyId: 'probation',
        keyDates: { sentenceDate: '2025-01-06' },
        history: [],
      },
      { by: aRequestActor() },
    );
    const fromCase = unwrap(await startOrResumeDraft(deps, me, { caseRef: c.ref }));
    if (fromCase.kind === 'choose') throw new Error('expected a draft');
    expect(fromCase.referral).toMatchObject({
      caseId: c.id,
      sections: {
        subject: { name: { given: 'Nia' }, identifiers: { crn: 'Y654321' }, status: 'community' },
        category: { category: 'cat1' },
        offence: { sentenceDate: '2025-01-06' },
      },
    });
    expect(unwrap(await startOrResumeDraft(deps, me, { caseRef: c.ref })).kind).toBe('resumed');
    expect(await startOrResumeDraft(deps, viewer, { caseRef: 'MAPPA-2026-9999' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('answers card actions with the same card (input kept, error shown) or the decided card with Export only', async () => {
    const r = await submitted(CAT2_LEVEL2, 'Pip Unreal');
    const h = {
      principal: coordinator,
      deps: { protectiveMarking: 'OFFICIAL-SENSITIVE', referrals: deps },
      card: (name: never, data: never) => renderCard(name, data, 'OFFICIAL-SENSITIVE'),
    } as unknown as HandlerContext;
    const refusal = await referralCardAction(h, 'referral.reject', {
      referralId: r.id,
      reason: ' ',
      noteL2: 'typed note',
    });
    expect(refusal.changed).toBe(false);
    const refused = JSON.stringify(refusal.card);
    expect(refused).toContain('Give a reason for rejecting the referral.');
    expect(refused).toContain('"value":"typed note"');
    expect(refused).toContain('"verb":"referral.approve"');

    const decided = await referralCardAction(h, 'referral.approve', { referralId: r.id, level: 2, noteL2: '' });
    expect(decided.changed).toBe(true);
    const json = JSON.stringify(decided.card);
    expect(json).toContain(`Approved at Level 2 by ${COORDINATOR.displayName}, 2 Mar 2026`);
    expect(json).toContain('First Level 2 meeting due by 30 Mar 2026.');
    // No decision buttons any more; the meeting can be scheduled and the MAPPA A still exported.
    expect((decided.card.actions as Array<{ title: string }> | undefined)?.map((a) => a.title)).toEqual([
      'Schedule meeting',
      'Export MAPPA A',
    ]);
  });

  it('counts working days left to decide, 10 by default', async () => {
    const area = unwrap(await store.repos.members.getArea(AREA_ID));
    const r = { submittedAt: '2026-03-02T09:00:00.000Z' } as Referral;
    expect(decisionDeadline(r, area, '2026-03-02')).toEqual({ due: '2026-03-16', daysLeft: 10 });
    expect(decisionDeadline(r, area, '2026-03-18')).toEqual({ due: '2026-03-16', daysLeft: -2 });
    expect(decisionDeadline({ ...r, submittedAt: undefined }, area, '2026-03-02')).toBeNull();
  });
});
