import { MongoClient } from 'mongodb';
import { minutesTitle } from '../../src/documents/minutes-content';
import type { MeetingDeps } from '../../src/app/meetings';
import type { Repositories } from '../../src/app/ports';
import { unwrap } from '../../src/lib/result';
import { createRepositories } from '../../src/store';
import { aNewAction, aNewCase, aRequestActor, aLevelDecision } from '../fixtures/builders';
import { principalOf } from '../fixtures/referral-answers';
import { cardAction, invokeCard, message, postActivity, TENANT_ID, type UserRef } from '../support/activities';
import { enrolByCard, startTestApp, type TestApp } from '../support/app';
import { holdFiveAgencyMeeting, person, SECRET } from '../support/five-agency-meeting';
import { testMongoUri } from '../support/mongo';
import { TestClock } from '../support/store';

const AREA = 'local-area';
/** The chat the five-agency meeting was started in (see holdFiveAgencyMeeting). */
const MEETING_CHAT = {
  id: '19:meeting_abc@thread.v2',
  conversationType: 'groupChat',
  isGroup: true,
  tenantId: TENANT_ID,
};
const who = (n: number, name: string): UserRef => ({ id: `29:min-${n}`, aadObjectId: person(n), name });
/** The five-agency cast (invented), under the ids the shared meeting helper uses. */
const cast = {
  coordinator: who(1, 'Casey Coordinator'),
  chair: who(2, 'Inspector Robin Madeup'),
  police1: who(3, 'DC Jamie Notreal'),
  police2: who(4, 'DS Morgan Fictive'),
  probation: who(5, 'Sam Invented'),
  housing: who(6, 'Lee Pretend'),
  children: who(7, 'Ari Imagined'),
  health: who(8, 'Dr Kit Fabricated'),
  outsider: who(9, 'Val Elsewhere'),
};
const ENROL: ReadonlyArray<readonly [keyof typeof cast, string, string]> = [
  ['chair', 'police', 'chair'],
  ['police1', 'police', 'practitioner'],
  ['police2', 'police', 'practitioner'],
  ['probation', 'probation', 'practitioner'],
  ['housing', 'housing-authority', 'practitioner'],
  ['children', 'la-childrens-services', 'practitioner'],
  ['health', 'nhs-trust', 'practitioner'],
  ['outsider', 'dwp', 'practitioner'],
];
/** Everything that identifies a person or carries minuted text: never on the shared card. */
const NAMES_AND_TEXT = [
  ...Object.values(cast).map((u) => u.name),
  SECRET,
  'Dockside',
  'Two attendances at the address',
  'Escalating risk to the sibling',
  'New partner',
];

describe('minutes on cards: the shared card, review, approval and correction', () => {
  let t: TestApp;
  const client = new MongoClient(testMongoUri());
  let repos: Repositories;
  let caseRef = '';
  let meetingId = '';
  let minutesId = '';

  const say = async (u: UserRef, text: string, where: 'chat' | 'personal' = 'personal') => {
    const before = t.connector.sent.length;
    await postActivity(
      t.url,
      where === 'chat'
        ? message(t.connector.url, u, `<at>MAPPA Assistant</at> ${text}`, { conversation: MEETING_CHAT })
        : message(t.connector.url, u, text),
    );
    return t.connector.sent.slice(before);
  };
  const click = async (
    u: UserRef,
    verb: string,
    data: Record<string, unknown>,
    where: 'chat' | 'personal' = 'personal',
  ) => {
    const extra = where === 'chat' ? { conversation: MEETING_CHAT } : {};
    return JSON.stringify(
      invokeCard((await postActivity(t.url, cardAction(t.connector.url, u, verb, data, extra))).body),
    );
  };
  const minutesDoc = async () =>
    client
      .db(t.dbName)
      .collection('minutes')
      .findOne({ _id: minutesId as never });
  const auditCount = async (action: string) =>
    client.db(t.dbName).collection('auditEvents').countDocuments({ action, 'entity.id': minutesId });

  beforeAll(async () => {
    t = await startTestApp('minutesbot', { BOOTSTRAP_ADMIN_AAD_IDS: cast.coordinator.aadObjectId });
    await client.connect();
    await enrolByCard(t, cast.coordinator, cast.coordinator, 'mappa-unit', 'coordinator,admin');
    for (const [k, agency, roles] of ENROL) await enrolByCard(t, cast.coordinator, cast[k], agency, roles);
    // Everyone has a personal chat with the bot (so the bot can address them there).
    for (const u of Object.values(cast)) await say(u, 'help');
    const clock = new TestClock();
    repos = createRepositories(client.db(t.dbName), clock);
    const area = unwrap(await repos.members.getArea(AREA));
    const caseRecord = await repos.cases.create(
      aNewCase({
        areaId: AREA,
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
          areaId: AREA,
          caseId: caseRecord.id,
          meetingId: 'meeting-earlier',
          ownerAgencyId,
          text,
          ownerAadObjectId: undefined,
        }),
        { by: aRequestActor() },
      );
    const p = Object.fromEntries(
      await Promise.all(
        Object.entries(cast).map(async ([k, u]) => [
          k,
          principalOf(unwrap(await repos.members.getMember(TENANT_ID, u.aadObjectId))),
        ]),
      ),
    );
    const depsOn = (): MeetingDeps & { minutes: Repositories['minutes'] } => ({
      meetings: repos.meetings,
      agencyUpdates: repos.agencyUpdates,
      actions: repos.actions,
      cases: repos.cases,
      referrals: repos.referrals,
      members: repos.members,
      minutes: repos.minutes,
      audit: repos.audit,
      clock,
      areaId: AREA,
    });
    const meeting = await holdFiveAgencyMeeting({ store: { clock, repos }, area, caseRecord, p, depsOn }, depsOn(), {
      end: false,
    });
    caseRef = caseRecord.ref;
    meetingId = meeting.id;
  });
  afterAll(async () => {
    await t.stop();
    await client.close();
  });

  it('posts a minimal minutes card in the meeting chat after end meeting: no names, no content', async () => {
    const sent = await say(cast.chair, `end meeting ${caseRef}`, 'chat');
    const cards = sent.filter(
      (a) => a.conversationId === MEETING_CHAT.id && JSON.stringify(a.body).includes('Minutes of'),
    );
    expect(cards).toHaveLength(1);
    // The card as everyone in the chat sees it (the envelope names the addressee, not the card).
    const card = JSON.stringify(cards[0]!.body.attachments);
    for (const fact of [
      caseRef,
      'Meeting date',
      'Level 2',
      'Level 3, Category 2',
      'Actions agreed',
      'Draft, version 1',
    ])
      expect(card).toContain(fact);
    for (const s of NAMES_AND_TEXT) expect(card).not.toContain(s);
    minutesId = String((await client.db(t.dbName).collection('minutes').findOne({ meetingId }))!._id);
    expect(card).toContain(minutesId);
    // Recorded, so approval updates this card rather than posting another.
    expect(
      await client
        .db(t.dbName)
        .collection('cardPosts')
        .countDocuments({ _id: `minutes:${meetingId}` as never }),
    ).toBe(1);
  });

  it('opens the full minutes for invited agencies only; a DTC reader never gets police-only text; an outsider gets nothing', async () => {
    const police = await click(cast.police2, 'minutes.open', { minutesId }, 'chat');
    expect(police).toContain('Dockside');
    expect(police).toContain('Two attendances at the address');
    for (const u of [cast.housing, cast.health, cast.children]) {
      const seen = await click(u, 'minutes.refresh', { minutesId }, 'chat');
      expect(seen).toContain('Two attendances at the address');
      expect(seen).not.toContain('Dockside');
      expect(seen).toContain('withheld');
    }
    const outsider = await click(cast.outsider, 'minutes.open', { minutesId }, 'chat');
    expect(outsider).not.toContain('Two attendances at the address');
    expect(outsider).not.toContain('Download');
    for (const s of NAMES_AND_TEXT) expect(outsider).not.toContain(s);
    // The command: a case the caller cannot see reads like one that does not exist.
    const texts = async (u: UserRef, text: string) =>
      JSON.stringify((await say(u, text)).map((a) => [a.body.text, a.body.attachments]));
    const none = await texts(cast.outsider, `minutes ${caseRef}`);
    const missing = await texts(cast.outsider, 'minutes MAPPA-2099-9999');
    expect(none).toContain('I cannot find minutes');
    expect(none).toEqual(missing);
    const health = JSON.stringify((await say(cast.health, `minutes ${caseRef}`)).map((a) => a.body));
    expect(health).toContain('Two attendances at the address');
    expect(health).not.toContain('Dockside');
  });

  it('gives each reader a single-use link of their own, and none to an outsider', async () => {
    const a = await click(cast.housing, 'minutes.download', { minutesId, format: 'pdf' }, 'chat');
    const b = await click(cast.police2, 'minutes.download', { minutesId, format: 'docx' }, 'chat');
    const url = (s: string) => /"url":"([^"]*\/api\/documents\/[^"]+)"/.exec(s)?.[1];
    expect(url(a)).toBeDefined();
    expect(url(b)).toBeDefined();
    expect(url(a)).not.toEqual(url(b));
    const housingPdf = await fetch(url(a)!);
    expect(housingPdf.status).toBe(200);
    expect(housingPdf.headers.get('content-type')).toBe('application/pdf');
    expect((await fetch(url(a)!)).status).toBe(410);
    expect(url(await click(cast.outsider, 'minutes.download', { minutesId, format: 'pdf' }, 'chat'))).toBeUndefined();
  });

  it('reviews in personal chat: two editors of one section never overwrite each other silently', async () => {
    const review = JSON.stringify((await say(cast.chair, `minutes ${caseRef}`)).map((a) => a.body));
    expect(review).toContain('Review the minutes');
    expect(review).toContain('Edit Victim issues');
    // "Level" is the level the meeting was held at, everywhere; the decision line carries the decided level.
    expect(review).toContain('{"title":"Level","value":"Level 2"}');
    expect(review).toContain('{"title":"Decision","value":"Level 3, Category 2"}');
    expect(review).not.toContain('{"title":"Level","value":"Level 3"}');
    const stored = unwrap(await repos.minutes.get(minutesId));
    expect(
      minutesTitle({
        minutes: stored,
        caseRef,
        areaName: 'Area',
        marking: 'OFFICIAL-SENSITIVE',
        generatedAt: '2026-03-09T12:00:00.000Z',
        readerHasVisorAccess: true,
      }),
    ).toContain('Minutes of the Level 2 meeting');
    // A forged section click in the shared chat is refused there: no section text in a shared conversation.
    expect(
      await click(cast.chair, 'minutes.section.open', { minutesId, section: 'victim_issues', revision: '1' }, 'chat'),
    ).toContain('personal chat');
    const chairForm = await click(cast.chair, 'minutes.section.open', {
      minutesId,
      section: 'victim_issues',
      revision: '1',
    });
    const coordForm = await click(cast.coordinator, 'minutes.section.open', {
      minutesId,
      section: 'victim_issues',
      revision: '1',
    });
    expect(chairForm).toContain('The victim has asked to be told of any move.');
    const version = /"sectionVersion":"(\d+)"/.exec(chairForm)![1]!;
    expect(/"sectionVersion":"(\d+)"/.exec(coordForm)![1]).toBe(version);
    const base = { minutesId, section: 'victim_issues', sectionVersion: version, revision: '1' };
    expect(
      await click(cast.chair, 'minutes.section.save', {
        ...base,
        value: 'Chair: the victim is to be told of any move.',
      }),
    ).toContain('Saved: Victim issues');
    const lost = await click(cast.coordinator, 'minutes.section.save', {
      ...base,
      value: 'Co-ordinator: victim liaison informed.',
    });
    expect(lost).toContain('while you were editing it');
    expect(lost).toContain('Chair: the victim is to be told of any move.');
    expect(lost).toContain('Co-ordinator: victim liaison informed.');
    expect((await minutesDoc())!.victimIssues).toBe('Chair: the victim is to be told of any move.');
    // A double click on Save (same text, same version, twice at once) is one save, not a conflict.
    const fo = await click(cast.chair, 'minutes.section.open', {
      minutesId,
      section: 'confidentiality',
      revision: '1',
    });
    const twice = {
      minutesId,
      section: 'confidentiality',
      sectionVersion: /"sectionVersion":"(\d+)"/.exec(fo)![1]!,
      revision: '1',
      value: 'Shared for public protection only (as read at the start).',
    };
    const both = await Promise.all([
      click(cast.chair, 'minutes.section.save', twice),
      click(cast.chair, 'minutes.section.save', twice),
    ]);
    for (const b of both) {
      expect(b).toContain('Saved: ');
      expect(b).not.toContain('while you were editing it');
    }
    expect((await minutesDoc())!.confidentialityStatement).toBe(
      'Shared for public protection only (as read at the start).',
    );
    // Bad input names the field and keeps what was typed.
    const bad = await click(cast.chair, 'minutes.section.open', { minutesId, section: 'decisions', revision: '1' });
    const dv = /"sectionVersion":"(\d+)"/.exec(bad)![1]!;
    const refused = await click(cast.chair, 'minutes.section.save', {
      minutesId,
      section: 'decisions',
      sectionVersion: dv,
      revision: '1',
      // The decided level's wording is fixed (it is the case's record); its rationale is edited.
      '0.rationale': '',
      '1.rationale': 'Category rationale (kept text)',
    });
    expect(refused).toContain('Decision 1: Rationale (needs attention)');
    expect(refused).toContain('Category rationale (kept text)');
    // A practitioner may not review at all.
    expect(await click(cast.health, 'minutes.review', { minutesId })).toContain('does not allow');
  });

  it('approves once (a double click records one approval), shows the hash and updates the shared card', async () => {
    const version = String((await minutesDoc())!.version);
    const first = await click(cast.chair, 'minutes.approve', { minutesId, version });
    const second = await click(cast.chair, 'minutes.approve', { minutesId, version });
    const hash = String((await minutesDoc())!.contentHash);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(first).toContain(`Content hash (SHA-256): ${hash}`);
    expect(second).toContain('Nothing more was approved');
    expect(await auditCount('minutes.approved')).toBe(1);
    const put = t.connector.sent.filter((a) => a.method === 'PUT' && a.conversationId === MEETING_CHAT.id).at(-1);
    expect(JSON.stringify(put?.body.attachments)).toContain('Approved, version 1');
    for (const s of NAMES_AND_TEXT) expect(JSON.stringify(put?.body.attachments)).not.toContain(s);
    // The approved version has no Edit buttons, only "Correct…".
    expect(first).not.toContain('Edit Victim issues');
    expect(first).toContain('Correct…');
  });

  it('refuses edits after approval (stale cards answer with the current state); a correction needs a reason and opens version 2', async () => {
    const stale = await click(cast.chair, 'minutes.section.open', {
      minutesId,
      section: 'victim_issues',
      revision: '1',
    });
    expect(stale).toContain('approved and cannot be edited');
    const forged = await click(cast.chair, 'minutes.section.save', {
      minutesId,
      section: 'victim_issues',
      sectionVersion: '1',
      revision: '1',
      value: 'Sneaky change',
    });
    expect(forged).toContain('approved and cannot be edited');
    expect(forged).toContain('Sneaky change');
    expect((await minutesDoc())!.victimIssues).toBe('Chair: the victim is to be told of any move.');
    const version = String((await minutesDoc())!.version);
    const noReason = await click(cast.chair, 'minutes.correct', { minutesId, version, reason: '  ' });
    expect(noReason).toContain('Say why the approved minutes need correcting');
    expect((await minutesDoc())!.revision).toBe(1);
    // Two press Correct… at once with different reasons: one opens version 2; the other is told who
    // opened it and why, and keeps the reason they typed.
    const raced = await Promise.all([
      click(cast.chair, 'minutes.correct', { minutesId, version, reason: 'The review date was misrecorded.' }),
      click(cast.coordinator, 'minutes.correct', { minutesId, version, reason: 'Housing named the wrong officer.' }),
    ]);
    const won = raced.findIndex((r) => r.includes('Version 2 is open as a draft'));
    expect(won).toBeGreaterThanOrEqual(0);
    const loser = raced[1 - won]!;
    const winnerReason = won === 0 ? 'The review date was misrecorded.' : 'Housing named the wrong officer.';
    const loserReason = won === 0 ? 'Housing named the wrong officer.' : 'The review date was misrecorded.';
    const winnerName = won === 0 ? cast.chair.name : cast.coordinator.name;
    expect(loser).not.toContain('open them again');
    expect(loser).toContain(`already opened version 2 to correct`);
    expect(loser).toContain(winnerName);
    expect(loser).toContain(winnerReason);
    expect(loser).toContain(loserReason);
    expect((await minutesDoc())!.revision).toBe(2);
    const opened = raced[won]!;
    expect(opened).toContain('Version 2 is open as a draft');
    expect(opened).toContain('Edit Next review date');
    // The old version's approve button (version 1's card) approves nothing now.
    expect(await click(cast.chair, 'minutes.approve', { minutesId, version })).toContain('Nothing more was approved');
    const history = await click(cast.chair, 'minutes.history', { minutesId });
    expect(history).toContain('Version 1');
    expect(history).toContain('Approved by Inspector Robin Madeup');
    expect(history).toContain(winnerReason);
    expect(history).toMatch(/SHA-256 [0-9a-f]{64}/);
  });
  it('while a correction is open, readers and the shared card see approved version 1 (noted); only the chair editing sees the draft', async () => {
    const form = await click(cast.chair, 'minutes.section.open', {
      minutesId,
      section: 'victim_issues',
      revision: '2',
    });
    expect(
      await click(cast.chair, 'minutes.section.save', {
        minutesId,
        section: 'victim_issues',
        sectionVersion: /"sectionVersion":"(\d+)"/.exec(form)![1]!,
        revision: '2',
        value: 'Corrected: the victim liaison officer is to tell the victim of any move.',
      }),
    ).toContain('Saved: Victim issues');
    const reader = await click(cast.health, 'minutes.refresh', { minutesId }, 'chat');
    expect(reader).toContain('Chair: the victim is to be told of any move.');
    expect(reader).not.toContain('Corrected: the victim liaison officer');
    expect(reader).toContain('Approved, version 1');
    expect(reader).toContain('A correction (version 2) is in progress');
    const minimal = await click(cast.outsider, 'minutes.refresh', { minutesId }, 'chat');
    expect(minimal).toContain('Approved, version 1');
    expect(minimal).not.toContain('Draft, version 2');
    const caseCard = JSON.stringify((await say(cast.health, `case ${caseRef}`)).map((a) => a.body));
    expect(caseCard).toContain('Version 1 · Approved');
    expect(caseCard).toContain('correction in progress');
    expect(caseCard).not.toContain('Version 2 · Draft');
    const chair = JSON.stringify((await say(cast.chair, `minutes ${caseRef}`)).map((a) => a.body));
    expect(chair).toContain('Corrected: the victim liaison officer');
  });

  it('refuses a required section saved empty, naming it; an optional section cleared is saved and says so', async () => {
    const open = async (section: string) =>
      /"sectionVersion":"(\d+)"/.exec(
        await click(cast.chair, 'minutes.section.open', { minutesId, section, revision: '2' }),
      )![1]!;
    const before = (await minutesDoc())!.reviewDate;
    const refused = await click(cast.chair, 'minutes.section.save', {
      minutesId,
      section: 'review_date',
      sectionVersion: await open('review_date'),
      revision: '2',
      value: '',
    });
    expect(refused).toContain('Next review date is required in the minutes and cannot be saved empty');
    expect((await minutesDoc())!.reviewDate).toBe(before);
    const cleared = await click(cast.chair, 'minutes.section.save', {
      minutesId,
      section: 'victim_issues',
      sectionVersion: await open('victim_issues'),
      revision: '2',
      value: '   ',
    });
    expect(cleared).toContain('Victim issues was cleared');
    expect((await minutesDoc())!.victimIssues).toBeUndefined();
  });

  it('a forged section id is answered clearly, with the typed text kept', async () => {
    const forged = await click(cast.chair, 'minutes.section.save', {
      minutesId,
      section: 'zzz',
      sectionVersion: '0',
      revision: '2',
      value: 'Text typed into a damaged card',
    });
    expect(forged).toContain('not a section of the minutes');
    expect(forged).toContain('Text typed into a damaged card');
  });

  it('edits structured values on the section cards (attendance status, RoSH level and to whom); the decided level says why it is fixed', async () => {
    const attendanceForm = await click(cast.chair, 'minutes.section.open', {
      minutesId,
      section: 'attendance',
      revision: '2',
    });
    expect(attendanceForm).toContain('Input.ChoiceSet');
    const doc = (await minutesDoc())!;
    const av = /"sectionVersion":"(\d+)"/.exec(attendanceForm)![1]!;
    const typedAttendance: Record<string, string> = {};
    (doc.attendance as { status: string; name?: string }[]).forEach((a, i) => {
      typedAttendance[`${i}.status`] = a.status;
      typedAttendance[`${i}.name`] = a.name ?? '';
    });
    typedAttendance['0.status'] = 'apologies';
    expect(
      await click(cast.chair, 'minutes.section.save', {
        minutesId,
        section: 'attendance',
        sectionVersion: av,
        revision: '2',
        ...typedAttendance,
      }),
    ).toContain('Saved: Attendance');
    expect((await minutesDoc())!.attendance[0].status).toBe('apologies');

    const riskForm = await click(cast.chair, 'minutes.section.open', { minutesId, section: 'risk', revision: '2' });
    const rv = /"sectionVersion":"(\d+)"/.exec(riskForm)![1]!;
    const bad = await click(cast.chair, 'minutes.section.save', {
      minutesId,
      section: 'risk',
      sectionVersion: rv,
      revision: '2',
      roshLevel: 'extreme',
      roshToWhom: 'children,public',
      roshSummary: 'Kept summary text',
    });
    expect(bad).toContain('Risk of serious harm level (needs attention)');
    expect(bad).toContain('Kept summary text');
    expect(
      await click(cast.chair, 'minutes.section.save', {
        minutesId,
        section: 'risk',
        sectionVersion: rv,
        revision: '2',
        roshLevel: 'very_high',
        roshToWhom: 'children,public',
        roshSummary: 'Very high risk to children and the public.',
      }),
    ).toContain('Saved: Risk of serious harm');
    const risk = (await minutesDoc())!.riskAssessment;
    expect(risk.roshLevel).toBe('very_high');
    expect(risk.roshToWhom).toEqual(['children', 'public']);
    const decisions = await click(cast.chair, 'minutes.section.open', {
      minutesId,
      section: 'decisions',
      revision: '2',
    });
    expect(decisions).toContain('The decided level and category are not edited here');
  });

  it('a second end meeting says the meeting has already ended and where the minutes are; an outsider is told nothing', async () => {
    const again = JSON.stringify((await say(cast.chair, `end meeting ${caseRef}`, 'chat')).map((a) => a.body.text));
    expect(again).toContain('This meeting has already ended');
    expect(again).toContain(`minutes ${caseRef}`);
    expect(again).not.toContain('cannot find a meeting');
    const outsider = JSON.stringify(
      (await say(cast.outsider, `end meeting ${caseRef}`, 'chat')).map((a) => a.body.text),
    );
    const unknown = JSON.stringify(
      (await say(cast.outsider, 'end meeting MAPPA-2099-9999', 'chat')).map((a) => a.body.text),
    );
    expect(outsider).toEqual(unknown);
    expect(outsider).not.toContain('already ended');
  });
});
