import { MongoClient } from 'mongodb';
import type { UserRef } from '../support/activities';
import { enrolByCard, startTestApp, type TestApp } from '../support/app';
import { cardText } from '../support/connector';
import { cast, clickCard, ENROLMENT, MEETING_CHAT, sayInChat, scheduleTestMeeting } from '../support/meeting-run';
import { testMongoUri } from '../support/mongo';

/**
 * Defects found by using the meeting flow as its people would (a co-ordinator, a police chair, a
 * health practitioner, an outsider) over the bot's real HTTP endpoint and the real database. Each
 * test says what should happen and FAILS until the defect is fixed.
 */
const SECRET = 'Intelligence grade C: seen with a known associate at the Quayside address.';
const text = (card: Record<string, unknown>) => cardText({ attachments: [{ content: card }] });
const daysFromToday = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

describe('meeting findings', () => {
  let t: TestApp;
  const client = new MongoClient(testMongoUri());
  const closers: Array<() => Promise<void>> = [];
  /** A meeting started in the group chat with no attendance yet. */
  let bare = { id: '', ref: '' };
  /** A meeting started in the group chat with police, probation, children's services and health present. */
  let held = { id: '', ref: '' };
  const meetingDoc = (id: string) =>
    client
      .db(t.dbName)
      .collection('meetings')
      .findOne({ _id: id as never });

  async function click(u: UserRef, meetingId: string, verb: string, data: Record<string, unknown>) {
    return text(await clickCard(t, u, verb, { meetingId, ...data }));
  }

  beforeAll(async () => {
    t = await startTestApp('meetfind', { BOOTSTRAP_ADMIN_AAD_IDS: cast.coordinator.aadObjectId });
    await client.connect();
    await enrolByCard(t, cast.coordinator, cast.coordinator, 'mappa-unit', 'coordinator,admin');
    for (const [who, agency, roles] of ENROLMENT) await enrolByCard(t, cast.coordinator, cast[who], agency, roles);
    t.connector.setRoster(
      MEETING_CHAT.id,
      Object.values(cast).map((u) => ({ id: u.id, aadObjectId: u.aadObjectId, name: u.name })),
    );
    for (const target of ['bare', 'held'] as const) {
      const s = await scheduleTestMeeting(t);
      closers.push(s.close);
      await sayInChat(t, cast.chair, `start meeting ${s.caseRef}`);
      if (target === 'bare') bare = { id: s.meeting.id, ref: s.caseRef };
      else held = { id: s.meeting.id, ref: s.caseRef };
    }
    for (const [u, agencyId] of [
      [cast.police, 'police'],
      [cast.probation, 'probation'],
      [cast.children, 'la-childrens-services'],
      [cast.health, 'nhs-trust'],
    ] as const)
      expect(await click(u, held.id, 'meeting.attendance', { agencyId, status: 'present' })).toContain(
        'Attendance recorded',
      );
  });

  afterAll(async () => {
    await t.stop();
    for (const close of closers) await close();
    await client.close();
  });

  it('refuses to open the round before any attendance is recorded (it would end the round at once, and the meeting could never be ended)', async () => {
    const answer = await click(cast.chair, bare.id, 'meeting.round.open', {});
    expect(answer).toContain('Nothing was changed');
    expect((await meetingDoc(bare.id))?.run?.round).toBeUndefined();
  });

  it("refuses a health practitioner who opens the chair-only decision form, instead of showing them the chair's form", async () => {
    const answer = await click(cast.health, held.id, 'meeting.form', { form: 'decision' });
    expect(answer).not.toContain('Record the decision');
    expect(answer).toContain("Only the meeting's chair can do that.");
  });

  it('keeps the meeting card, with the reason on it, when a health practitioner presses a chair-only button', async () => {
    const answer = await click(cast.health, held.id, 'meeting.round.open', {});
    expect(answer).toContain('Nothing was changed');
    // Today the meeting card is replaced for them by a bare "Not permitted" card with no way back.
    expect(answer).toContain(`MAPPA Level 2 meeting ${held.ref}`);
  });

  it('does not tell a duty-to-co-operate reader that a police draft, not yet shared, holds police-only intelligence', async () => {
    expect(
      await click(cast.police, held.id, 'meeting.update.save', {
        agencyId: 'police',
        kind: 'update',
        version: '',
        confirm: 'false',
        content: 'Police draft for the meeting.',
        restrictedIntelligence: SECRET,
      }),
    ).toContain('Draft saved');
    const health = await click(cast.health, held.id, 'meeting.refresh', {});
    expect(health).not.toContain(SECRET);
    expect(health).not.toContain('withheld from your view');
  });

  it('answers a round move from a card that carries no turn in words, not with a parser message', async () => {
    expect(await click(cast.chair, held.id, 'meeting.round.open', {})).toContain("Police's turn");
    const answer = await click(cast.chair, held.id, 'meeting.round.move', { kind: 'next' });
    expect(answer).not.toMatch(/expected number|NaN/);
    expect(answer).toContain("Police's turn");
  });

  it('refuses a plan action whose due date has already passed, keeping what was typed', async () => {
    const card = await clickCard(t, cast.chair, 'meeting.plan', {
      meetingId: held.id,
      form: 'plan',
      pillar: 'supervision',
      ownerAgencyId: 'probation',
      text: 'Weekly supervision appointments.',
      ownerName: '',
      dueDate: daysFromToday(-5),
    });
    const answer = text(card);
    expect(answer).toContain('needs attention');
    expect(answer).toContain('The due date has passed');
    // What was typed comes back in the form's own inputs.
    expect(JSON.stringify(card)).toContain('"value":"Weekly supervision appointments."');
    expect((await meetingDoc(held.id))?.run?.plan ?? []).toHaveLength(0);
  });
});
