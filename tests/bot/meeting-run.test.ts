import { MongoClient } from 'mongodb';
import { message, postActivity, type UserRef } from '../support/activities';
import { enrolByCard, startTestApp, type TestApp } from '../support/app';
import { cast, clickCard, ENROLMENT, MEETING_CHAT, sayInChat, scheduleTestMeeting } from '../support/meeting-run';
import { testMongoUri } from '../support/mongo';

const SECRET = 'Intelligence grade B: associates with a known supplier at the Dockside address.';
const POLICE_UPDATE = 'Home visit done on Tuesday; the approved address is in order.';

/**
 * A whole Level 2 meeting run on cards in a group chat, over the bot's real HTTP endpoint and the
 * real database: five agencies (housing absent with a written report), two probation officers typing
 * at once, children's services' update typed by the chair, previous actions reviewed, an action under
 * every pillar and contingency, closing views with a dissent, the decision and next review, and the
 * bot restarted mid-round on the same database.
 */
describe('a Level 2 meeting run in a Teams group chat', () => {
  let t: TestApp;
  let meetingId = '';
  let caseRef = '';
  let closeStore: () => Promise<void> = async () => undefined;
  const client = new MongoClient(testMongoUri());
  const db = () => client.db(t.dbName);
  /** Everything each person was shown: card answers to their clicks and what the bot posted. */
  const shown = new Map<string, string[]>();
  const seen = (u: UserRef, what: string) => shown.set(u.id, [...(shown.get(u.id) ?? []), what]);

  async function click(u: UserRef, verb: string, data: Record<string, unknown>, where: 'chat' | 'personal' = 'chat') {
    const card = JSON.stringify(await clickCard(t, u, verb, { meetingId, ...data }, where));
    seen(u, card);
    return card;
  }
  async function say(u: UserRef, text: string) {
    const out = await sayInChat(t, u, text);
    // Whatever lands in the shared chat is shown to everyone in it.
    for (const who of Object.values(cast)) seen(who, out);
    return out;
  }
  const meetingDoc = async () =>
    db()
      .collection('meetings')
      .findOne({ _id: meetingId as never });
  const turn = async () => Number((await meetingDoc())?.run?.round?.turn ?? -1);

  beforeAll(async () => {
    t = await startTestApp('meetrun', { BOOTSTRAP_ADMIN_AAD_IDS: cast.coordinator.aadObjectId });
    await client.connect();
    await enrolByCard(t, cast.coordinator, cast.coordinator, 'mappa-unit', 'coordinator,admin');
    for (const [who, agency, roles] of ENROLMENT) await enrolByCard(t, cast.coordinator, cast[who], agency, roles);
    t.connector.setRoster(
      MEETING_CHAT.id,
      Object.values(cast).map((u) => ({ id: u.id, aadObjectId: u.aadObjectId, name: u.name })),
    );
    const s = await scheduleTestMeeting(t);
    meetingId = s.meeting.id;
    caseRef = s.caseRef;
    closeStore = s.close;
  });
  afterAll(async () => {
    await t.stop();
    await closeStore();
    await client.close();
  });

  it('starts where it is typed, with one shared card that shows only the case reference, progress and agencies', async () => {
    expect(await say(cast.outsider, `start meeting ${caseRef}`)).toContain('does not allow');
    expect(await say(cast.police, `start meeting ${caseRef}`)).toContain('does not allow');
    // A reference with no meeting reads exactly like one the chair may not see.
    expect(await say(cast.chair, 'start meeting MAPPA-2099-9999')).toContain('I cannot find a meeting');
    // The chair names the minute-taker as the meeting starts; the minutes' meeting details carry it.
    const out = await say(cast.chair, `start meeting ${caseRef} minute-taker: Noor Inventedname`);
    expect(out).toContain(caseRef);
    expect(out).toContain('Confidentiality statement');
    expect(out).toContain('NHS Trust');
    const card = JSON.parse(out)[0].attachments[0].content;
    // The detailed view refreshes for enrolled members of invited agencies in the chat, not for the others.
    expect(card.refresh.userIds).toEqual(expect.arrayContaining([cast.chair.id, cast.police.id, cast.health.id]));
    expect(card.refresh.userIds).not.toContain(cast.outsider.id);
    expect(card.refresh.userIds).not.toContain(cast.stranger.id);
    expect(card.refresh.userIds[0]).toBe(cast.chair.id);
    expect((await meetingDoc())?.run?.conversationId).toBe(MEETING_CHAT.id);
    expect((await meetingDoc())?.run?.minuteTaker).toBe('Noor Inventedname');
  });

  it('records attendance: members mark their own agency present, the chair records a report sent', async () => {
    for (const u of [cast.police, cast.probation, cast.children, cast.health])
      expect(
        await click(u, 'meeting.attendance', {
          agencyId: u.id === cast.police.id ? 'police' : agencyOf(u),
          status: 'present',
        }),
      ).toContain('Attendance recorded');
    // Only the chair records another agency's attendance.
    expect(
      await click(cast.health, 'meeting.attendance', { agencyId: 'housing-authority', status: 'report_sent' }),
    ).toContain('Nothing was changed');
    const form = await click(cast.chair, 'meeting.form', { form: 'attendance' });
    expect(form).toContain('Record attendance');
    expect(
      await click(cast.chair, 'meeting.attendance', {
        form: 'attendance',
        agencyId: 'housing-authority',
        status: 'report_sent',
      }),
    ).toContain('Attendance recorded');
    // The shared card was updated in place, not posted again.
    const puts = t.connector.sent.filter((a) => a.method === 'PUT' && a.conversationId === MEETING_CHAT.id);
    expect(puts.length).toBeGreaterThan(0);
    expect(JSON.stringify(puts.at(-1)!.body)).toContain('Report sent');
  });

  it('takes a written report in lieu from the absent agency, through the personal invitation button', async () => {
    const form = await click(cast.housing, 'meeting.update.open', { kind: 'report_in_lieu' }, 'personal');
    expect(form).toContain('Send the report');
    expect(form).not.toContain('Police-only intelligence');
    const sent = await click(
      cast.housing,
      'meeting.update.save',
      {
        agencyId: 'housing-authority',
        kind: 'report_in_lieu',
        version: '',
        confirm: 'true',
        content: 'Tenancy confirmed; no complaints from neighbours.',
      },
      'personal',
    );
    expect(sent).toContain('Written report received');
  });

  it('reviews the previous actions: the owner or the chair, with a note', async () => {
    const form = await click(cast.chair, 'meeting.form', { form: 'actions' }, 'personal');
    expect(form).toContain('Confirm the tenancy at the approved address.');
    const actions = await db().collection('actions').find({ meetingId: 'meeting-earlier' }).toArray();
    const housing = String(actions.find((a) => a.ownerAgencyId === 'housing-authority')!._id);
    const police = String(actions.find((a) => a.ownerAgencyId === 'police')!._id);
    // Health owns neither: refused, and nothing changes.
    expect(
      await click(cast.health, 'meeting.actionReview', { form: 'actions', actionId: police, status: 'done' }),
    ).toContain("Only the action's owning agency or the chair");
    expect(
      await click(cast.chair, 'meeting.actionReview', {
        form: 'actions',
        actionId: housing,
        status: 'done',
        note: 'Seen the tenancy agreement.',
      }),
    ).toContain('Previous action reviewed');
    expect(
      await click(cast.police, 'meeting.actionReview', {
        form: 'actions',
        actionId: police,
        status: 'in_progress',
        note: 'Booked for next week.',
      }),
    ).toContain('Previous action reviewed');
    const run = (await meetingDoc())?.run;
    expect(run.previousActions).toHaveLength(2);
  });

  it('lists what is missing when the chair tries to end too early', async () => {
    const out = await say(cast.chair, `end meeting ${caseRef}`);
    expect(out).toContain('Before ending the meeting');
    expect(out).toContain('Record the risk of serious harm');
  });

  // Forms with free text open in each person's personal chat (the shared card's button sends them
  // there, see meeting-chat.test.ts); here they are opened and sent from that chat.
  it('runs the round: police update with police-only intelligence, a stale click and a double click change nothing', async () => {
    expect(await click(cast.police, 'meeting.round.open', {})).toContain('Nothing was changed');
    expect(await click(cast.chair, 'meeting.round.open', {})).toContain("Police's turn");
    const form = await click(cast.police, 'meeting.update.open', { kind: 'update' }, 'personal');
    expect(form).toContain('Police-only intelligence');
    expect(form).toContain('Confirm the update');
    expect(
      await click(cast.police, 'meeting.update.save', {
        agencyId: 'police',
        kind: 'update',
        version: '',
        confirm: 'true',
        content: POLICE_UPDATE,
        restrictedIntelligence: SECRET,
      }),
    ).toContain('Update recorded');
    const at = await turn();
    const next = await click(cast.chair, 'meeting.round.move', { kind: 'next', turn: String(at) });
    expect(next).toContain("Probation Service's turn");
    // The same button pressed again (a double click, or the old card): nothing moves, the card is current.
    const again = await click(cast.chair, 'meeting.round.move', { kind: 'next', turn: String(at) });
    expect(again).toContain('Nothing was changed');
    expect(again).toContain("Probation Service's turn");
    expect(await turn()).toBe(at + 1);
  });

  it('keeps both texts when two probation officers type at once, and refuses another agency typing for them', async () => {
    const first = await click(cast.probation, 'meeting.update.open', { kind: 'update' }, 'personal');
    const second = await click(cast.probation2, 'meeting.update.open', { kind: 'update' }, 'personal');
    expect(first).toContain('Confirm the update');
    expect(second).toContain('Confirm the update');
    const mine = { agencyId: 'probation', kind: 'update', version: '', confirm: 'true' };
    expect(
      await click(cast.probation, 'meeting.update.save', {
        ...mine,
        content: 'Reporting weekly; all appointments kept.',
      }),
    ).toContain('Update recorded');
    // A double click of the same form is the same save, not a conflict.
    expect(
      await click(cast.probation, 'meeting.update.save', {
        ...mine,
        content: 'Reporting weekly; all appointments kept.',
      }),
    ).toContain('Update recorded');
    const clash = await click(cast.probation2, 'meeting.update.save', {
      ...mine,
      content: 'Missed one appointment on 3 March.',
    });
    expect(clash).toContain('saved this update while you were typing');
    expect(clash).toContain('Reporting weekly; all appointments kept.');
    expect(clash).toContain('Missed one appointment on 3 March.');
    const version = /"version":"(\d+)"/.exec(clash)![1];
    expect(
      await click(cast.probation2, 'meeting.update.save', {
        ...mine,
        version,
        content: 'Reporting weekly; all appointments kept except one on 3 March.',
      }),
    ).toContain('Update recorded');
    expect(await click(cast.health, 'meeting.update.save', { ...mine, content: 'Not ours to write.' })).toContain(
      "You can only write your own agency's update",
    );
    const saved = await db().collection('agencyUpdates').findOne({ meetingId, agencyId: 'probation' });
    expect(saved?.content).toBe('Reporting weekly; all appointments kept except one on 3 March.');
  });

  it('continues after the bot restarts mid-round, on the same database', async () => {
    const at = await turn();
    const dbName = t.dbName;
    const roster = Object.values(cast).map((u) => ({ id: u.id, aadObjectId: u.aadObjectId, name: u.name }));
    await t.stop();
    t = await startTestApp('meetrun', { BOOTSTRAP_ADMIN_AAD_IDS: cast.coordinator.aadObjectId }, dbName);
    t.connector.setRoster(MEETING_CHAT.id, roster);
    const next = await click(cast.chair, 'meeting.round.move', { kind: 'next', turn: String(at) });
    expect(next).toContain("Local authority children's social care's turn");
    // The chair types children's services' update for them: recorded as entered on its behalf.
    const form = await click(
      cast.chair,
      'meeting.update.open',
      { kind: 'update', agencyId: 'la-childrens-services' },
      'personal',
    );
    expect(form).toContain('on its behalf');
    expect(
      await click(cast.chair, 'meeting.update.save', {
        agencyId: 'la-childrens-services',
        kind: 'update',
        version: '',
        confirm: 'true',
        content: 'Two children in the household; a plan is in place.',
      }),
    ).toContain('Update recorded');
    const stale = await click(cast.chair, 'meeting.round.move', { kind: 'next', turn: String(at) });
    expect(stale).toContain('Nothing was changed');
    expect(await click(cast.chair, 'meeting.round.move', { kind: 'next', turn: String(at + 1) })).toContain(
      "NHS Trust's turn",
    );
    expect(
      await click(cast.health, 'meeting.update.save', {
        agencyId: 'nhs-trust',
        kind: 'update',
        version: '',
        confirm: 'true',
        content: 'Engaging with the community mental health team.',
      }),
    ).toContain('Update recorded');
    expect(await click(cast.chair, 'meeting.round.move', { kind: 'next', turn: String(at + 2) })).toContain(
      'Risk of serious harm',
    );
    const behalf = await db().collection('agencyUpdates').findOne({ meetingId, agencyId: 'la-childrens-services' });
    expect(behalf?.enteredOnBehalfBy?.displayName).toBe(cast.chair.name);
  });

  it('records risk (a bad submit keeps what was typed) and an action under every pillar and contingency', async () => {
    const bad = await click(cast.chair, 'meeting.risk', { form: 'risk', level: '', toWhom: 'children' });
    expect(bad).toContain('needs attention');
    expect(bad).toContain('"value":"children"');
    // Refused at the role gate, answered with the meeting card and the reason rather than a dead end.
    const refused = await click(cast.health, 'meeting.risk', { form: 'risk', level: 'high', toWhom: 'children' });
    expect(refused).toContain("Nothing was changed. Only the meeting's chair can do that.");
    expect(refused).toContain('MAPPA Level 2 meeting');
    expect(
      await click(cast.chair, 'meeting.risk', { form: 'risk', level: 'high', toWhom: 'public,children' }),
    ).toContain('Risk of serious harm recorded');
    const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const plan: Array<[string, string, string]> = [
      ['supervision', 'probation', 'Weekly supervision appointments.'],
      ['monitoring_control', 'police', 'Quarterly home visits.'],
      ['interventions_treatment', 'nhs-trust', 'Continue the treatment programme.'],
      ['victim_safety', 'la-childrens-services', 'Review the safety plan for the children.'],
      ['contingency', 'police', 'If he moves address without notice, police to locate and inform probation.'],
    ];
    for (const [pillar, ownerAgencyId, text] of plan)
      expect(
        await click(cast.chair, 'meeting.plan', {
          form: 'plan',
          pillar,
          ownerAgencyId,
          text,
          ownerName: '',
          dueDate: due,
        }),
      ).toContain('Action added');
    // A double click of the last one adds nothing.
    const [pillar, ownerAgencyId, text] = plan[4]!;
    await click(cast.chair, 'meeting.plan', { form: 'plan', pillar, ownerAgencyId, text, ownerName: '', dueDate: due });
    expect((await meetingDoc())?.run?.plan).toHaveLength(5);
  });

  it('takes closing views (one dissent), the decision with the next review date, and ends once', async () => {
    for (const [u, level] of [
      [cast.police, '2'],
      [cast.probation, '2'],
      [cast.children, '3'],
      [cast.health, '2'],
    ] as const)
      expect(
        await click(u, 'meeting.view', {
          form: 'view',
          level,
          category: 'cat2',
          comment: level === '3' ? 'The children need Level 3 oversight.' : '',
        }),
      ).toContain('view is recorded');
    // Housing sent a report and was not present: no view.
    expect(await click(cast.housing, 'meeting.view', { form: 'view', level: '2', category: 'cat2' })).toContain(
      'Nothing was changed',
    );
    const form = await click(cast.chair, 'meeting.form', { form: 'decision' }, 'personal');
    const computed = /"id":"nextReviewDate"[^}]*"value":"(\d{4}-\d{2}-\d{2})"/.exec(form)?.[1];
    expect(computed).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const decision = {
      form: 'decision',
      level: '2',
      category: 'cat2',
      rationale: 'Risk is managed by the plan; multi-agency oversight continues at Level 2.',
      disclosureOutcome: 'none',
      dissent: "Local authority children's social care: Level 3 is needed for the children's safety.",
      nextReviewDate: computed,
      reviewDateReason: '',
    };
    // A different date needs a reason; what was typed stays.
    const other = await click(cast.chair, 'meeting.decision', { ...decision, nextReviewDate: '2099-01-05' });
    expect(other).toContain('say why the review is on another date');
    expect(other).toContain('Risk is managed by the plan');
    expect(await click(cast.chair, 'meeting.decision', decision)).toContain('Decision recorded');
    expect(await click(cast.police, 'meeting.end', {})).toContain("Only the meeting's chair can do that.");
    const ended = await say(cast.chair, `end meeting ${caseRef}`);
    expect(ended).toContain('Meeting ended. 5 actions written');
    expect(await click(cast.chair, 'meeting.end', {})).toContain('already ended');
    expect(await db().collection('actions').countDocuments({ meetingId })).toBe(5);
    const m = await meetingDoc();
    expect(m?.status).toBe('held');
    expect(m?.run?.decision?.dissent).toEqual([
      { agencyId: 'la-childrens-services', view: "Level 3 is needed for the children's safety." },
    ]);
  });

  it('never shows a duty-to-co-operate member police-only text, while the police chair sees it', async () => {
    const health = await click(cast.health, 'meeting.refresh', {});
    expect(health).toContain(POLICE_UPDATE);
    expect(health).toContain('withheld from your view');
    // Health's own update form (in its personal chat) offers no police-only box.
    expect(await click(cast.health, 'meeting.update.open', { kind: 'update' }, 'personal')).not.toContain(
      'Police-only intelligence',
    );
    expect(await click(cast.chair, 'meeting.refresh', {})).toContain(SECRET);
    // Every detailed read is audited (ids and counts only).
    const reads = async (c: string) =>
      db().collection(c).countDocuments({ action: 'meeting.viewed', actorAadObjectId: cast.health.aadObjectId });
    expect((await reads('auditQueue')) + (await reads('auditEvents'))).toBeGreaterThan(0);
    // Probation, like police, has ViSOR access; health, children's services and housing do not.
    for (const u of [cast.health, cast.children, cast.housing])
      for (const card of shown.get(u.id) ?? []) expect(card).not.toContain(SECRET);
    // Nor is it on anything the bot posted or updated in the shared chat.
    expect(JSON.stringify(t.connector.sent.map((a) => a.body))).not.toContain(SECRET);
  });

  it('gives nobody outside the invited agencies any meeting content', async () => {
    const minimal = [
      await click(cast.outsider, 'meeting.refresh', {}),
      await click(cast.stranger, 'meeting.refresh', {}),
      await click(cast.outsider, 'meeting.update.open', { kind: 'update' }),
      await click(cast.outsider, 'meeting.form', { form: 'decision' }),
    ];
    for (const card of [...minimal, ...(shown.get(cast.outsider.id) ?? [])]) {
      for (const text of [
        POLICE_UPDATE,
        SECRET,
        'Reporting weekly',
        'Weekly supervision',
        'Risk is managed',
        'Tenancy confirmed',
      ])
        expect(card).not.toContain(text);
    }
    expect(minimal[0]).toContain(caseRef);
    expect(await say(cast.outsider, `meeting ${caseRef}`)).toContain('I cannot find a meeting');
    await postActivity(t.url, message(t.connector.url, cast.stranger, `meeting ${caseRef}`));
  });
});

function agencyOf(u: UserRef): string {
  return ENROLMENT.find(([who]) => cast[who].id === u.id)![1];
}
