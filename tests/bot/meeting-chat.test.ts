import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import {
  botInstalled,
  cardAction,
  invokeCard,
  message,
  personalConversation,
  postActivity,
  TENANT_ID,
  type UserRef,
} from '../support/activities';
import { enrolByCard, startTestApp, type TestApp } from '../support/app';
import { cast, ENROLMENT, MEETING_CHAT, scheduleTestMeeting } from '../support/meeting-run';
import { testMongoUri } from '../support/mongo';
import { aRequestActor } from '../fixtures/builders';

const START = JSON.parse(
  readFileSync(path.join(__dirname, '../fixtures/teams-meetings/meeting-start.json'), 'utf8'),
) as Record<string, unknown> & {
  conversation: { id: string };
  channelData: { meeting: { id: string } };
  value: { JoinUrl: string };
};
/** The Teams meeting's own chat (the recorded event's), where this meeting runs. */
const TEAMS_CHAT = { id: START.conversation.id, conversationType: 'groupChat', isGroup: true, tenantId: TENANT_ID };
const TEAMS_MEETING = START.channelData.meeting.id;
const inTeamsChat = {
  conversation: TEAMS_CHAT,
  channelData: { tenant: { id: TENANT_ID }, meeting: { id: TEAMS_MEETING } },
};

/**
 * A meeting run in a Teams meeting's chat: the call started before `start meeting`, forms with free
 * text open in each person's personal chat, `meeting` and `end meeting` find the meeting of the chat,
 * and marking one's agency present needs being in the call.
 */
describe('a Level 2 meeting in a Teams meeting chat', () => {
  let t: TestApp;
  let meetingId = '';
  let caseRef = '';
  let closeStore: () => Promise<void> = async () => undefined;
  const client = new MongoClient(testMongoUri());
  const meetingDoc = async () =>
    client
      .db(t.dbName)
      .collection('meetings')
      .findOne({ _id: meetingId as never });

  const sent = (from: number) => JSON.stringify(t.connector.sent.slice(from).map((a) => a.body));
  async function say(u: UserRef, text: string, where: 'teams' | 'personal' | 'group' = 'teams') {
    const before = t.connector.sent.length;
    const extra = where === 'teams' ? inTeamsChat : where === 'group' ? { conversation: MEETING_CHAT } : {};
    await postActivity(t.url, message(t.connector.url, u, `<at>MAPPA Assistant</at> ${text}`, extra));
    return sent(before);
  }
  async function click(u: UserRef, verb: string, data: Record<string, unknown>, where: 'teams' | 'personal' = 'teams') {
    const res = await postActivity(
      t.url,
      cardAction(t.connector.url, u, verb, { meetingId, ...data }, where === 'teams' ? inTeamsChat : {}),
    );
    return JSON.stringify(invokeCard(res.body));
  }
  const toPersonalChatOf = (u: UserRef, from: number) =>
    t.connector.sent.slice(from).filter((a) => a.method === 'POST' && a.conversationId === personalConversation(u).id);

  beforeAll(async () => {
    t = await startTestApp('meetchat', { BOOTSTRAP_ADMIN_AAD_IDS: cast.coordinator.aadObjectId });
    await client.connect();
    await enrolByCard(t, cast.coordinator, cast.coordinator, 'mappa-unit', 'coordinator,admin');
    for (const [who, agency, roles] of ENROLMENT) await enrolByCard(t, cast.coordinator, cast[who], agency, roles);
    // Everyone but the health practitioner has opened a personal chat with the bot.
    for (const u of [cast.chair, cast.police, cast.probation])
      await postActivity(t.url, botInstalled(t.connector.url, u));
    const roster = Object.values(cast).map((u) => ({ id: u.id, aadObjectId: u.aadObjectId, name: u.name }));
    t.connector.setRoster(TEAMS_CHAT.id, roster);
    const s = await scheduleTestMeeting(t);
    meetingId = s.meeting.id;
    caseRef = s.caseRef;
    closeStore = s.close;
    // Graph stored the join link at scheduling (with its context query), through the repository as the
    // app does, so the meeting carries the link's lookup key too.
    const stored = await s.deps.meetings.update(
      meetingId,
      s.meeting.version,
      { onlineMeetingUrl: `${START.value.JoinUrl}?context=%7b%22Tid%22%3a%22x%22%7d` },
      { by: aRequestActor() },
    );
    if (!stored.ok) throw new Error('could not store the join link');
  });
  afterAll(async () => {
    await t.stop();
    await closeStore();
    await client.close();
  });

  it('keeps the start of a call that began before `start meeting`, matched by its join link', async () => {
    await postActivity(t.url, { ...START, serviceUrl: t.connector.url });
    expect((await meetingDoc())?.teamsCallStart?.at).toBe('2026-03-02T10:00:03.987Z');
    await say(cast.chair, `start meeting ${caseRef}`);
    const m = await meetingDoc();
    expect(m?.status).toBe('in_progress');
    expect(m?.run).toMatchObject({
      conversationId: TEAMS_CHAT.id,
      actualStart: '2026-03-02T10:00:03.987Z',
      teamsMeetingId: TEAMS_MEETING,
    });
  });

  it('shows and ends the meeting of this chat without a case reference; elsewhere says what to type', async () => {
    const shown = await say(cast.police, 'meeting');
    expect(shown).toContain(caseRef);
    expect(shown).toContain('Confidentiality statement');
    expect(await say(cast.police, 'meeting', 'personal')).toContain('type meeting and the case reference');
    expect(await say(cast.chair, 'end meeting', 'group')).toContain('No meeting has been started in this conversation');
    // The chair's `end meeting` here finds the meeting: it is not ready to end.
    expect(await say(cast.chair, 'end meeting')).toContain('Before ending the meeting');
    // With a reference it works as before.
    expect(await say(cast.police, `meeting ${caseRef}`)).toContain('Confidentiality statement');
  });

  it('marks an agency present only for someone Teams lists in the meeting', async () => {
    const mark = () => click(cast.police, 'meeting.attendance', { agencyId: 'police', status: 'present' });
    expect(await mark()).toContain('Join the meeting first, then press again');
    expect((await meetingDoc())?.run?.attendance).toEqual([]);
    t.connector.setParticipant(TEAMS_MEETING, cast.police.aadObjectId, 'Attendee');
    expect(await mark()).toContain('Attendance recorded');
    // The chair's attendance form stays on the shared card (quick choices, no long text).
    const form = await click(cast.chair, 'meeting.form', { form: 'attendance' });
    expect(form).toContain('Record attendance');
    expect(form).toContain('Input.ChoiceSet');
    for (const agencyId of ['probation', 'nhs-trust'])
      expect(
        await click(cast.chair, 'meeting.attendance', { form: 'attendance', agencyId, status: 'present' }),
      ).toContain('Attendance recorded');
    expect(await click(cast.chair, 'meeting.round.open', {})).toContain("Police's turn");
  });

  it('opens the update form in the personal chat, and saving there updates the shared card', async () => {
    const before = t.connector.sent.length;
    const answer = await click(cast.police, 'meeting.update.open', { kind: 'update' });
    expect(answer).toContain('Your form is in your chat with MAPPA Assistant');
    expect(answer).toContain("Police's turn");
    expect(answer).not.toContain('Input.Text');
    const [form] = toPersonalChatOf(cast.police, before);
    expect(JSON.stringify(form?.body)).toContain('Confirm the update');
    const puts = () =>
      t.connector.sent.filter((a) => a.method === 'PUT' && a.conversationId === personalConversation(cast.police).id);
    // Another person's step updates the shared card meanwhile: nothing touches the form in the personal chat.
    expect(
      await click(cast.chair, 'meeting.risk', { form: 'risk', level: 'high', toWhom: 'public' }, 'personal'),
    ).toContain('Risk of serious harm recorded');
    const beforeSave = t.connector.sent.length;
    const saved = await click(
      cast.police,
      'meeting.update.save',
      { agencyId: 'police', kind: 'update', version: '', confirm: 'true', content: 'Home visit done on Monday.' },
      'personal',
    );
    expect(saved).toContain('Update recorded');
    expect(puts()).toEqual([]);
    // The save in the personal chat updated the one shared card in the meeting chat, in place.
    const shared = t.connector.sent
      .slice(beforeSave)
      .filter((a) => a.method === 'PUT' && a.conversationId === TEAMS_CHAT.id);
    expect(shared).toHaveLength(1);
    const card = JSON.stringify(shared[0]!.body);
    expect(card).toContain("Police's turn");
    // The shared copy lists the chat's entitled readers for refresh and carries no update text.
    expect(card).toContain(cast.chair.id);
    expect(card).not.toContain('Home visit done on Monday.');
  });

  it('sends the risk, plan and decision forms to the chair in personal chat, never onto the shared card', async () => {
    for (const form of ['risk', 'plan', 'decision']) {
      const before = t.connector.sent.length;
      expect(await click(cast.chair, 'meeting.form', { form })).toContain('Your form is in your chat');
      const [card] = toPersonalChatOf(cast.chair, before);
      expect(JSON.stringify(card?.body)).toContain(`meeting.${form}`);
    }
  });

  it('tells someone with no personal chat yet how to open one, and sends nothing', async () => {
    const before = t.connector.sent.length;
    const answer = await click(cast.health, 'meeting.update.open', { kind: 'update' });
    expect(answer).toContain('start a new chat with MAPPA Assistant');
    expect(answer).toContain('then press this button again');
    expect(t.connector.sent.slice(before).filter((a) => a.method === 'POST')).toEqual([]);
  });
});
