import {
  addPlanAction,
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
  startMeeting,
  type MeetingDeps,
} from '../../src/app/meetings';
import type { CaseRecord, Repositories } from '../../src/app/ports';
import { addDays, deadlineForArea, type Area, type Meeting, type Member } from '../../src/domain';
import type { Principal } from '../../src/domain/policy';
import { unwrap } from '../../src/lib/result';
import { aMember, anArea, aNewAction, aNewCase, aRequestActor, AREA_ID, aLevelDecision } from '../fixtures/builders';
import { principalOf } from '../fixtures/referral-answers';
import { openTestStore, type TestStore } from './store';

/** Police-only intelligence the police update carries; never shown to duty-to-co-operate readers. */
export const SECRET = 'Intelligence grade B: associates with a known supplier at the Dockside address.';

/** Invented members, one Entra id each. */
export const person = (n: number) => `00000000-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`;

export const FIVE_AGENCIES = 'police,probation,housing-authority,la-childrens-services,nhs-trust';

/** The case, people and last meeting's actions of the five-agency Level 2 meeting, on a fresh database. */
export interface FiveAgencySetup {
  readonly store: TestStore;
  readonly area: Area;
  readonly caseRecord: CaseRecord;
  /** Principals by role key: coordinator, chair, police1, police2, probation, housing, children, health, outsider. */
  readonly p: Readonly<Record<string, Principal>>;
  depsOn(repos?: Repositories): MeetingDeps & { readonly minutes: Repositories['minutes'] };
}

export async function setUpFiveAgencyCase(prefix: string): Promise<FiveAgencySetup> {
  const store = await openTestStore(prefix);
  const p: Record<string, Principal> = {};
  const { version: _v, ...a } = anArea('england-wales', { id: AREA_ID });
  const area = unwrap(await store.repos.members.createArea(a, { by: aRequestActor() }));
  const enrol = async (key: string, n: number, agencyId: string, roles: Member['roles'], name: string) => {
    const m = aMember({ aadObjectId: person(n), displayName: name, agencyId, roles });
    const { version: _mv, ...input } = m;
    p[key] = principalOf(unwrap(await store.repos.members.enrol(input, { by: aRequestActor() })));
  };
  await enrol('coordinator', 1, 'probation', ['coordinator'], 'Casey Coordinator');
  await enrol('chair', 2, 'police', ['chair'], 'Inspector Robin Madeup');
  await enrol('police1', 3, 'police', ['practitioner'], 'DC Jamie Notreal');
  await enrol('police2', 4, 'police', ['practitioner'], 'DS Morgan Fictive');
  await enrol('probation', 5, 'probation', ['practitioner'], 'Sam Invented');
  await enrol('housing', 6, 'housing-authority', ['practitioner'], 'Lee Pretend');
  await enrol('children', 7, 'la-childrens-services', ['practitioner'], 'Ari Imagined');
  await enrol('health', 8, 'nhs-trust', ['practitioner'], 'Dr Kit Fabricated');
  await enrol('outsider', 9, 'dwp', ['practitioner'], 'Val Elsewhere');
  const caseRecord = await store.repos.cases.create(
    aNewCase({
      areaId: AREA_ID,
      status: 'managed_l2',
      level: 2,
      category: 'cat2',
      leadAgencyId: 'probation',
      history: [{ ...aLevelDecision(2, { type: 'referral', id: 'referral-1' }), from: null }],
    }),
    { by: aRequestActor() },
  );
  // Last time's actions: housing's (to be marked done) and police's (in progress).
  for (const [ownerAgencyId, text] of [
    ['housing-authority', 'Confirm the tenancy at the approved address.'],
    ['police', 'Complete the home visit.'],
  ] as const)
    await store.repos.actions.create(
      aNewAction({
        caseId: caseRecord.id,
        meetingId: 'meeting-earlier',
        ownerAgencyId,
        text,
        ownerAadObjectId: undefined,
      }),
      { by: aRequestActor() },
    );
  const depsOn = (repos: Repositories = store.repos) => ({
    meetings: repos.meetings,
    agencyUpdates: repos.agencyUpdates,
    actions: repos.actions,
    cases: repos.cases,
    referrals: repos.referrals,
    members: repos.members,
    minutes: repos.minutes,
    audit: repos.audit,
    clock: store.clock,
    areaId: AREA_ID,
  });
  return { store, area, caseRecord, p, depsOn };
}

/**
 * The same meeting as the transcript in tests/integration/meetings.test.ts, on its happy path only:
 * four agencies present, children's services by written report, police with police-only intelligence,
 * every pillar planned, housing dissenting, level 2 → 3 with a disclosure. Returns the held meeting.
 */
export async function holdFiveAgencyMeeting(
  s: Pick<FiveAgencySetup, 'p' | 'area' | 'caseRecord' | 'depsOn'> & {
    readonly store: Pick<TestStore, 'clock' | 'repos'>;
  },
  deps: ReturnType<FiveAgencySetup['depsOn']> = s.depsOn(),
  /** `end: false` leaves it ready to end (for ending it through the bot). */
  opts: { readonly end?: boolean; readonly minuteTaker?: string } = {},
): Promise<Meeting> {
  const { p } = s;
  const due = deadlineForArea(s.area, 'firstLevel2Meeting', '2026-02-02')!.due;
  const date = addDays(due, 7);
  const meeting = unwrap(
    await scheduleMeeting(deps, p.coordinator!, s.caseRecord.ref, {
      kind: 'initial',
      level: '2',
      time: '10:00',
      chair: person(2),
      agencies: FIVE_AGENCIES,
      date,
      lateReason: 'The chair is on leave that week.',
    }),
  );
  s.store.clock.set(`${date}T10:00:00.000Z`);
  unwrap(
    await startMeeting(deps, p.chair!, meeting.id, {
      conversationId: '19:meeting_abc@thread.v2',
      ...(opts.minuteTaker ? { minuteTaker: opts.minuteTaker } : {}),
    }),
  );
  for (const k of ['police1', 'probation', 'housing', 'health'] as const)
    unwrap(await recordAttendance(deps, p[k]!, meeting.id, { agencyId: p[k]!.member!.agencyId, status: 'present' }));
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
  const earlier = (await s.store.repos.actions.listForCase(s.caseRecord.id)).filter(
    (a) => a.meetingId === 'meeting-earlier',
  );
  const review = [
    ['housing', 'housing-authority', 'done', 'Tenancy signed.'],
    ['chair', 'police', 'in_progress', 'Visit booked for next week.'],
  ] as const;
  for (const [who, agency, status, note] of review)
    unwrap(
      await reviewPreviousAction(deps, p[who]!, meeting.id, {
        actionId: earlier.find((a) => a.ownerAgencyId === agency)!.id,
        status,
        note,
      }),
    );
  unwrap(await openAgencyRound(deps, p.chair!, meeting.id));
  const order = ['police', 'housing-authority', 'nhs-trust', 'probation', 'la-childrens-services'];
  unwrap(await moveAgencyRound(deps, p.chair!, meeting.id, { kind: 'reorder', turn: 0, order: order.join(',') }));
  const updates = [
    ['police1', 'police', 'Two attendances at the address; compliant with registration.', SECRET],
    ['housing', 'housing-authority', 'Rent paid; no complaints from neighbours.', undefined],
    ['health', 'nhs-trust', 'Attending the GP; depot medication on time.', undefined],
    ['chair', 'probation', 'Reporting weekly; keyworker reports good engagement.', undefined],
  ] as const;
  for (const [i, [who, agencyId, content, secret]] of updates.entries()) {
    unwrap(
      await saveAgencyUpdate(deps, p[who]!, meeting.id, {
        agencyId,
        content,
        ...(secret ? { restrictedIntelligence: secret } : {}),
        ...(agencyId === 'police' ? { changeInRisk: 'Risk raised: new relationship with a mother of two.' } : {}),
        ...(agencyId === 'probation' ? { victimIssues: 'The victim has asked to be told of any move.' } : {}),
        confirm: true,
      }),
    );
    unwrap(await moveAgencyRound(deps, p.chair!, meeting.id, { kind: 'next', turn: i + 1 }));
  }
  unwrap(await recordRisk(deps, p.chair!, meeting.id, { level: 'high', toWhom: 'known_adult,children' }));
  const plan = [
    ['supervision', 'probation', 'Weekly reporting and home visits.'],
    ['monitoring_control', 'police', 'Request an exclusion zone licence condition.'],
    ['interventions_treatment', 'nhs-trust', 'Refer to the community mental health team.'],
    ['victim_safety', 'probation', 'Victim liaison officer to update the victim.'],
    ['contingency', 'police', 'Arrest on any contact with the sibling.'],
  ] as const;
  for (const [pillar, ownerAgencyId, text] of plan)
    unwrap(
      await addPlanAction(deps, p.chair!, meeting.id, { pillar, ownerAgencyId, text, dueDate: addDays(date, 28) }),
    );
  for (const k of ['police1', 'probation', 'health'] as const)
    unwrap(await giveClosingView(deps, p[k]!, meeting.id, { level: '3', category: 'cat2' }));
  unwrap(
    await giveClosingView(deps, p.housing!, meeting.id, { level: '2', category: 'cat2', comment: 'Stable housing.' }),
  );
  unwrap(
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
  if (opts.end === false) return meeting;
  return unwrap(await endMeeting(deps, p.chair!, meeting.id)).meeting;
}
