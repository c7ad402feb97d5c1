import { MongoClient } from 'mongodb';
import { message, postActivity, type UserRef } from '../support/activities';
import { enrolByCard, startTestApp, type TestApp } from '../support/app';
import { cardText } from '../support/connector';
import { cast, clickCard, ENROLMENT, MEETING_CHAT, sayInChat, scheduleTestMeeting } from '../support/meeting-run';
import { testMongoUri } from '../support/mongo';

/**
 * Rough edges found by using the meeting flow as its people would: each answer must be true, agree
 * with the form it answers, and offer what it names. Over the bot's real endpoint and database.
 */
const text = (card: Record<string, unknown>) => cardText({ attachments: [{ content: card }] });
/** A second police chair, enrolled, who does not chair these meetings (invented). */
const otherChair: UserRef = {
  id: '29:meet-11',
  aadObjectId: 'b0000000-0000-4000-8000-000000000011',
  name: 'Inspector Pat Fictional',
};

describe('meeting rough edges', () => {
  let t: TestApp;
  const client = new MongoClient(testMongoUri());
  const closers: Array<() => Promise<void>> = [];
  /** Started, attendance not yet taken. */
  let fresh = { id: '', ref: '' };
  /** Started, police, probation, children's services and health present, housing absent, round open. */
  let held = { id: '', ref: '' };
  const db = () => client.db(t.dbName);
  const meetingDoc = (id: string) =>
    db()
      .collection('meetings')
      .findOne({ _id: id as never });
  const turnOf = async (id: string) => String((await meetingDoc(id))?.run?.round?.turn ?? '');
  const updateOf = (meetingId: string, agencyId: string) =>
    db().collection('agencyUpdates').findOne({ meetingId, agencyId });

  async function click(u: UserRef, meetingId: string, verb: string, data: Record<string, unknown>, where?: 'personal') {
    return clickCard(t, u, verb, { meetingId, ...data }, where);
  }
  async function sayPersonally(u: UserRef, words: string): Promise<string> {
    const before = t.connector.sent.length;
    await postActivity(t.url, message(t.connector.url, u, words));
    return JSON.stringify(t.connector.sent.slice(before).map((a) => a.body));
  }
  const save = (u: UserRef, agencyId: string, content: string, extra: Record<string, unknown> = {}) =>
    click(
      u,
      held.id,
      'meeting.update.save',
      { agencyId, kind: 'update', version: '', confirm: 'true', content, ...extra },
      'personal',
    );

  beforeAll(async () => {
    t = await startTestApp('meetedge', { BOOTSTRAP_ADMIN_AAD_IDS: cast.coordinator.aadObjectId });
    await client.connect();
    await enrolByCard(t, cast.coordinator, cast.coordinator, 'mappa-unit', 'coordinator,admin');
    for (const [who, agency, roles] of ENROLMENT) await enrolByCard(t, cast.coordinator, cast[who], agency, roles);
    await enrolByCard(t, cast.coordinator, otherChair, 'police', 'chair');
    t.connector.setRoster(
      MEETING_CHAT.id,
      Object.values(cast).map((u) => ({ id: u.id, aadObjectId: u.aadObjectId, name: u.name })),
    );
    for (const target of ['fresh', 'held'] as const) {
      const s = await scheduleTestMeeting(t);
      closers.push(s.close);
      await sayInChat(t, cast.chair, `start meeting ${s.caseRef}`);
      if (target === 'fresh') fresh = { id: s.meeting.id, ref: s.caseRef };
      else held = { id: s.meeting.id, ref: s.caseRef };
    }
    for (const [u, agencyId] of [
      [cast.police, 'police'],
      [cast.probation, 'probation'],
      [cast.children, 'la-childrens-services'],
      [cast.health, 'nhs-trust'],
    ] as const)
      expect(text(await click(u, held.id, 'meeting.attendance', { agencyId, status: 'present' }))).toContain(
        'Attendance recorded',
      );
    expect(
      text(
        await click(cast.chair, held.id, 'meeting.attendance', {
          form: 'attendance',
          agencyId: 'housing-authority',
          status: 'apologies',
        }),
      ),
    ).toContain('Attendance recorded');
    expect(text(await click(cast.chair, held.id, 'meeting.round.open', {}))).toContain("Police's turn");
  });

  afterAll(async () => {
    await t.stop();
    for (const close of closers) await close();
    await client.close();
  });

  it('tells the person who saved from another card that it was they, not someone else', async () => {
    expect(text(await save(cast.probation, 'probation', 'First draft.', { confirm: 'false' }))).toContain(
      'Draft saved',
    );
    const clash = text(await save(cast.probation, 'probation', 'Second draft from an older card.'));
    expect(clash).toContain('You saved this update from another card');
    expect(clash).not.toContain(`${cast.probation.name} saved this update`);
  });

  it('lets an agency amend its update until the round moves past it, then says only the chair can, and the chair can', async () => {
    expect(text(await save(cast.police, 'police', 'Home visit done.'))).toContain('Update recorded for the meeting.');
    const first = String((await updateOf(held.id, 'police'))?.version);
    expect(text(await save(cast.police, 'police', 'Home visit done on Tuesday.', { version: first }))).toContain(
      'Update recorded for the meeting.',
    );
    const turn = await turnOf(held.id);
    expect(text(await click(cast.chair, held.id, 'meeting.round.move', { kind: 'next', turn }))).toContain(
      "Probation Service's turn",
    );

    const confirmed = String((await updateOf(held.id, 'police'))?.version);
    const late = await save(cast.police, 'police', 'A correction after our turn.', { version: confirmed });
    const said = text(late);
    expect(said).toContain("Your agency's turn has passed");
    expect(said).toContain("the chair can amend it on your agency's behalf");
    expect(said).not.toContain('Save as a draft');
    expect(said).not.toContain('you can still amend it');
    expect(JSON.stringify(late)).toContain('"value":"A correction after our turn."');
    expect((await updateOf(held.id, 'police'))?.content).toBe('Home visit done on Tuesday.');

    // The control the message names: the chair's card offers it, its form lists the agency, and the chair's save lands.
    expect(text(await click(cast.chair, held.id, 'meeting.refresh', {}))).toContain("Amend an agency's update");
    const pick = await click(cast.chair, held.id, 'meeting.form', { form: 'amend' });
    expect(text(pick)).toContain('Police');
    const form = text(await click(cast.chair, held.id, 'meeting.update.open', { agencyId: 'police' }, 'personal'));
    expect(form).toContain('You are typing this for Police');
    expect(
      text(
        await click(
          cast.chair,
          held.id,
          'meeting.update.save',
          { agencyId: 'police', kind: 'update', version: confirmed, content: 'A correction after our turn.' },
          'personal',
        ),
      ),
    ).toContain('Update recorded for the meeting.');
    const amended = await updateOf(held.id, 'police');
    expect(amended?.content).toBe('A correction after our turn.');
    expect(amended?.enteredOnBehalfBy?.displayName).toBe(cast.chair.name);
  });

  it('tells an absent agency its turn will not come and offers its text as a written report instead', async () => {
    const answer = await save(cast.housing, 'housing-authority', 'Tenancy confirmed.');
    const said = text(answer);
    expect(said).toContain('marked absent');
    expect(said).toContain('Send the report');
    expect(said).not.toContain('saved as a draft');
    expect(JSON.stringify(answer)).toContain('"value":"Tenancy confirmed."');
    expect(await updateOf(held.id, 'housing-authority')).toBeNull();
    expect(
      text(
        await click(
          cast.housing,
          held.id,
          'meeting.update.save',
          { agencyId: 'housing-authority', kind: 'report_in_lieu', version: '', content: 'Tenancy confirmed.' },
          'personal',
        ),
      ),
    ).toContain('Written report received.');
  });

  it('answers an outsider pressing "Mark my agency present" truly, revealing nothing', async () => {
    const said = text(
      await click(cast.outsider, fresh.id, 'meeting.attendance', { agencyId: 'dwp', status: 'present' }),
    );
    expect(said).toContain('Only members of the agencies invited to this meeting can do that.');
    expect(said).not.toContain('not found');
  });

  it("lets the co-ordinator take the chair's steps for the chair, recorded as such", async () => {
    await click(cast.police, fresh.id, 'meeting.attendance', { agencyId: 'police', status: 'present' });
    const opened = text(await click(cast.coordinator, fresh.id, 'meeting.round.open', {}));
    expect(opened).toContain('The round of agency updates has begun.');
    expect(opened).toContain('Next agency');
    const trail = await db()
      .collection('auditEvents')
      .find({ 'entity.id': fresh.id, action: 'meeting.run_updated', actorAadObjectId: cast.coordinator.aadObjectId })
      .toArray();
    expect(trail.some((e) => e.details?.onBehalfOfChair === true)).toBe(true);
  });

  it('answers a police chair who does not chair this meeting consistently, revealing nothing they do not know', async () => {
    const schedule = await sayPersonally(otherChair, `schedule meeting ${held.ref}`);
    expect(schedule).not.toContain('That case was not found.');
    expect(schedule).toContain('can schedule');
    expect(await sayInChat(t, otherChair, `end meeting ${held.ref}`)).toContain(
      "Only the meeting's chair can do that.",
    );
    expect(await sayInChat(t, otherChair, `meeting ${held.ref}`)).not.toContain('cannot find');
  });
});
