import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { systemClock } from '../../src/app/ports/clock.port';
import { createRepositories } from '../../src/store';
import { aLevelDecision } from '../fixtures/domain-builders';
import { aNewCase, aNewSubject, aRequestActor } from '../fixtures/builders';
import { cardAction, invokeCard, message, personalConversation, postActivity, users, type UserRef } from './activities';
import { enrolByCard, startTestApp, type TestApp } from './app';
import { cardText } from './connector';
import { testMongoUri } from './mongo';
import type { AppSeams } from '../../src/main';

export const AREA = 'local-area';
/** A chair from the police, invented. */
export const chairUser: UserRef = {
  id: '29:chair',
  aadObjectId: 'a5555555-5555-4555-8555-555555555555',
  name: 'Inspector Robin Madeup',
};

/** Housing's only member, who has never written to the bot: no personal card can reach them. */
export const housingUser: UserRef = {
  id: '29:housing',
  aadObjectId: 'a6666666-6666-4666-8666-666666666666',
  name: 'Lee Pretend',
};

export const text = (card: Record<string, unknown>) => cardText({ attachments: [{ content: card }] });

export interface SchedulingWorld {
  t: TestApp;
  client: MongoClient;
  repos: ReturnType<typeof createRepositories>;
  caseRef: string;
  caseId: string;
  /** A case led by prisons, with no police involvement: the police chair cannot see it. */
  hiddenRef: string;
  stop(): Promise<void>;
}

/**
 * An area with a co-ordinator, a police chair, probation and health practitioners, and a case managed
 * at Level 2 led by police (the subject has an invented name the invitations must never show). Housing's
 * member has never written to the bot, so nobody there can get a personal card.
 */
export async function schedulingWorld(prefix: string, env: Record<string, string> = {}, seams: AppSeams = {}) {
  const t = await startTestApp(
    prefix,
    { BOOTSTRAP_ADMIN_AAD_IDS: users.coordinator.aadObjectId, ...env },
    undefined,
    seams,
  );
  const client = new MongoClient(testMongoUri());
  await client.connect();
  await enrolByCard(t, users.coordinator, users.coordinator, 'probation', 'coordinator,admin');
  await enrolByCard(t, users.coordinator, chairUser, 'police', 'chair');
  await enrolByCard(t, users.coordinator, users.police, 'police', 'practitioner');
  await enrolByCard(t, users.coordinator, users.probation, 'probation', 'practitioner');
  await enrolByCard(t, users.coordinator, users.health, 'nhs-trust', 'practitioner');
  await enrolByCard(t, users.coordinator, housingUser, 'housing-authority', 'practitioner');
  for (const u of [users.coordinator, chairUser, users.police, users.probation])
    await postActivity(t.url, message(t.connector.url, u, 'help'));
  const repos = createRepositories(client.db(t.dbName), systemClock);
  const subject = await repos.subjects.create(
    aNewSubject({ areaId: AREA, name: { given: 'Quentin', family: 'Zephyrine' } }),
    { by: aRequestActor() },
  );
  const today = new Date().toISOString();
  const made = await repos.cases.create(
    aNewCase({
      areaId: AREA,
      subjectId: subject.id,
      status: 'managed_l2',
      level: 2,
      leadAgencyId: 'police',
      history: [{ ...aLevelDecision(2, { type: 'referral', id: 'referral-1' }, { decidedAt: today }), from: null }],
    }),
    { by: aRequestActor() },
  );
  const hidden = await repos.cases.create(
    aNewCase({ areaId: AREA, status: 'managed_l2', level: 2, leadAgencyId: 'prisons', subjectId: subject.id }),
    { by: aRequestActor() },
  );
  // An open action for police from an earlier meeting: police's invitation lists it.
  await repos.actions.create(
    {
      areaId: AREA,
      caseId: made.id,
      meetingId: 'meeting-earlier',
      text: 'Complete the home visit.',
      ownerName: 'DC Jamie Notreal',
      ownerAgencyId: 'police',
      dueDate: '2027-01-15',
      pillar: 'supervision',
    } as Parameters<typeof repos.actions.create>[0],
    { by: aRequestActor() },
  );
  return {
    t,
    client,
    repos,
    caseRef: made.ref,
    caseId: made.id,
    hiddenRef: hidden.ref,
    stop: async () => {
      await t.stop();
      await client.close();
    },
  } satisfies SchedulingWorld;
}

/** The schedule card's key, as `schedule meeting` sent it. */
export async function openScheduleCard(w: SchedulingWorld, user: UserRef, ref = w.caseRef) {
  w.t.connector.clear();
  await postActivity(w.t.url, message(w.t.connector.url, user, `schedule meeting ${ref}`));
  // Invitations from an earlier test may still arrive: the answer is the one that is not one of them.
  const sent = await w.t.connector.waitFor(
    (s) =>
      s.conversationId === personalConversation(user).id &&
      !/Invitation: |Invitations for /.test(JSON.stringify(s.body)),
  );
  const card = (sent.body.attachments as Array<{ content: Record<string, unknown> }> | undefined)?.[0]?.content ?? {};
  const action = (card.actions as Array<{ data?: { scheduleKey?: string } }> | undefined)?.[0];
  const said = typeof sent.body.text === 'string' ? sent.body.text : '';
  return { card, text: `${said}${cardText(sent.body)}`, scheduleKey: action?.data?.scheduleKey ?? '' };
}

export function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

export function scheduleForm(caseRef: string, scheduleKey: string, over: Record<string, string> = {}) {
  return {
    caseRef,
    scheduleKey,
    kind: 'initial',
    level: '2',
    date: inDays(3),
    time: '10:00',
    chair: chairUser.aadObjectId,
    agencies: 'police,probation,housing-authority',
    venue: '',
    lateReason: '',
    ...over,
  };
}

export async function submitSchedule(w: SchedulingWorld, user: UserRef, form: Record<string, unknown>) {
  const res = await postActivity(w.t.url, cardAction(w.t.connector.url, user, 'schedule.submit', form));
  return invokeCard(res.body);
}

export const personalOf = (u: UserRef) => personalConversation(u).id;
export const freshKey = () => randomUUID();
