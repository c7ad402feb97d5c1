import {
  approveMinutes,
  compileMinutes,
  correctMinutes,
  editMinutesSection,
  listMinutesVersions,
  openMinutes,
} from '../../src/app/minutes';
import { MINUTES_SECTIONS, type Meeting, type Minutes } from '../../src/domain';
import { unwrap } from '../../src/lib/result';
import { minutesContentHash } from '../../src/store/minutes.repository';
import { minutesBlocks } from '../../src/documents/minutes-content';
import {
  person,
  SECRET,
  holdFiveAgencyMeeting,
  setUpFiveAgencyCase,
  type FiveAgencySetup,
} from '../support/five-agency-meeting';

describe('MAPPA B minutes from the five-agency meeting, on the real store', () => {
  let s: FiveAgencySetup;
  let meeting: Meeting;
  let draft: Minutes;

  beforeAll(async () => {
    s = await setUpFiveAgencyCase('minutes_uc');
    meeting = await holdFiveAgencyMeeting(s);
    // `end meeting` compiled the draft; compiling again returns the same one.
    const again = unwrap(await compileMinutes(s.depsOn(), meeting.id));
    expect(again.created).toBe(false);
    draft = again.minutes;
  });
  afterAll(() => s.store.close());

  it('compiles every MAPPA B section, in order, from the meeting record', async () => {
    expect(draft).toMatchObject({ status: 'draft', revision: 1, meetingId: meeting.id, caseId: s.caseRecord.id });
    expect(draft.meetingDetails).toMatchObject({
      caseRef: s.caseRecord.ref,
      // The level the meeting was held at; the Level 3 decision is in `decisions`.
      level: 2,
      category: 'cat2',
      kind: 'initial',
      chair: meeting.chair.name,
      date: meeting.scheduledStart.slice(0, 10),
    });
    expect(draft.attendance.map((a) => [a.agencyId, a.status])).toEqual([
      ['police', 'present'],
      ['probation', 'present'],
      ['housing-authority', 'present'],
      ['la-childrens-services', 'report_sent'],
      ['nhs-trust', 'present'],
    ]);
    expect(draft.attendance.find((a) => a.status === 'report_sent')!.agencyUpdateId).toBeDefined();
    expect(draft.confidentialityStatement).toContain('confidential');
    expect(draft.previousActionsReview).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          text: 'Confirm the tenancy at the approved address.',
          status: 'done',
          update: 'Tenancy signed.',
        }),
        expect.objectContaining({
          text: 'Complete the home visit.',
          status: 'in_progress',
          update: 'Visit booked for next week.',
        }),
      ]),
    );
    const byAgency = Object.fromEntries(draft.agencyUpdates.map((u) => [u.agencyId, u]));
    expect(Object.keys(byAgency).sort()).toEqual([
      'housing-authority',
      'la-childrens-services',
      'nhs-trust',
      'police',
      'probation',
    ]);
    expect(byAgency['la-childrens-services']).toMatchObject({
      kind: 'report_in_lieu',
      childrenAndVulnerablePeople: 'Sibling aged 9 on a plan.',
    });
    expect(byAgency.probation).toMatchObject({ kind: 'update', enteredOnBehalfBy: 'Inspector Robin Madeup' });
    expect(JSON.stringify(draft.agencyUpdates)).not.toContain(SECRET);
    expect(draft.riskAssessment).toMatchObject({
      roshLevel: 'high',
      roshToWhom: ['known_adult', 'children'],
      roshSummary: 'High risk of serious harm to a known adult and children.',
      assessment: expect.stringContaining('new relationship'),
      restrictedIntelligence: expect.stringContaining(SECRET),
    });
    expect(draft.rmp).toMatchObject({
      supervision: expect.stringContaining('Weekly reporting'),
      monitoring_control: expect.stringContaining('exclusion zone'),
      interventions_treatment: expect.stringContaining('mental health'),
      victim_safety: expect.stringContaining('Victim liaison'),
      contingency: expect.stringContaining('Arrest on any contact'),
    });
    expect(draft.actionIds).toHaveLength(5);
    expect(draft.victimIssues).toContain('asked to be told');
    expect(draft.disclosureDecisions).toEqual([
      { outcome: 'disclose', recipient: 'New partner', rationale: expect.stringContaining('proportionate') },
    ]);
    expect(draft.agencyViews.map((v) => [v.agencyId, v.level])).toEqual(
      expect.arrayContaining([
        ['housing-authority', 2],
        ['police', 3],
        ['probation', 3],
        ['nhs-trust', 3],
      ]),
    );
    expect(draft.decisions[0]).toMatchObject({
      topic: 'level',
      decision: 'Level 3',
      rationale: expect.stringContaining('senior oversight'),
      dissent: [{ agencyId: 'housing-authority', view: expect.stringContaining('tenancy is stable') }],
    });
    expect(draft.decisions[1]).toMatchObject({ topic: 'category', decision: 'Category 2' });
    const c = unwrap(await s.store.repos.cases.get(s.caseRecord.id));
    expect(draft.reviewDate).toBe(c.keyDates.nextReviewDate);
    expect(draft.distribution.map((d) => d.recipient)).toEqual(
      expect.arrayContaining([`Chair: ${meeting.chair.name}`, 'MAPPA co-ordinator (case file)']),
    );
    expect(draft.distribution.filter((d) => d.agencyId)).toHaveLength(5);
    for (const sec of MINUTES_SECTIONS) expect(draft[sec.field]).toBeDefined();
  });

  it('opens only for invited agencies and the co-ordinator, redacted for duty-to-co-operate readers, every opening audited', async () => {
    const deps = s.depsOn();
    const housing = unwrap(await openMinutes(deps, s.p.housing!, draft.id));
    expect(housing.withheld).toBe(true);
    expect(JSON.stringify(housing)).not.toContain(SECRET);
    const police = unwrap(await openMinutes(deps, s.p.police2!, draft.id));
    expect(police.minutes.riskAssessment.restrictedIntelligence).toContain(SECRET);
    unwrap(await openMinutes(deps, s.p.coordinator!, draft.id));
    for (const attempt of [
      openMinutes(deps, s.p.outsider!, draft.id),
      openMinutes(deps, s.p.outsider!, 'no-such-minutes'),
    ])
      expect(await attempt).toEqual({
        ok: false,
        error: expect.objectContaining({ code: 'NOT_FOUND', message: 'Those minutes were not found.' }),
      });
    const events = await s.store.repos.audit.listForEntity('minutes', draft.id);
    const opened = events.filter((e) => e.action === 'minutes.viewed');
    expect(opened.map((e) => e.actorAadObjectId)).toEqual([person(6), person(4), person(1)]);
    expect(opened[0]!.details).toMatchObject({ withheld: true });
  });

  it('keeps concurrent edits: different sections both land, the same section gives the second a conflict with its text kept', async () => {
    const deps = s.depsOn();
    const current = unwrap(await s.store.repos.minutes.get(draft.id));
    const v = current.sectionVersions;
    const [victims, review] = await Promise.all([
      editMinutesSection(deps, s.p.chair!, draft.id, {
        section: 'victim_issues',
        version: v.victim_issues,
        value: 'Victim informed.',
      }),
      editMinutesSection(deps, s.p.coordinator!, draft.id, {
        section: 'review_date',
        version: v.review_date,
        value: '2026-06-01',
      }),
    ]);
    expect(victims.ok && review.ok).toBe(true);
    const both = unwrap(await s.store.repos.minutes.get(draft.id));
    expect(both).toMatchObject({ victimIssues: 'Victim informed.', reviewDate: '2026-06-01' });
    expect(both.sectionVersions).toMatchObject({ victim_issues: 1, review_date: 1 });

    const edit = (who: 'chair' | 'coordinator', text: string) =>
      editMinutesSection(deps, s.p[who]!, draft.id, { section: 'confidentiality', version: 0, value: text });
    const [a, b] = await Promise.all([
      edit('chair', 'Statement read by the chair.'),
      edit('coordinator', 'Statement agreed by all.'),
    ]);
    const winner = [a, b].find((r) => r.ok)!;
    const loser = [a, b].find((r) => !r.ok)!;
    expect(winner.ok).toBe(true);
    expect(loser).toMatchObject({
      ok: false,
      error: {
        code: 'VERSION_CONFLICT',
        message: expect.stringContaining('while you were editing'),
        current: { version: 1, value: unwrap(winner).confidentialityStatement },
      },
    });
    if (loser.ok || !('typed' in loser.error)) throw new Error('expected a conflict');
    expect(loser.error.typed).not.toBe(unwrap(winner).confidentialityStatement);
    expect(unwrap(await s.store.repos.minutes.get(draft.id)).confidentialityStatement).toBe(
      unwrap(winner).confidentialityStatement,
    );

    // Only the chair or the co-ordinator edits; bad input names the section and loses nothing stored.
    expect(
      await editMinutesSection(deps, s.p.housing!, draft.id, { section: 'victim_issues', version: 1, value: 'x' }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_PERMITTED' } });
    expect(
      await editMinutesSection(deps, s.p.chair!, draft.id, { section: 'review_date', version: 1, value: '2026-02-30' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', fieldErrors: { review_date: expect.stringContaining('Next review date') } },
    });
  });

  it('approves once with the canonical content hash; the approved version is immutable; a correction is a new version with a reason', async () => {
    const deps = s.depsOn();
    const before = unwrap(await s.store.repos.minutes.get(draft.id));
    expect(await approveMinutes(deps, s.p.police1!, draft.id, { version: before.version })).toMatchObject({
      ok: false,
      error: { code: 'NOT_PERMITTED' },
    });
    const approved = unwrap(await approveMinutes(deps, s.p.chair!, draft.id, { version: before.version }));
    expect(approved).toMatchObject({ status: 'approved', revision: 1, approvedBy: { aadObjectId: person(2) } });
    expect(approved.contentHash).toBe(minutesContentHash(before));
    expect(await approveMinutes(deps, s.p.chair!, draft.id, { version: approved.version })).toMatchObject({
      ok: false,
      error: { code: 'ALREADY_DECIDED' },
    });
    expect(
      await editMinutesSection(deps, s.p.chair!, draft.id, { section: 'victim_issues', version: 1, value: 'Changed.' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'ALREADY_DECIDED', message: expect.stringContaining('start a correction with a reason') },
    });
    // Even straight at the store, bypassing the use case.
    expect(
      await s.store.repos.minutes.editSection(draft.id, 'victim_issues', 1, 'Changed.', {
        by: { ...approved.approvedBy!, tenantId: 't' },
      }),
    ).toMatchObject({ ok: false, error: { code: 'ALREADY_DECIDED' } });

    expect(
      await correctMinutes(deps, s.p.coordinator!, draft.id, { version: approved.version, reason: ' ' }),
    ).toMatchObject({
      ok: false,
      error: { fieldErrors: { reason: expect.stringContaining('Say why') } },
    });
    const corrected = unwrap(
      await correctMinutes(deps, s.p.coordinator!, draft.id, {
        version: approved.version,
        reason: 'Housing asked that its dissent be minuted in full.',
      }),
    );
    expect(corrected).toMatchObject({
      status: 'draft',
      revision: 2,
      correction: { reason: expect.stringContaining('dissent'), by: { aadObjectId: person(1) }, corrects: 1 },
    });
    expect(corrected).not.toHaveProperty('contentHash');
    unwrap(
      await editMinutesSection(deps, s.p.chair!, draft.id, {
        section: 'victim_issues',
        version: corrected.sectionVersions.victim_issues,
        value: 'Victim informed of the exclusion zone.',
      }),
    );
    const latest = unwrap(await s.store.repos.minutes.get(draft.id));
    const second = unwrap(await approveMinutes(deps, s.p.coordinator!, draft.id, { version: latest.version }));
    expect(second).toMatchObject({ status: 'approved', revision: 2 });
    expect(second.contentHash).not.toBe(approved.contentHash);

    const history = unwrap(await listMinutesVersions(deps, s.p.housing!, draft.id));
    expect(history.map((h) => [h.revision, h.status, h.contentHash])).toEqual([
      [1, 'approved', approved.contentHash],
      [2, 'approved', second.contentHash],
    ]);
    expect(history[0]!.minutes.victimIssues).toBe('Victim informed.');
    expect(history[1]!.correction).toMatchObject({ reason: expect.stringContaining('dissent') });
    expect(JSON.stringify(history)).not.toContain(SECRET);
    // The kept copy of revision 1 still hashes to what was approved.
    expect(minutesContentHash({ ...history[0]!.minutes, riskAssessment: approved.riskAssessment })).toBe(
      approved.contentHash,
    );
  });

  it('reads minutes stored before the level fix (decided level as "Level") with the held level, the decision on its own line', async () => {
    // The old shape: meetingDetails.level held the decided level (3) and there was no shape marker.
    const db = s.store.db;
    await db
      .collection('minutes')
      .updateOne({ _id: draft.id as never }, { $set: { 'meetingDetails.level': 3 }, $unset: { shape: '' } });
    await db
      .collection('minutesVersions')
      .updateMany(
        { minutesId: draft.id },
        { $set: { 'minutes.meetingDetails.level': 3 }, $unset: { 'minutes.shape': '' } },
      );
    expect(unwrap(await s.store.repos.minutes.get(draft.id)).meetingDetails.level).toBe(3);
    const view = unwrap(await openMinutes(s.depsOn(), s.p.housing!, draft.id));
    expect(view.minutes.meetingDetails.level).toBe(2);
    expect(view.minutes.decisions.find((d) => d.topic === 'level')?.decision).toBe('Level 3');
    const blocks = minutesBlocks({
      minutes: view.minutes,
      caseRef: view.caseRef,
      areaName: 'Area',
      marking: 'OFFICIAL-SENSITIVE',
      generatedAt: '2026-03-09T12:00:00.000Z',
      readerHasVisorAccess: false,
    });
    expect(blocks[0]!.rows).toEqual(
      expect.arrayContaining([
        { label: 'Level', text: 'Level 2' },
        { label: 'Decision', text: 'Level 3, Category 2' },
      ]),
    );
    for (const v of unwrap(await listMinutesVersions(s.depsOn(), s.p.housing!, draft.id)))
      expect(v.minutes.meetingDetails.level).toBe(2);
  });

  it('erasing the minutes erases the kept approved revisions too', async () => {
    unwrap(
      await s.store.repos.minutes.erase(draft.id, {
        by: { aadObjectId: person(1), displayName: 'Admin', tenantId: 't' },
      }),
    );
    const kept = await s.store.repos.minutes.listVersions(draft.id);
    expect(kept.length).toBeGreaterThan(1);
    for (const m of kept) {
      expect(JSON.stringify(m)).not.toContain('Victim informed');
      expect(JSON.stringify(m)).not.toContain(SECRET);
    }
  });
});

describe('end meeting when the minutes cannot be compiled', () => {
  it('still ends the meeting; the draft is compiled later', async () => {
    const s = await setUpFiveAgencyCase('minutes_fault');
    try {
      const real = s.store.repos.minutes;
      const broken = Object.create(real) as typeof real;
      broken.getForMeeting = () => Promise.reject(new Error('database went away'));
      const meeting = await holdFiveAgencyMeeting(s, { ...s.depsOn(), minutes: broken });
      expect(meeting.status).toBe('held');
      expect((await real.getForMeeting(meeting.id)).ok).toBe(false);
      const later = unwrap(await compileMinutes(s.depsOn(), meeting.id));
      expect(later).toMatchObject({ created: true, minutes: { status: 'draft', meetingId: meeting.id } });
    } finally {
      await s.store.close();
    }
  });
});
