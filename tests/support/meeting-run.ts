import { MongoClient } from 'mongodb';
import { scheduleMeeting, type MeetingDeps } from '../../src/app/meetings';
import type { Meeting } from '../../src/domain/meeting.schema';
import type { Principal } from '../../src/domain/policy';
import { unwrap } from '../../src/lib/result';
import { createRepositories } from '../../src/store';
import { aNewAction, aNewCase, aRequestActor } from '../fixtures/builders';
import { aLevelDecision } from '../fixtures/domain-builders';
import { cardAction, invokeCard, message, postActivity, TENANT_ID, type UserRef } from './activities';
import type { TestApp } from './app';
import { testMongoUri } from './mongo';

/** The group chat the meeting runs in (invented ids). */
export const MEETING_CHAT = {
  id: '19:mappa-meeting-chat@thread.v2',
  conversationType: 'groupChat',
  isGroup: true,
  tenantId: TENANT_ID,
};

const person = (n: number, name: string): UserRef => ({
  id: `29:meet-${n}`,
  aadObjectId: `b0000000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`,
  name,
});

/** An invented cast: the chair (police), five agencies' practitioners, an outsider agency. */
export const cast = {
  coordinator: person(1, 'Casey Coordinator'),
  chair: person(2, 'Inspector Robin Madeup'),
  police: person(3, 'DC Jamie Notreal'),
  probation: person(4, 'Sam Invented'),
  probation2: person(5, 'Alex Pretendworth'),
  housing: person(6, 'Lee Pretend'),
  children: person(7, 'Ari Imagined'),
  health: person(8, 'Dr Kit Fabricated'),
  outsider: person(9, 'Val Elsewhere'),
  stranger: person(10, 'Nobody Enrolled'),
} satisfies Record<string, UserRef>;

export const ENROLMENT: ReadonlyArray<readonly [keyof typeof cast, string, string]> = [
  ['chair', 'police', 'chair'],
  ['police', 'police', 'practitioner'],
  ['probation', 'probation', 'practitioner'],
  ['probation2', 'probation', 'practitioner'],
  ['housing', 'housing-authority', 'practitioner'],
  ['children', 'la-childrens-services', 'practitioner'],
  ['health', 'nhs-trust', 'practitioner'],
  ['outsider', 'dwp', 'practitioner'],
];

export const INVITED = 'police,probation,housing-authority,la-childrens-services,nhs-trust';

/** A Level 2 case with two actions from last time, and its meeting scheduled through the use case. */
export async function scheduleTestMeeting(
  t: TestApp,
  areaId = 'local-area',
  uri = testMongoUri(),
): Promise<{ meeting: Meeting; caseRef: string; deps: MeetingDeps; close: () => Promise<void> }> {
  const client = new MongoClient(uri);
  await client.connect();
  const repos = createRepositories(client.db(t.dbName), { now: () => new Date() });
  const area = unwrap(await repos.members.getArea(areaId));
  const deps: MeetingDeps = {
    meetings: repos.meetings,
    agencyUpdates: repos.agencyUpdates,
    actions: repos.actions,
    cases: repos.cases,
    referrals: repos.referrals,
    members: repos.members,
    audit: repos.audit,
    clock: { now: () => new Date() },
    areaId,
  };
  const c = await repos.cases.create(
    aNewCase({
      areaId,
      status: 'managed_l2',
      level: 2,
      category: 'cat2',
      leadAgencyId: 'probation',
      history: [{ ...aLevelDecision(2, { type: 'referral', id: 'referral-1' }), from: null }],
    }),
    { by: aRequestActor() },
  );
  for (const [ownerAgencyId, text] of [
    ['housing-authority', 'Confirm the tenancy at the approved address.'],
    ['police', 'Complete the home visit.'],
  ] as const)
    await repos.actions.create(
      aNewAction({
        areaId,
        caseId: c.id,
        meetingId: 'meeting-earlier',
        ownerAgencyId,
        text,
        ownerAadObjectId: undefined,
      }),
      { by: aRequestActor() },
    );
  const member = unwrap(await repos.members.getMember(area.tenantId, cast.coordinator.aadObjectId));
  const coordinator: Principal = { tenantId: area.tenantId, aadObjectId: member.aadObjectId, member };
  const date = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
  const meeting = unwrap(
    await scheduleMeeting(deps, coordinator, c.ref, {
      kind: 'initial',
      level: '2',
      date,
      time: '10:00',
      chair: cast.chair.aadObjectId,
      agencies: INVITED,
      lateReason: 'The chair is on leave until then.',
    }),
  );
  return { meeting, caseRef: c.ref, deps, close: () => client.close() };
}

/** Someone typing in the meeting's group chat (mentioning the bot); what the bot sent back. */
export async function sayInChat(t: TestApp, u: UserRef, text: string): Promise<string> {
  const before = t.connector.sent.length;
  await postActivity(
    t.url,
    message(t.connector.url, u, `<at>MAPPA Assistant</at> ${text}`, { conversation: MEETING_CHAT }),
  );
  return JSON.stringify(t.connector.sent.slice(before).map((a) => a.body));
}

/** A click on a meeting card in the group chat (or personal chat): the card it answered with. */
export async function clickCard(
  t: TestApp,
  u: UserRef,
  verb: string,
  data: Record<string, unknown>,
  where: 'chat' | 'personal' = 'chat',
): Promise<Record<string, unknown>> {
  const extra = where === 'chat' ? { conversation: MEETING_CHAT } : {};
  const res = await postActivity(t.url, cardAction(t.connector.url, u, verb, data, extra));
  return invokeCard(res.body);
}
