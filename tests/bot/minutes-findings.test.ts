import { MongoClient } from 'mongodb';
import { reviewPreviousAction, type MeetingDeps } from '../../src/app/meetings';
import type { Repositories } from '../../src/app/ports';
import { MINUTES_SECTIONS } from '../../src/domain/minutes-sections';
import { unwrap } from '../../src/lib/result';
import { createRepositories } from '../../src/store';
import { aNewAction, aNewCase, aRequestActor, aLevelDecision } from '../fixtures/builders';
import { principalOf } from '../fixtures/referral-answers';
import { cardAction, invokeCard, message, postActivity, TENANT_ID, type UserRef } from '../support/activities';
import { enrolByCard, startTestApp, type TestApp } from '../support/app';
import { holdFiveAgencyMeeting, person } from '../support/five-agency-meeting';
import { testMongoUri } from '../support/mongo';
import { TestClock } from '../support/store';

/*
 * What a users' pass at the protocol level found in the minutes and action cards: forged values that
 * are not text, the meeting's review of previous actions reaching the actions, an agency's unowned
 * actions under `my actions`, an approval racing a correction, over-long text, partial section forms
 * and very long minutes.
 */

jest.setTimeout(120_000);

const AREA = 'local-area';
const MEETING_CHAT = {
  id: '19:meeting_abc@thread.v2',
  conversationType: 'groupChat',
  isGroup: true,
  tenantId: TENANT_ID,
};
const who = (n: number, name: string): UserRef => ({ id: `29:mf-${n}`, aadObjectId: person(n), name });
const cast = {
  coordinator: who(1, 'Casey Coordinator'),
  chair: who(2, 'Inspector Robin Madeup'),
  police1: who(3, 'DC Jamie Notreal'),
  police2: who(4, 'DS Morgan Fictive'),
  probation: who(5, 'Sam Invented'),
  housing: who(6, 'Lee Pretend'),
  children: who(7, 'Ari Imagined'),
  health: who(8, 'Dr Kit Fabricated'),
};
const ENROL: ReadonlyArray<readonly [keyof typeof cast, string, string]> = [
  ['chair', 'police', 'chair'],
  ['police1', 'police', 'practitioner'],
  ['police2', 'police', 'practitioner'],
  ['probation', 'probation', 'practitioner'],
  ['housing', 'housing-authority', 'practitioner'],
  ['children', 'la-childrens-services', 'practitioner'],
  ['health', 'nhs-trust', 'practitioner'],
];
const SERVICE_DOWN = 'a service did not answer';
const UNOWNED = 'Arrange the depot review with the community team.';

describe('minutes and actions: findings of the users’ pass', () => {
  let t: TestApp;
  const client = new MongoClient(testMongoUri());
  let repos: Repositories;
  let caseRef = '';
  let caseId = '';
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
  ) =>
    JSON.stringify(
      invokeCard(
        (
          await postActivity(
            t.url,
            cardAction(t.connector.url, u, verb, data, where === 'chat' ? { conversation: MEETING_CHAT } : {}),
          )
        ).body,
      ),
    );
  const minutesDoc = async () =>
    client
      .db(t.dbName)
      .collection('minutes')
      .findOne({ _id: minutesId as never });
  const sectionVersion = async (section: string) =>
    /"sectionVersion":"(\d+)"/.exec(
      await click(cast.chair, 'minutes.section.open', { minutesId, section, revision: '1' }),
    )![1]!;

  beforeAll(async () => {
    t = await startTestApp('minfind', { BOOTSTRAP_ADMIN_AAD_IDS: cast.coordinator.aadObjectId });
    await client.connect();
    await enrolByCard(t, cast.coordinator, cast.coordinator, 'mappa-unit', 'coordinator,admin');
    for (const [k, agency, roles] of ENROL) await enrolByCard(t, cast.coordinator, cast[k], agency, roles);
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
      ['probation', 'Check the licence conditions with the hostel.'],
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
    caseId = caseRecord.id;
    // Probation's previous action is reviewed as not done, with a note.
    const probationAction = (await repos.actions.listForCase(caseId)).find((a) => a.ownerAgencyId === 'probation')!;
    unwrap(
      await reviewPreviousAction(depsOn(), p.probation!, meeting.id, {
        actionId: probationAction.id,
        status: 'not_done',
        note: 'The hostel has not replied yet.',
      }),
    );
    await say(cast.chair, `end meeting ${caseRef}`, 'chat');
    minutesId = String((await client.db(t.dbName).collection('minutes').findOne({ meetingId: meeting.id }))!._id);
  });
  afterAll(async () => {
    await t.stop();
    await client.close();
  });

  it('writes each reviewed status and note to the previous action, versioned, with the meeting in its history', async () => {
    const earlier = (await repos.actions.listForCase(caseId)).filter((a) => a.meetingId === 'meeting-earlier');
    const by = (agency: string) => earlier.find((a) => a.ownerAgencyId === agency)!;
    const police = by('police');
    expect(police).toMatchObject({ status: 'in_progress', statusNote: 'Visit booked for next week.', version: 1 });
    expect(police.history.at(-1)).toMatchObject({
      event: 'reviewed',
      status: { from: 'open', to: 'in_progress' },
      note: expect.stringMatching(
        /^Reviewed at the meeting of \d{1,2} \w{3} \d{4}: in progress\. Visit booked for next week\.$/,
      ),
    });
    const housing = by('housing-authority');
    expect(housing).toMatchObject({ status: 'done', statusNote: 'Tenancy signed.', version: 1 });
    expect(housing.history.at(-1)?.note).toMatch(/^Reviewed at the meeting of .*: done\. Tenancy signed\.$/);
    const probation = by('probation');
    expect(probation).toMatchObject({ status: 'open', statusNote: 'The hostel has not replied yet.', version: 1 });
    expect(probation.history.at(-1)).toMatchObject({ event: 'reviewed' });
    expect(probation.history.at(-1)?.note).toMatch(/: not done\. The hostel has not replied yet\.$/);
  });

  it('`my actions` lists, apart from their own, the open actions of their agency with no named owner', async () => {
    await repos.actions.create(
      aNewAction({
        areaId: AREA,
        caseId,
        meetingId: 'meeting-earlier',
        ownerAgencyId: 'nhs-trust',
        text: UNOWNED,
        dueDate: '2026-01-05',
        ownerAadObjectId: undefined,
      }),
      { by: aRequestActor() },
    );
    const sent = JSON.stringify((await say(cast.health, 'my actions')).map((a) => a.body));
    expect(sent).not.toContain('You have no open actions.');
    expect(sent).toContain('You have no open actions of your own.');
    expect(sent).toMatch(/NHS Trust has \d+ open actions? with no named owner/);
    expect(sent).toContain(UNOWNED);
    // Another agency's unowned action is not theirs to see.
    expect(sent).not.toContain('Confirm the tenancy at the approved address.');
  });

  it('refuses a card value that is not text, naming the field; never a "service" message, nothing cleared', async () => {
    const before = (await minutesDoc())!.victimIssues;
    const v = await sectionVersion('victim_issues');
    const forged = await click(cast.chair, 'minutes.section.save', {
      minutesId,
      section: 'victim_issues',
      sectionVersion: v,
      revision: '1',
      value: { a: 1 },
    });
    expect(forged).not.toContain(SERVICE_DOWN);
    expect(forged).toContain('Victim issues: this was not sent as text');
    expect((await minutesDoc())!.victimIssues).toBe(before);
    // A card without its version is answered in words, with the text kept.
    const noVersion = await click(cast.chair, 'minutes.section.save', {
      minutesId,
      section: 'victim_issues',
      sectionVersion: '-1',
      revision: '1',
      value: 'Typed on a damaged card',
    });
    expect(noVersion).toContain('did not say which version');
    expect(noVersion).toContain('Typed on a damaged card');
    // A stale card that would clear an optional section meets the newer save as a conflict, not a crash.
    expect(
      await click(cast.chair, 'minutes.section.save', {
        minutesId,
        section: 'victim_issues',
        sectionVersion: v,
        revision: '1',
        value: 'The victim has asked to be told of any move (confirmed).',
      }),
    ).toContain('Saved: Victim issues');
    const stale = await click(cast.chair, 'minutes.section.save', {
      minutesId,
      section: 'victim_issues',
      sectionVersion: v,
      revision: '1',
      value: '  ',
    });
    expect(stale).not.toContain(SERVICE_DOWN);
    expect(stale).toContain('while you were editing it');
    for (const [verb, data] of [
      ['minutes.correct', { minutesId, version: '1', reason: { a: 1 } }],
      ['minutes.approve', { minutesId, version: { a: 1 } }],
      ['minutes.section.open', { minutesId, section: { a: 1 }, revision: '1' }],
      ['minutes.section.save', { minutesId: { a: 1 }, section: 'victim_issues', value: 'x' }],
    ] as const)
      expect(await click(cast.chair, verb, data)).not.toContain(SERVICE_DOWN);
    const action = (await repos.actions.listForCase(caseId)).find((a) => a.text === UNOWNED)!;
    for (const verb of ['action.progress', 'action.done', 'action.extend'])
      for (const data of [
        { actionId: action.id, version: String(action.version), note: { a: 1 }, reason: [1], dueDate: { d: 1 } },
        { actionId: action.id, version: { v: 1 }, note: 'Typed note' },
        { actionId: { a: 1 }, version: '0', note: 'Typed note' },
      ]) {
        const r = await click(cast.health, verb, data);
        expect(r).not.toContain(SERVICE_DOWN);
        expect(r).not.toContain('out of date');
        if (typeof data.version !== 'string') expect(r).toContain('missing its version');
      }
    expect(unwrap(await repos.actions.get(action.id)).version).toBe(action.version);
  });

  it('refuses over-long text on every card, naming the field and its limit, keeping the text', async () => {
    const before = (await minutesDoc())!.victimIssues;
    const long = 'v'.repeat(20_001);
    const section = await click(cast.chair, 'minutes.section.save', {
      minutesId,
      section: 'victim_issues',
      sectionVersion: await sectionVersion('victim_issues'),
      revision: '1',
      value: long,
    });
    expect(section).toContain('Victim issues is too long: at most 20,000 characters');
    expect(section).toContain(long);
    expect((await minutesDoc())!.victimIssues).toBe(before);
    const action = (await repos.actions.listForCase(caseId)).find((a) => a.text === UNOWNED)!;
    const note = 'n'.repeat(2001);
    const progress = await click(cast.health, 'action.progress', {
      actionId: action.id,
      version: String(action.version),
      note,
    });
    expect(progress).toContain('2,000 characters');
    expect(progress).toContain(note);
    const reason = 'r'.repeat(2001);
    const extend = await click(cast.health, 'action.extend', {
      actionId: action.id,
      version: String(action.version),
      dueDate: '2027-06-01',
      reason,
    });
    expect(extend).toContain('2,000 characters');
    expect(extend).toContain(reason);
    // A transfer decline reason over the card's length reaches the verb, which names it (not "out of date").
    const decline = await click(cast.coordinator, 'transfer.decline', {
      transferId: 'no-such-transfer',
      reason: 'z'.repeat(20_001),
    });
    expect(decline).not.toContain('out of date');
  });

  it('saves only the fields a form submitted: a partial RoSH form never wipes police-only intelligence', async () => {
    const full = {
      minutesId,
      section: 'risk',
      revision: '1',
      roshLevel: 'high',
      roshToWhom: 'children',
      roshSummary: 'High risk to children.',
      assessment: 'Risk increased since the new relationship.',
      restrictedIntelligence: 'Police-only: intelligence graded B2.',
    };
    expect(
      await click(cast.chair, 'minutes.section.save', { ...full, sectionVersion: await sectionVersion('risk') }),
    ).toContain('Saved: Risk of serious harm');
    const partial = await click(cast.chair, 'minutes.section.save', {
      minutesId,
      section: 'risk',
      revision: '1',
      sectionVersion: await sectionVersion('risk'),
      roshLevel: 'very_high',
      roshToWhom: '',
      roshSummary: '',
    });
    expect(partial).toContain('Saved: Risk of serious harm');
    const risk = (await minutesDoc())!.riskAssessment;
    expect(risk).toMatchObject({
      roshLevel: 'very_high',
      assessment: 'Risk increased since the new relationship.',
      restrictedIntelligence: 'Police-only: intelligence graded B2.',
    });
    // Submitted empty is cleared: absent is not empty.
    expect(risk.roshToWhom ?? []).toEqual([]);
    expect(risk.roshSummary).toBeUndefined();
  });

  it('keeps the minutes card under a safe size with every section at its longest', async () => {
    for (const s of MINUTES_SECTIONS) {
      const form = await click(cast.chair, 'minutes.section.open', { minutesId, section: s.id, revision: '1' });
      const card = JSON.parse(form) as Record<string, unknown>;
      const inputs: { id: string; type: string; maxLength?: number; isMultiline?: boolean }[] = [];
      const walk = (x: unknown): void => {
        if (Array.isArray(x)) x.forEach(walk);
        else if (x && typeof x === 'object') {
          const o = x as Record<string, unknown>;
          if (o.type === 'Input.Text' && typeof o.id === 'string') inputs.push(o as never);
          Object.values(o).forEach(walk);
        }
      };
      walk(card);
      const typed: Record<string, string> = {};
      for (const i of inputs)
        if (i.isMultiline)
          typed[i.id] =
            // One licence condition a line, each at most 2,000 characters.
            i.id === 'licenceConditions'
              ? Array.from({ length: 10 }, (_, n) => `Condition ${n + 1}: `.padEnd(1990, 'c')).join('\n')
              : `${s.id}:`.padEnd(i.maxLength ?? 20_000, 'w');
      if (Object.keys(typed).length === 0) continue;
      const saved = await click(cast.chair, 'minutes.section.save', {
        minutesId,
        section: s.id,
        revision: '1',
        sectionVersion: /"sectionVersion":"(\d+)"/.exec(form)![1]!,
        ...typed,
      });
      expect(saved).toContain('Saved: ');
    }
    expect(JSON.stringify(await minutesDoc()).length).toBeGreaterThan(200_000);
    const SAFE = 80_000;
    const bytes = (x: unknown) => Buffer.byteLength(JSON.stringify(x));
    for (const u of [cast.chair, cast.health, cast.police2]) {
      const sent = await say(u, `minutes ${caseRef}`);
      expect(sent.length).toBeGreaterThan(0);
      for (const a of sent) expect(bytes(a.body)).toBeLessThan(SAFE);
      expect(JSON.stringify(sent.map((a) => a.body))).toContain('shortened here');
      const opened = await click(u, 'minutes.open', { minutesId }, 'chat');
      expect(Buffer.byteLength(opened)).toBeLessThan(SAFE);
    }
  });

  it('keeps every section edit form under a safe size whatever is stored: a long section is edited one part at a time', async () => {
    // The longest text each field may hold, in characters that cost the most in a card's JSON: three
    // bytes each, or control characters (six bytes each as JSON escapes) between them.
    const wide = (n: number) => '語'.repeat(n);
    const escaped = (n: number) => '\u0001\u0001語'.repeat(Math.ceil(n / 3)).slice(0, n);
    const doc = (await minutesDoc())!;
    const many = <T>(n: number, f: (i: number) => T) => Array.from({ length: n }, (_, i) => f(i));
    const pick = <T>(xs: T[], i: number) => xs[i % xs.length]!;
    const set = {
      confidentialityStatement: escaped(20_000),
      victimIssues: wide(20_000),
      agencyUpdates: (doc.agencyUpdates as Record<string, unknown>[]).map((u, i) => ({
        ...u,
        summary: i % 2 ? wide(20_000) : escaped(20_000),
        childrenAndVulnerablePeople: wide(20_000),
        changeInRisk: escaped(20_000),
      })),
      previousActionsReview: many(40, (i) => ({
        ...pick(doc.previousActionsReview as Record<string, unknown>[], i),
        text: escaped(2000),
        update: wide(4000),
      })),
      riskAssessment: {
        ...(doc.riskAssessment as Record<string, unknown>),
        ...Object.fromEntries(
          ['victimsAndPotentialVictims', 'diversityIssues', 'roshSummary', 'assessment', 'restrictedIntelligence'].map(
            (k) => [k, escaped(20_000)],
          ),
        ),
      },
      rmp: {
        ...Object.fromEntries(Object.keys(doc.rmp as object).map((k) => [k, wide(20_000)])),
        // As many conditions as the form's one input holds (20,000 characters).
        licenceConditions: many(10, () => wide(1999)),
      },
      disclosureDecisions: many(12, () => ({ outcome: 'disclose', recipient: wide(500), rationale: escaped(20_000) })),
      agencyViews: many(30, (i) => ({ ...pick(doc.agencyViews as Record<string, unknown>[], i), comment: wide(2000) })),
      decisions: many(12, (i) => ({
        ...pick(doc.decisions as Record<string, unknown>[], i),
        decision: escaped(4000),
        rationale: wide(20_000),
      })),
      distribution: many(300, () => ({ recipient: escaped(300) })),
      attendance: many(60, (i) => ({
        ...pick(doc.attendance as Record<string, unknown>[], i),
        name: escaped(200),
        role: wide(200),
      })),
    };
    await client
      .db(t.dbName)
      .collection('minutes')
      .updateOne({ _id: minutesId as never }, { $set: set });
    const SAFE = 80_000;
    type Node = Record<string, unknown>;
    const walk = (x: unknown, seen: (o: Node) => void): void => {
      if (Array.isArray(x)) x.forEach((y) => walk(y, seen));
      else if (x && typeof x === 'object') {
        seen(x as Node);
        Object.values(x).forEach((y) => walk(y, seen));
      }
    };
    /** Every card reached from a section's Edit button (the form, or the parts and each part's form). */
    const formsOf = async (u: UserRef, section: string) => {
      const cards: string[] = [];
      const queue: Record<string, unknown>[] = [{ minutesId, section, revision: '1' }];
      const opened = new Set<string>();
      while (queue.length > 0) {
        const data = queue.shift()!;
        const key = JSON.stringify(data);
        if (opened.has(key)) continue;
        opened.add(key);
        const card = await click(u, 'minutes.section.open', data);
        cards.push(card);
        walk(JSON.parse(card), (o) => {
          if (o.verb === 'minutes.section.open' && o.data && typeof o.data === 'object') {
            const d = o.data as Node;
            if (d.part !== undefined || d.page !== undefined) queue.push({ ...d });
          }
        });
      }
      return cards;
    };
    const inputIds = (card: string) => {
      const ids: string[] = [];
      walk(JSON.parse(card), (o) => {
        if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string') ids.push(o.id);
      });
      return ids;
    };
    const expected: Record<string, number> = {
      agency_updates: 15,
      previous_actions: 40,
      disclosure: 24,
      agency_views: 30,
      distribution: 300,
      attendance: 240,
    };
    for (const s of MINUTES_SECTIONS) {
      const cards = await formsOf(cast.chair, s.id);
      for (const c of cards)
        expect({ section: s.id, bytes: Buffer.byteLength(c) < SAFE }).toEqual({ section: s.id, bytes: true });
      const ids = new Set(cards.flatMap(inputIds));
      if (expected[s.id] !== undefined)
        expect({ section: s.id, inputs: ids.size }).toEqual({ section: s.id, inputs: expected[s.id] });
      if (s.id === 'risk') expect(ids).toContain('restrictedIntelligence');
      if (s.id === 'decisions') for (let i = 0; i < 12; i++) expect(ids).toContain(`${i}.rationale`);
    }
    // Each agency's update on its own form, saved with the section's version; the others are kept.
    const chooser = (await formsOf(cast.chair, 'agency_updates'))[0]!;
    expect(inputIds(chooser)).toEqual([]);
    expect(chooser).toContain('Choose the part to edit');
    const parts: Node[] = [];
    walk(JSON.parse(chooser), (o) => {
      if (o.verb === 'minutes.section.open' && (o.data as Node | undefined)?.part !== undefined)
        parts.push(o.data as Node);
    });
    expect(parts.length).toBeGreaterThanOrEqual(5);
    const first = parts[0]!;
    const form = await click(cast.chair, 'minutes.section.open', first);
    expect(Buffer.byteLength(form)).toBeLessThan(SAFE);
    const ids = inputIds(form);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => id.startsWith('0.'))).toBe(true);
    const v = /"sectionVersion":"(\d+)"/.exec(form)![1]!;
    const typed = Object.fromEntries(ids.map((id) => [id, `Typed for ${id}.`]));
    const saved = await click(cast.chair, 'minutes.section.save', {
      minutesId,
      section: 'agency_updates',
      sectionVersion: v,
      revision: '1',
      part: first.part,
      ...typed,
    });
    expect(saved).toContain('Saved: ');
    const after = (await minutesDoc())!.agencyUpdates as Record<string, unknown>[];
    for (const id of ids) expect(after[0]![id.split('.')[1]!]).toBe(`Typed for ${id}.`);
    expect(after[1]).toEqual(set.agencyUpdates[1]);
    // The same form sent again from the old version: the conflict, with the typed text kept, still fits.
    const conflict = await click(cast.chair, 'minutes.section.save', {
      minutesId,
      section: 'agency_updates',
      sectionVersion: v,
      revision: '1',
      part: first.part,
      ...Object.fromEntries(ids.map((id) => [id, wide(20_000)])),
    });
    expect(conflict).toContain('while you were editing it');
    expect(conflict).toContain(wide(20_000));
    expect(Buffer.byteLength(conflict)).toBeLessThan(SAFE);
    // Police-only text is never on a form for a co-ordinator whose agency has no ViSOR access.
    const healthCoordinator = who(9, 'Pat Madeup-Coordinator');
    await enrolByCard(t, cast.coordinator, healthCoordinator, 'nhs-trust', 'coordinator');
    await say(healthCoordinator, 'help');
    const coordinatorRisk = await formsOf(healthCoordinator, 'risk');
    expect(coordinatorRisk.flatMap(inputIds)).toContain('roshSummary');
    for (const c of coordinatorRisk) {
      expect(inputIds(c)).not.toContain('restrictedIntelligence');
      expect(Buffer.byteLength(c)).toBeLessThan(SAFE);
    }
  });

  it('answers a forged section id on an Edit button: not a section of these minutes', async () => {
    for (const section of ['not_a_section', { a: 1 }]) {
      const r = await click(cast.chair, 'minutes.section.open', { minutesId, section, revision: '1' });
      expect(r).toContain('That is not a section of these minutes');
      expect(r).not.toContain('out of date');
    }
    // Only the chair or the co-ordinator is told anything about the minutes' sections.
    const other = await click(cast.health, 'minutes.section.open', { minutesId, section: 'nope', revision: '1' });
    expect(other).not.toContain('not a section');
  });

  it('an approval that lands just before a correction: the reply says who approved, and keeps the reason typed', async () => {
    const draft = await click(cast.coordinator, 'minutes.correct', {
      minutesId,
      version: String((await minutesDoc())!.version),
      reason: 'Typed while still a draft.',
    });
    expect(draft).toContain('Typed while still a draft.');
    expect(draft).toContain('not approved yet');
    const version = String((await minutesDoc())!.version);
    expect(await click(cast.chair, 'minutes.approve', { minutesId, version })).toContain('Approved version 1');
    const late = await click(cast.coordinator, 'minutes.correct', {
      minutesId,
      version,
      reason: 'The review date was misrecorded.',
    });
    expect(late).not.toContain('still a draft');
    expect(late).toContain(`${cast.chair.name} approved version 1 just now`);
    expect(late).toContain('press Correct… again');
    // Kept in the reason box of the approved card, ready to press Correct… again.
    expect(late).toContain('"value":"The review date was misrecorded."');
    expect((await minutesDoc())!.revision).toBe(1);
    // Over-long reason: refused naming the field and its limit, kept in full, nothing opened.
    const long = 'r'.repeat(2001);
    const refused = await click(cast.coordinator, 'minutes.correct', {
      minutesId,
      version: String((await minutesDoc())!.version),
      reason: long,
    });
    expect(refused).toContain('Reason is too long: at most 2,000 characters');
    expect(refused).toContain(long);
    expect((await minutesDoc())!.revision).toBe(1);
  });
});
