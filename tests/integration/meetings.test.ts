import {
  addPlanAction,
  actionIdFor,
  endMeeting,
  giveClosingView,
  moveAgencyRound,
  openAgencyRound,
  recordAttendance,
  recordDecision,
  recordRisk,
  reviewPreviousAction,
  saveAgencyUpdate,
  scheduleMeeting,
  scheduleOptions,
  startMeeting,
  viewMeeting,
  type MeetingDeps,
} from '../../src/app/meetings';
import type { CaseRecord } from '../../src/app/ports';
import { addDays, deadlineForArea, type Area } from '../../src/domain';
import type { Principal } from '../../src/domain/policy';
import { unwrap } from '../../src/lib/result';
import { createRepositories } from '../../src/store';
import { aRequestActor, AREA_ID } from '../fixtures/builders';
import {
  holdFiveAgencyMeeting,
  person,
  SECRET,
  setUpFiveAgencyCase,
  type FiveAgencySetup,
} from '../support/five-agency-meeting';
import type { TestStore } from '../support/store';

describe('Level 2 meeting on the real store, agency by agency', () => {
  let store: TestStore;
  let area: Area;
  let deps: MeetingDeps;
  let caseRecord: CaseRecord;
  let p: Readonly<Record<string, Principal>>;
  let depsOn: FiveAgencySetup['depsOn'];

  beforeAll(async () => {
    ({ store, area, caseRecord, p, depsOn } = await setUpFiveAgencyCase('meetings_uc'));
    deps = depsOn();
  });
  afterAll(() => store.close());

  it('runs a whole meeting: schedule, attendance, previous actions, round (restart mid-round), risk, plan, views, decision, end', async () => {
    // --- Scheduling: defaults from the case, the due date from the timescales, a late date needs a reason.
    const opts = unwrap(await scheduleOptions({ ...deps, listChairs: async () => [] }, p.coordinator!, caseRecord.ref));
    const due = deadlineForArea(area, 'firstLevel2Meeting', '2026-02-02')!.due;
    expect(opts).toMatchObject({ level: 2, kind: 'initial', dueBy: due });
    expect([...opts.agencyIds].sort()).toEqual(['housing-authority', 'police', 'probation']);

    const invite = {
      kind: 'initial',
      level: '2',
      time: '10:00',
      chair: person(2),
      agencies: 'police,probation,housing-authority,la-childrens-services,nhs-trust',
    };
    const late = addDays(due, 7);
    expect(await scheduleMeeting(deps, p.coordinator!, caseRecord.ref, { ...invite, date: late })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', fieldErrors: { lateReason: expect.stringContaining(due) } },
    });
    // A lead-agency practitioner may see the case but not schedule; another agency's gets 'not found'.
    expect(await scheduleMeeting(deps, p.police1!, caseRecord.ref, { ...invite, date: due })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await scheduleMeeting(deps, p.probation!, caseRecord.ref, { ...invite, date: due })).toMatchObject({
      ok: false,
      error: { code: 'NOT_PERMITTED' },
    });
    const meeting = unwrap(
      await scheduleMeeting(deps, p.coordinator!, caseRecord.ref, {
        ...invite,
        date: late,
        lateReason: 'The chair is on leave that week.',
      }),
    );
    expect(meeting).toMatchObject({
      dueBy: due,
      lateReason: 'The chair is on leave that week.',
      chair: { aadObjectId: person(2) },
      status: 'scheduled',
    });
    expect(meeting.invitees).toHaveLength(5);
    store.clock.set(`${late}T10:00:00.000Z`);

    // --- Preparation: police prepares a draft with police-only intelligence before the meeting.
    const draft = unwrap(
      await saveAgencyUpdate(deps, p.police1!, meeting.id, {
        agencyId: 'police',
        content: 'Two attendances at the address; compliant with registration.',
        restrictedIntelligence: SECRET,
      }),
    );
    expect(draft).toMatchObject({ status: 'draft', version: 0 });
    expect(
      await saveAgencyUpdate(deps, p.housing!, meeting.id, {
        agencyId: 'housing-authority',
        content: 'x',
        restrictedIntelligence: 'y',
      }),
    ).toMatchObject({
      ok: false,
      error: { fieldErrors: { restrictedIntelligence: expect.stringContaining('ViSOR') } },
    });

    // --- Start: only the chair or the co-ordinator.
    expect(await startMeeting(deps, p.police1!, meeting.id)).toMatchObject({
      ok: false,
      error: { code: 'NOT_PERMITTED' },
    });
    expect(
      unwrap(await startMeeting(deps, p.chair!, meeting.id, { conversationId: '19:meeting_abc@thread.v2' })),
    ).toMatchObject({
      alreadyStarted: false,
      meeting: { status: 'in_progress', run: { conversationId: '19:meeting_abc@thread.v2' } },
    });

    // --- Attendance: four present (two at once), children's services absent with a written report.
    await Promise.all(
      (['police1', 'probation', 'housing', 'health'] as const).map(async (k) =>
        unwrap(
          await recordAttendance(deps, p[k]!, meeting.id, { agencyId: p[k]!.member!.agencyId, status: 'present' }),
        ),
      ),
    );
    expect(
      await recordAttendance(deps, p.housing!, meeting.id, { agencyId: 'la-childrens-services', status: 'apologies' }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    unwrap(
      await recordAttendance(deps, p.chair!, meeting.id, { agencyId: 'la-childrens-services', status: 'report_sent' }),
    );
    unwrap(
      await saveAgencyUpdate(deps, p.children!, meeting.id, {
        agencyId: 'la-childrens-services',
        kind: 'report_in_lieu',
        content: 'No new referrals; the younger sibling remains on a child protection plan.',
        childrenAndVulnerablePeople: 'Sibling aged 9 on a plan.',
      }),
    );

    // --- Previous actions: the owner marks its own; the chair marks another's; nobody else may.
    const earlier = (await store.repos.actions.listForCase(caseRecord.id)).filter(
      (a) => a.meetingId === 'meeting-earlier',
    );
    const housingAction = earlier.find((a) => a.ownerAgencyId === 'housing-authority')!;
    const policeAction = earlier.find((a) => a.ownerAgencyId === 'police')!;
    expect(
      await reviewPreviousAction(deps, p.probation!, meeting.id, { actionId: policeAction.id, status: 'done' }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    unwrap(
      await reviewPreviousAction(deps, p.housing!, meeting.id, {
        actionId: housingAction.id,
        status: 'done',
        note: 'Tenancy signed.',
      }),
    );
    unwrap(
      await reviewPreviousAction(deps, p.chair!, meeting.id, {
        actionId: policeAction.id,
        status: 'in_progress',
        note: 'Visit booked for next week.',
      }),
    );
    expect(unwrap(await store.repos.actions.get(housingAction.id))).toMatchObject({ status: 'done' });

    // --- The round: present agencies in the invited order, the first current; the chair reorders.
    let m = unwrap(await openAgencyRound(deps, p.chair!, meeting.id));
    expect(m.run!.round).toMatchObject({ turn: 0 });
    expect(m.run!.round!.order.find((s) => s.agencyId === 'la-childrens-services')!.state).toBe('report_received');
    expect(await moveAgencyRound(deps, p.police1!, meeting.id, { kind: 'next', turn: 0 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_PERMITTED', message: expect.stringContaining('chair') },
    });
    const order = ['police', 'housing-authority', 'nhs-trust', 'probation', 'la-childrens-services'];
    m = unwrap(
      await moveAgencyRound(deps, p.chair!, meeting.id, { kind: 'reorder', turn: 0, order: order.join(',') }),
    ).meeting;
    expect(m.run!.round!.order.map((s) => [s.agencyId, s.state])).toEqual([
      ['police', 'current'],
      ['housing-authority', 'waiting'],
      ['nhs-trust', 'waiting'],
      ['probation', 'waiting'],
      ['la-childrens-services', 'report_received'],
    ]);
    const currentOf = (mt: typeof m) => mt.run!.round!.order.find((s) => s.state === 'current')?.agencyId;
    // Police is not ready: the chair skips it and comes back to it after the others.
    m = unwrap(await moveAgencyRound(deps, p.chair!, meeting.id, { kind: 'skip', turn: 1 })).meeting;
    expect(currentOf(m)).toBe('housing-authority');

    unwrap(
      await saveAgencyUpdate(deps, p.housing!, meeting.id, {
        agencyId: 'housing-authority',
        content: 'Rent paid; no complaints from neighbours.',
        confirm: true,
      }),
    );
    m = unwrap(await moveAgencyRound(deps, p.chair!, meeting.id, { kind: 'next', turn: 2 })).meeting;
    // A double click (or a stale card from turn 2) changes nothing and answers with the round as it is.
    const stale = unwrap(await moveAgencyRound(deps, p.chair!, meeting.id, { kind: 'next', turn: 2 }));
    expect(stale).toMatchObject({ moved: false, notice: expect.stringContaining('moved on') });
    expect(stale.meeting.run!.round!.turn).toBe(3);
    expect(currentOf(stale.meeting)).toBe('nhs-trust');

    // --- The bot restarts mid-round: fresh repositories on the same database carry on where it was.
    deps = depsOn(createRepositories(store.db, store.clock));
    const resumed = unwrap(await viewMeeting(deps, p.chair!, meeting.id));
    expect(resumed.meeting.run!.round!.turn).toBe(3);
    expect(resumed.updates.find((u) => u.agencyId === 'police')).toMatchObject({ version: 0, status: 'draft' });

    unwrap(
      await saveAgencyUpdate(deps, p.health!, meeting.id, {
        agencyId: 'nhs-trust',
        content: 'Attending the GP; depot medication on time.',
        confirm: true,
      }),
    );
    m = unwrap(await moveAgencyRound(deps, p.chair!, meeting.id, { kind: 'next', turn: 3 })).meeting;
    expect(currentOf(m)).toBe('probation');
    // Probation's officer is not typing: the chair enters the update on its behalf, recorded as such.
    const onBehalf = unwrap(
      await saveAgencyUpdate(deps, p.chair!, meeting.id, {
        agencyId: 'probation',
        content: 'Reporting weekly; keyworker reports good engagement.',
      }),
    );
    expect(onBehalf).toMatchObject({ status: 'confirmed', enteredOnBehalfBy: { aadObjectId: person(2) } });
    expect(
      // Children's services sent a written report: not in the round, so not the chair's to type.
      await saveAgencyUpdate(deps, p.chair!, meeting.id, {
        agencyId: 'la-childrens-services',
        content: 'not its turn',
      }),
    ).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    m = unwrap(await moveAgencyRound(deps, p.chair!, meeting.id, { kind: 'next', turn: 4 })).meeting;
    expect(currentOf(m)).toBe('police');

    // Another agency's member cannot write police's update, even at police's turn.
    expect(
      await saveAgencyUpdate(deps, p.housing!, meeting.id, { agencyId: 'police', content: 'not mine', version: 0 }),
    ).toMatchObject({ ok: false, error: { code: 'NOT_PERMITTED' } });

    // Two police officers amend the prepared draft at the same time: one wins, the other is told and keeps their text.
    const amend = (k: 'police1' | 'police2', content: string) =>
      saveAgencyUpdate(deps, p[k]!, meeting.id, {
        agencyId: 'police',
        content,
        restrictedIntelligence: SECRET,
        confirm: 'true',
        version: '0',
      });
    const [a, b] = await Promise.all([
      amend('police1', 'Two attendances; compliant. Arrested once for breach, no further action.'),
      amend('police2', 'Compliant with registration; ANPR shows two trips to the coast.'),
    ]);
    const loser = [a, b].find((r) => !r.ok)!;
    const winner = [a, b].find((r) => r.ok)!;
    expect(winner).toMatchObject({ ok: true, value: { version: 1, status: 'confirmed' } });
    expect(loser).toMatchObject({
      ok: false,
      error: {
        code: 'VERSION_CONFLICT',
        message: expect.stringContaining('saved this update while you were typing'),
        current: { version: 1, content: unwrap(winner).content },
      },
    });
    if (loser.ok || !('typed' in loser.error)) throw new Error('expected a conflict');
    const kept = loser.error.typed as { content: string };
    expect(kept.content).not.toBe(unwrap(winner).content);
    const merged = unwrap(
      await saveAgencyUpdate(deps, a.ok ? p.police2! : p.police1!, meeting.id, {
        agencyId: 'police',
        content: `${unwrap(winner).content} ${kept.content}`,
        restrictedIntelligence: SECRET,
        confirm: true,
        version: 1,
      }),
    );
    expect(merged).toMatchObject({ version: 2, status: 'confirmed' });
    expect(merged.content).toContain(kept.content);
    m = unwrap(await moveAgencyRound(deps, p.chair!, meeting.id, { kind: 'next', turn: 5 })).meeting;
    expect(m.run!.round!.order.map((s) => s.state)).toEqual(['done', 'done', 'done', 'done', 'report_received']);

    // --- Risk and plan: every pillar plus contingency.
    unwrap(await recordRisk(deps, p.chair!, meeting.id, { level: 'high', toWhom: 'known_adult,children' }));
    expect(await recordRisk(deps, p.police1!, meeting.id, { level: 'high', toWhom: 'public' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_PERMITTED' },
    });
    const plan = [
      ['supervision', 'probation', 'Weekly reporting and home visits.'],
      ['monitoring_control', 'police', 'Request an exclusion zone licence condition.'],
      ['interventions_treatment', 'nhs-trust', 'Refer to the community mental health team.'],
      ['victim_safety', 'probation', 'Victim liaison officer to update the victim.'],
      ['contingency', 'police', 'Arrest on any contact with the sibling.'],
    ] as const;
    for (const [pillar, ownerAgencyId, text] of plan)
      unwrap(
        await addPlanAction(deps, p.chair!, meeting.id, { pillar, ownerAgencyId, text, dueDate: addDays(late, 28) }),
      );
    expect(
      await addPlanAction(deps, p.chair!, meeting.id, {
        pillar: 'supervision',
        ownerAgencyId: 'dwp',
        text: 'x',
        dueDate: late,
      }),
    ).toMatchObject({ ok: false, error: { fieldErrors: { ownerAgencyId: expect.any(String) } } });

    // --- Closing views: every present agency; one dissents; the absent agency has no view.
    for (const k of ['police1', 'probation', 'health'] as const)
      unwrap(await giveClosingView(deps, p[k]!, meeting.id, { level: '3', category: 'cat2' }));
    unwrap(
      await giveClosingView(deps, p.housing!, meeting.id, { level: '2', category: 'cat2', comment: 'Stable housing.' }),
    );
    expect(await giveClosingView(deps, p.children!, meeting.id, { level: '3', category: 'cat2' })).toMatchObject({
      ok: false,
    });

    expect(await endMeeting(deps, p.chair!, meeting.id)).toMatchObject({
      ok: false,
      error: { fieldErrors: { meeting: expect.stringContaining('decision') } },
    });
    const reviewDue = deadlineForArea(area, 'level3Review', late)!.due;
    expect(
      await recordDecision(deps, p.chair!, meeting.id, {
        level: 3,
        category: 'cat2',
        rationale: 'Escalating risk to the sibling needs senior oversight.',
        nextReviewDate: addDays(reviewDue, 7),
      }),
    ).toMatchObject({ ok: false, error: { fieldErrors: { reviewDateReason: expect.stringContaining(reviewDue) } } });
    m = unwrap(
      await recordDecision(deps, p.chair!, meeting.id, {
        level: 3,
        category: 'cat2',
        rationale: 'Escalating risk to the sibling needs senior oversight.',
        disclosureOutcome: 'disclose',
        disclosureRecipient: 'New partner',
        disclosureRationale: 'She has children; disclosure is necessary and proportionate.',
        dissent: 'housing-authority: Level 2 suffices while the tenancy is stable.',
      }),
    );
    expect(m.run!.decision).toMatchObject({
      level: 3,
      nextReviewDate: reviewDue,
      computedReviewDate: reviewDue,
      dissent: [{ agencyId: 'housing-authority' }],
      disclosure: { outcome: 'disclose' },
    });

    // --- End: a crash after writing one action is simulated; the retry writes the rest, none twice.
    const first = m.run!.plan[0]!;
    await store.repos.actions.createOnce(
      actionIdFor(meeting.id, first.key),
      {
        areaId: AREA_ID,
        caseId: caseRecord.id,
        meetingId: meeting.id,
        text: first.text,
        ownerName: 'Probation Service',
        ownerAgencyId: first.ownerAgencyId,
        dueDate: first.dueDate,
        pillar: first.pillar,
      },
      { by: aRequestActor() },
    );
    const ended = unwrap(await endMeeting(deps, p.chair!, meeting.id));
    expect(ended.alreadyEnded).toBe(false);
    expect(ended.meeting).toMatchObject({ status: 'held', run: { endedBy: { aadObjectId: person(2) } } });
    expect(ended.actions.map((x) => x.pillar).sort()).toEqual([
      'contingency',
      'interventions_treatment',
      'monitoring_control',
      'supervision',
      'victim_safety',
    ]);
    const again = unwrap(await endMeeting(deps, p.chair!, meeting.id));
    expect(again.alreadyEnded).toBe(true);
    expect(
      (await store.repos.actions.listForCase(caseRecord.id)).filter((x) => x.meetingId === meeting.id),
    ).toHaveLength(5);

    // The level change is a decision record on the case, with who, why and the dissent.
    const c = unwrap(await store.repos.cases.get(caseRecord.id));
    expect(c).toMatchObject({ level: 3, status: 'managed_l3', keyDates: { nextReviewDate: reviewDue } });
    expect(c.history.at(-1)).toMatchObject({
      kind: 'level',
      from: 2,
      to: 3,
      source: { type: 'meeting', id: meeting.id },
      actor: { aadObjectId: person(2) },
      dissent: expect.stringContaining('housing-authority'),
    });
    expect(c.history.filter((h) => h.source.id === meeting.id)).toHaveLength(1);

    // A duty-to-co-operate member never receives police-only text; a police member does.
    const dtc = unwrap(await viewMeeting(deps, p.housing!, meeting.id));
    expect(dtc.withheld).toBe(1);
    expect(JSON.stringify(dtc)).not.toContain(SECRET);
    expect(dtc.updates.find((u) => u.agencyId === 'police')).not.toHaveProperty('restrictedIntelligence');
    const police = unwrap(await viewMeeting(deps, p.police2!, meeting.id));
    expect(police.updates.find((u) => u.agencyId === 'police')!.restrictedIntelligence).toBe(SECRET);

    // Nobody outside the invited agencies reads or writes meeting content, and the answer does not confirm it exists.
    for (const attempt of [
      viewMeeting(deps, p.outsider!, meeting.id),
      saveAgencyUpdate(deps, p.outsider!, meeting.id, { agencyId: 'dwp', content: 'x' }),
      viewMeeting(deps, p.outsider!, 'no-such-meeting'),
    ])
      expect(await attempt).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND', message: 'That meeting was not found.' },
      });

    // Every read of meeting content is audited.
    const events = await store.repos.audit.listForEntity('meeting', meeting.id);
    const viewers = events.filter((e) => e.action === 'meeting.viewed').map((e) => e.actorAadObjectId);
    expect(viewers).toEqual([person(2), person(6), person(4)]);
    expect(
      events.find((e) => e.action === 'meeting.viewed' && e.actorAadObjectId === person(6))!.details,
    ).toMatchObject({ withheld: 1 });
  });
});

describe('reviewing a previous action that leaves in the same moment', () => {
  it('keeps the review in the meeting and says the action did not follow, rather than refusing', async () => {
    const s = await setUpFiveAgencyCase('meetings_review_gone');
    try {
      const meeting = await holdFiveAgencyMeeting(s, s.depsOn(), { end: false });
      // Police's earlier action, left in progress by the meeting's first review; the chair reviews it again.
      const policeAction = (await s.store.repos.actions.listForCase(s.caseRecord.id)).find(
        (a) => a.meetingId === 'meeting-earlier' && a.ownerAgencyId === 'police',
      )!;
      const deps = s.depsOn();
      // The action is really removed from the store between the review's save and its write to the action.
      const actions: MeetingDeps['actions'] = Object.assign(Object.create(deps.actions) as MeetingDeps['actions'], {
        update: async (...args: Parameters<MeetingDeps['actions']['update']>) => {
          await s.store.db.collection('actions').deleteOne({ _id: args[0] as never });
          return deps.actions.update(...args);
        },
      });

      const res = await reviewPreviousAction({ ...deps, actions }, s.p.chair!, meeting.id, {
        actionId: policeAction.id,
        status: 'done',
      });

      expect(res).toMatchObject({
        ok: true,
        value: { notice: expect.stringContaining('the action is no longer here') },
      });
      const saved = unwrap(await s.store.repos.meetings.get(meeting.id));
      expect(saved.run!.previousActions).toContainEqual(
        expect.objectContaining({ actionId: policeAction.id, status: 'done' }),
      );
    } finally {
      await s.store.close();
    }
  });
});
