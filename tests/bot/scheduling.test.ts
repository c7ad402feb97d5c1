import { cardAction, invokeCard, postActivity, users } from '../support/activities';
import { cardText } from '../support/connector';
import {
  chairUser,
  housingUser,
  inDays,
  openScheduleCard,
  personalOf,
  scheduleForm,
  schedulingWorld,
  submitSchedule,
  text,
  type SchedulingWorld,
} from '../support/scheduling';

describe('Scheduling a Level 2/3 meeting in Teams, and its invitations', () => {
  let w: SchedulingWorld;
  beforeAll(async () => {
    w = await schedulingWorld('sched');
  });
  afterAll(() => w.stop());

  const meetings = () => w.client.db(w.t.dbName).collection('meetings').find({ caseId: w.caseId }).toArray();

  it('shows the co-ordinator a schedule card with the due date, the chairs and the agencies pre-selected', async () => {
    const { card, text: body, scheduleKey } = await openScheduleCard(w, users.coordinator);
    expect(body).toContain(`Schedule a MAPPA meeting for ${w.caseRef}`);
    expect(body).toMatch(/Due by \d{1,2} [A-Z][a-z]{2} \d{4} · first Level 2 meeting/);
    expect(body).toContain('OFFICIAL-SENSITIVE');
    expect(scheduleKey).not.toBe('');
    const json = JSON.stringify(card);
    expect(json).toContain('Inspector Robin Madeup (Police)');
    // The lead agency is pre-selected.
    expect(json).toMatch(/"id":"agencies"[^}]*"value":"police"/);
  });

  it('refuses a health practitioner before anything about the case is read', async () => {
    const { text: body } = await openScheduleCard(w, users.health);
    expect(body).not.toContain(w.caseRef);
    expect(body).toMatch(/not permitted|does not allow|cannot/i);
  });

  it('answers an unknown case reference exactly as a case the caller cannot see', async () => {
    const hidden = await openScheduleCard(w, chairUser, w.hiddenRef);
    const unknown = await openScheduleCard(w, chairUser, 'MAPPA-2026-9999');
    const strip = (s: string) => s.replace(w.hiddenRef, 'REF').replace('MAPPA-2026-9999', 'REF');
    expect(strip(hidden.text)).toBe(strip(unknown.text));
    expect(hidden.text).toContain('Case not found');
  });

  it('refuses a date after the due date without a reason, naming the field and keeping what was typed', async () => {
    const { scheduleKey } = await openScheduleCard(w, users.coordinator);
    const late = inDays(200);
    const card = await submitSchedule(
      w,
      users.coordinator,
      scheduleForm(w.caseRef, scheduleKey, { date: late, venue: 'Room Kept-Venue-42' }),
    );
    const body = text(card);
    expect(JSON.stringify(card)).toContain('Why the meeting is after its due date (needs attention)');
    expect(body).toMatch(/due by \d{1,2} [A-Z][a-z]{2} \d{4}: say why/);
    expect(body).toMatch(/1 field needs attention: Why the meeting is after its due date/);
    expect(body).not.toMatch(/\d{4}-\d{2}-\d{2} is due/);
    const json = JSON.stringify(card);
    expect(json).toContain('Room Kept-Venue-42');
    expect(json).toContain(late);
    expect(await meetings()).toHaveLength(0);
  });

  it('schedules once as the co-ordinator, however often the card is sent, and keeps the late reason', async () => {
    const { scheduleKey } = await openScheduleCard(w, users.coordinator);
    w.t.connector.clear();
    const form = scheduleForm(w.caseRef, scheduleKey, { date: inDays(200), lateReason: 'The chair is on leave.' });
    const [a, b] = await Promise.all([
      submitSchedule(w, users.coordinator, form),
      submitSchedule(w, users.coordinator, form),
    ]);
    const again = await submitSchedule(w, users.coordinator, form);
    const titles = [a, b, again].map(text).join('\n');
    expect(titles).toContain(`Meeting scheduled for ${w.caseRef}`);
    expect(text(again)).toContain(`Already scheduled for ${w.caseRef}`);
    const stored = await meetings();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ lateReason: 'The chair is on leave.', status: 'scheduled', scheduleKey });
    expect(stored[0]!.chair).toMatchObject({ aadObjectId: chairUser.aadObjectId });

    // Invitations: every enrolled member of the invited agencies with a personal chat, after the reply.
    const policeCard = await w.t.connector.waitFor((s) => s.conversationId === personalOf(users.police));
    const probationCard = await w.t.connector.waitFor((s) => s.conversationId === personalOf(users.probation));
    await w.t.connector.waitFor((s) => s.conversationId === personalOf(chairUser));
    const police = cardText(policeCard.body);
    expect(police).toContain(`Invitation: Level 2 MAPPA meeting for ${w.caseRef}`);
    expect(police).toContain('Complete the home visit.');
    expect(police).toContain('Prepare your update');
    expect(police).toContain('Send a written report instead');
    expect(cardText(probationCard.body)).not.toContain('Complete the home visit.');
    const json = JSON.stringify(policeCard.body);
    expect(json).toContain('"verb":"meeting.update.open"');
    expect(json).toContain('"kind":"report_in_lieu"');
    // Minimum personal data: the case reference, never the subject's name.
    for (const s of w.t.connector.sent) expect(JSON.stringify(s.body)).not.toMatch(/Zephyrine|Quentin/);
    // Housing has no personal chat with the bot: recorded, and the co-ordinator told by agency name.
    const report = await w.t.connector.waitFor(
      (s) => s.conversationId === personalOf(users.coordinator) && cardText(s.body).includes('Not reached'),
    );
    expect(cardText(report.body)).toContain('Not reached: Local housing authority.');
    expect(cardText(report.body)).not.toContain('calendar invitation');
    expect(w.t.connector.sent.some((s) => s.conversationId === personalOf(housingUser))).toBe(false);
    expect(w.t.connector.sent.some((s) => s.conversationId === personalOf(users.health))).toBe(false);
    const after = (await meetings())[0]!;
    expect(after.invitations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ aadObjectId: users.police.aadObjectId, status: 'sent' }),
        expect.objectContaining({ aadObjectId: housingUser.aadObjectId, status: 'not_delivered' }),
      ]),
    );
    // Nothing personal in the logs.
    expect(w.t.logLines.join('\n')).not.toMatch(/Zephyrine|chair is on leave|Complete the home visit/);
  });

  it('lets a member of the agency name its substitute, and no one from another agency', async () => {
    const meetingId = String((await meetings())[0]!._id);
    const refused = await postActivity(
      w.t.url,
      cardAction(w.t.connector.url, users.probation, 'invitation.substitute', {
        meetingId,
        agencyId: 'police',
        substitute: 'Someone Else',
      }),
    );
    expect(text(invokeCard(refused.body))).toContain('Only a member of that agency or the co-ordinator');
    const empty = await postActivity(
      w.t.url,
      cardAction(w.t.connector.url, users.police, 'invitation.substitute', {
        meetingId,
        agencyId: 'police',
        substitute: '',
      }),
    );
    expect(text(invokeCard(empty.body))).toContain('Give the name of the person attending instead.');
    const named = await postActivity(
      w.t.url,
      cardAction(w.t.connector.url, users.police, 'invitation.substitute', {
        meetingId,
        agencyId: 'police',
        substitute: 'DS Morgan Fictive',
      }),
    );
    expect(text(invokeCard(named.body))).toContain('Recorded: DS Morgan Fictive attends for Police.');
    const stored = (await meetings())[0]!;
    const police = (stored.invitees as Array<{ agencyId: string; substitute?: unknown }>).find(
      (i) => i.agencyId === 'police',
    );
    expect(police?.substitute).toEqual({
      name: 'DS Morgan Fictive',
      recordedBy: { name: users.police.name, aadObjectId: users.police.aadObjectId },
    });
  });
});
