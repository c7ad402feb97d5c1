import { MongoIntakeClaimRepository } from '../../src/store/intake-claim.repository';
import { ConversationState, TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus } from 'botbuilder-dialogs';
import { MongoClient, type Db } from 'mongodb';
import type { ReferralDeps, ReferralSummary } from '../../src/app/referrals';
import { REFERRAL_DIALOG_ID, ReferralDialog, referDialogOptions } from '../../src/bot/referrals/dialog/referral.dialog';
import type { Member } from '../../src/domain/member.schema';
import type { Principal } from '../../src/domain/policy';
import { unwrap } from '../../src/lib/result';
import { createRepositories, MongoBotStorage } from '../../src/store';
import { MongoReferralQuestionRepository } from '../../src/store/referral-questions.repository';
import { aMember, anArea, aRequestActor, AREA_ID } from '../fixtures/builders';
import { CAT2_LEVEL2, principalOf, type Answer } from '../fixtures/referral-answers';
import { testMongoUri } from '../support/mongo';
import { openTestStore, TestClock, type TestStore } from '../support/store';

const clients: MongoClient[] = [];

/**
 * One bot "process": its own client, repositories, storage and dialog, sharing nothing in memory
 * with another, so building a second one on the same database is a restart.
 */
async function boot(dbName: string, principal: Principal, conversationId: string) {
  const client = await new MongoClient(testMongoUri()).connect();
  const db: Db = client.db(dbName);
  const clock = new TestClock();
  const repos = createRepositories(db, clock);
  const deps: ReferralDeps = {
    referrals: repos.referrals,
    cases: repos.cases,
    subjects: repos.subjects,
    claims: new MongoIntakeClaimRepository(db, clock),
    members: repos.members,
    questions: new MongoReferralQuestionRepository(db, clock, repos.audit),
    clock,
    areaId: AREA_ID,
  };
  const submitted: ReferralSummary[] = [];
  const conversationState = new ConversationState(new MongoBotStorage(db));
  const dialogs = new DialogSet(conversationState.createProperty('dialogState'));
  dialogs.add(
    new ReferralDialog({
      deps,
      marking: 'OFFICIAL-SENSITIVE',
      onSubmitted: (_referral, summary) => {
        submitted.push(summary);
        return Promise.resolve();
      },
      principalOf: () => Promise.resolve(principal),
      places: conversationState.createProperty('referralPlaces'),
    }),
  );
  const logic = async (turn: TurnContext) => {
    const dc = await dialogs.createContext(turn);
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) {
      const refer = /^refer\b\s*(.*)$/i.exec(turn.activity.text ?? '');
      if (refer) await dc.beginDialog(REFERRAL_DIALOG_ID, referDialogOptions(refer[1] ?? ''));
      else await turn.sendActivity('(no dialog running)');
    }
    await conversationState.saveChanges(turn);
  };
  const adapter = new TestAdapter(logic, {
    conversation: { id: conversationId, isGroup: false, conversationType: 'personal', name: '' },
    channelId: 'msteams',
  } as Partial<Activity>);
  /** Sends one message (text or card submit) and returns everything the bot sent in that turn. */
  async function send(input: string | { value: Record<string, unknown> }): Promise<Partial<Activity>[]> {
    await adapter.receiveActivity(typeof input === 'string' ? input : { type: 'message', value: input.value });
    return adapter.activeQueue.splice(0);
  }
  clients.push(client);
  return { client, db, clock, deps, submitted, send, close: () => client.close() };
}
type Bot = Awaited<ReturnType<typeof boot>>;

const textOf = (sent: readonly Partial<Activity>[]) => sent.map((a) => a.text ?? '').join('\n---\n');
const lastText = (sent: readonly Partial<Activity>[]) => sent.at(-1)?.text ?? '';
const cardIn = (sent: readonly Partial<Activity>[]) =>
  sent.flatMap((a) => a.attachments ?? []).find((x) => x.contentType === 'application/vnd.microsoft.card.adaptive')
    ?.content as { body: unknown[]; actions: { title: string; data: Record<string, unknown> }[] } | undefined;

/** Answers questions in order, checking that each one asked is the one expected. */
async function answerAll(bot: Bot, first: readonly Partial<Activity>[], answers: readonly Answer[]) {
  let sent = first;
  for (const [, id, typed, asks] of answers) {
    if (!lastText(sent).toLowerCase().includes(asks.toLowerCase()))
      throw new Error(`Expected the question for ${id} ("${asks}") but the bot said:\n${textOf(sent)}`);
    sent = await bot.send(typed);
  }
  return sent;
}

describe('the MAPPA A referral dialog', () => {
  let store: TestStore;
  let dbName: string;
  let users = 0;

  async function newReferrer(): Promise<Principal> {
    users += 1;
    const { version: _version, ...m } = aMember({
      aadObjectId: `00000000-0000-4000-8000-0000000001${String(users).padStart(2, '0')}`,
      displayName: `Test Referrer ${users}`,
    });
    const member: Member = unwrap(await store.repos.members.enrol(m, { by: aRequestActor() }));
    return principalOf(member);
  }

  beforeAll(async () => {
    store = await openTestStore('referral_dialog');
    dbName = store.db.databaseName;
    const { version: _version, ...area } = anArea('england-wales', { id: AREA_ID });
    unwrap(await store.repos.members.createArea(area, { by: aRequestActor() }));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await store.close();
  });

  it('walks every section with short answers, edits one from the review card and submits', async () => {
    const bot = await boot(dbName, await newReferrer(), 'conv-walk');
    const start = await bot.send('refer');
    expect(textOf(start)).toContain("I've started a MAPPA A referral");
    expect(textOf(start)).toContain('Section 1 of 12: Referrer and agency');

    const end = await answerAll(bot, start, CAT2_LEVEL2);
    const card = cardIn(end);
    expect(card).toBeDefined();
    const json = JSON.stringify(card);
    expect(json).toContain('OFFICIAL-SENSITIVE');
    expect(json).toContain('Terry Imaginary');
    expect(json).toContain('"verb":"referral.edit"');

    const stale = await bot.send({ value: { verb: 'referral.edit', referralId: 'x', sectionId: 'diversity' } });
    expect(textOf(stale)).toMatch(/not found/i);
    const review = card!;
    const referralId = review.actions.find((a) => a.title === 'Submit')!.data.referralId as string;
    const again = await bot.send({ value: { verb: 'referral.edit', referralId, sectionId: 'diversity' } });
    expect(lastText(again)).toContain('Current answer: None identified');
    expect(lastText(await bot.send('Needs an interpreter (Polish)'))).toContain('barriers');
    const back = await bot.send('skip');
    const submit = cardIn(back)!.actions.find((a) => a.title === 'Submit')!;
    expect(JSON.stringify(cardIn(back))).toContain('Needs an interpreter (Polish)');
    expect(submit.data.expectedVersion).not.toBe(
      review.actions.find((a) => a.title === 'Submit')!.data.expectedVersion,
    );

    const done = await bot.send({ value: submit.data });
    // Started without a case, so the reply names none: the case found from what was typed may be one
    // the referrer cannot see. The referral is on a case all the same.
    expect(textOf(done)).toContain('Submitted to the MAPPA co-ordinator.');
    expect(textOf(done)).not.toMatch(/MAPPA-\d{4}-\d{4}/);
    expect(bot.submitted).toHaveLength(1);
    expect(bot.submitted[0]!.caseRef).toMatch(/^MAPPA-2026-\d{4}$/);
    expect(bot.submitted[0]).toMatchObject({ initials: 'T.I.', levelRequested: 'Level 2', daysLeft: 10 });
    expect(unwrap(await bot.deps.referrals.get(referralId))).toMatchObject({
      status: 'submitted',
      sections: { diversity: { diversityNeeds: 'Needs an interpreter (Polish)' } },
    });
    expect(textOf(await bot.send('skip'))).toContain('(no dialog running)');
    await bot.close();
  });

  it('re-asks a bad answer with the reason and what was typed, and saves nothing', async () => {
    const me = await newReferrer();
    const bot = await boot(dbName, me, 'conv-validate');
    const first = await bot.send('refer new');
    const sent = await answerAll(bot, first, CAT2_LEVEL2.slice(0, 5));
    expect(lastText(sent)).toContain('date of birth');
    const retry = await bot.send('31/02/1990');
    expect(lastText(retry)).toContain('Give a real date');
    expect(lastText(retry)).toContain('You wrote: "31/02/1990"');
    expect(lastText(retry)).toContain('What is their date of birth?');
    const [draft] = await bot.deps.referrals.listByReferrer(me.aadObjectId, { status: 'draft' });
    expect(draft?.sections.subject?.dateOfBirth).toBeUndefined();
    expect(lastText(await bot.send('01/04/1990'))).toContain('gender');
    await bot.close();
  });

  it('understands back, skip, status and cancel, and resumes a cancelled draft where it stopped', async () => {
    const me = await newReferrer();
    const bot = await boot(dbName, me, 'conv-commands');
    const first = await bot.send('refer');
    await answerAll(bot, first, CAT2_LEVEL2.slice(0, 6));

    expect(textOf(await bot.send('status'))).toContain('Section 2 of 12: The person referred');
    const skipRequired = await bot.send('skip');
    expect(textOf(skipRequired)).toContain('"Gender" is required, so it cannot be skipped');
    expect(lastText(skipRequired)).toContain('gender');

    const back = await bot.send('back');
    expect(lastText(back)).toContain('date of birth');
    expect(lastText(back)).toContain('Current answer: 1 Apr 1990');
    expect(lastText(await bot.send('02/04/1990'))).toContain('gender');

    const cancelled = await bot.send('cancel');
    expect(textOf(cancelled)).toContain('Your draft is kept: type **refer**');
    expect(textOf(await bot.send('Male'))).toContain('(no dialog running)');

    const resumed = await bot.send('refer');
    expect(textOf(resumed)).toContain('Welcome back');
    expect(lastText(resumed)).toContain('gender');
    const [draft] = await bot.deps.referrals.listByReferrer(me.aadObjectId, { status: 'draft' });
    expect(draft?.sections.subject?.dateOfBirth).toBe('1990-04-02');
    await bot.close();
  });

  it('skips optional questions without writing and offers save for later', async () => {
    const me = await newReferrer();
    const bot = await boot(dbName, me, 'conv-optional');
    const first = await bot.send('refer');
    const atAliases = await answerAll(bot, first, CAT2_LEVEL2.slice(0, 4));
    expect(lastText(atAliases)).toContain('Optional: type **skip**');
    const [before] = await bot.deps.referrals.listByReferrer(me.aadObjectId, { status: 'draft' });
    expect(lastText(await bot.send('skip'))).toContain('date of birth');
    expect(textOf(await bot.send('save'))).toContain('Saved. Type **refer**');
    const [after] = await bot.deps.referrals.listByReferrer(me.aadObjectId, { status: 'draft' });
    expect(after?.version).toBe(before?.version);
    expect(after?.sections.subject?.aliases ?? []).toEqual([]);
    await bot.close();
  });

  it('carries on after a restart: a new process on the same database continues the same question', async () => {
    const me = await newReferrer();
    const before = await boot(dbName, me, 'conv-restart');
    const first = await before.send('refer');
    const sent = await answerAll(before, first, CAT2_LEVEL2.slice(0, 3));
    expect(lastText(sent)).toContain("person's name");
    await before.close();

    const after = await boot(dbName, me, 'conv-restart');
    expect(lastText(await after.send('Terry Imaginary'))).toContain('aliases');
    const [draft] = await after.deps.referrals.listByReferrer(me.aadObjectId, { status: 'draft' });
    expect(draft?.sections).toMatchObject({
      referrer: { jobTitle: 'Probation Officer', managerApproved: true },
      subject: { name: { given: 'Terry', family: 'Imaginary' } },
    });
    await after.close();
  });

  it('refuses an over-long or unreadable refer argument with a clear message and writes nothing', async () => {
    const me = await newReferrer();
    const bot = await boot(dbName, me, 'conv-refer-args');
    const long = await bot.send(`refer ${'Terry Imaginary '.repeat(640)}`);
    expect(textOf(long)).toMatch(/too long for \*\*refer\*\* \(10239 characters; at most 200\)/);
    for (const odd of ['refer Amy\u0000Fictional', 'refer Amy \u202eFictional', 'refer new Amy \ud800Fictional']) {
      expect(textOf(await bot.send(odd))).toContain('characters I cannot read');
    }
    expect(textOf(await bot.send('refer MAPPA-2026'))).toContain('Case references look like MAPPA-2026-0042');
    const unknown = await bot.send('refer T.Q.');
    expect(textOf(unknown)).toContain('You have no draft referral for "T.Q."');
    expect(textOf(unknown)).toContain('**refer new** followed by their first and family name');
    expect(await bot.deps.referrals.listByReferrer(me.aadObjectId)).toEqual([]);
    expect(textOf(await bot.send('hello'))).toContain('(no dialog running)');

    // Text pasted from elsewhere: decomposed accents and zero-width spaces are tidied, not refused.
    const pasted = await bot.send('refer new Zoe\u0308\u200b Fictional');
    expect(textOf(pasted)).toContain("I've started a MAPPA A referral (Z.F.)");
    const [draft] = await bot.deps.referrals.listByReferrer(me.aadObjectId);
    expect(draft?.sections.subject?.name).toEqual({ given: 'Zo\u00eb', family: 'Fictional' });
    await bot.close();
  });

  it('resumes on the exact question after save or cancel, optional ones included', async () => {
    const me = await newReferrer();
    const bot = await boot(dbName, me, 'conv-resume-place');
    const first = await bot.send('refer');
    const atAliases = await answerAll(bot, first, CAT2_LEVEL2.slice(0, 4));
    expect(lastText(atAliases)).toContain('aliases');
    await bot.send('save');
    const resumed = await bot.send('refer');
    expect(textOf(resumed)).toContain('Welcome back');
    expect(lastText(resumed)).toContain('aliases');

    // Further on, at the optional sentence question, and leaving with cancel this time.
    const atSentence = await answerAll(bot, resumed, CAT2_LEVEL2.slice(4, 14));
    expect(lastText(atSentence)).toContain('sentence or disposal');
    await bot.send('cancel');
    expect(lastText(await bot.send('refer'))).toContain('sentence or disposal');
    await bot.close();
  });

  it('gives the eligibility verdict only once the sentence question that decides Category 2 is answered', async () => {
    const bot = await boot(dbName, await newReferrer(), 'conv-verdict');
    const first = await bot.send('refer');
    const facts = await answerAll(bot, first, CAT2_LEVEL2.slice(0, 14));
    expect(textOf(facts)).not.toContain('do not meet any MAPPA category');
    expect(lastText(facts)).toContain('sentence or disposal');
    const sentence = await bot.send('1');
    expect(textOf(sentence)).toContain('These answers support Category 2');
    await bot.close();
  });

  it('switches drafts when refer is typed mid-walk or at the review, keeping the current draft saved', async () => {
    const me = await newReferrer();
    const bot = await boot(dbName, me, 'conv-switch');
    const a = await bot.send('refer new Amy Fictional');
    await answerAll(bot, a, [['referrer', 'jobTitle', 'Probation Officer', 'job title']]);

    // Mid-walk: `refer new …` starts the other referral; the question Amy's was on is not answered with it.
    const b = await bot.send('refer new Ben Madeup');
    expect(textOf(b)).toContain('Your referral for A.F. is saved as it is');
    expect(textOf(b)).toContain("I've started a MAPPA A referral (B.M.)");
    expect(lastText(b)).toContain('job title');
    const amy = async () =>
      (await bot.deps.referrals.listByReferrer(me.aadObjectId, { status: 'draft' })).find(
        (d) => d.sections.subject?.name?.family === 'Fictional',
      );
    expect((await amy())?.sections.referrer?.managerName).toBeUndefined();

    // Text that starts with "refer" but names no draft is neither saved as the answer nor a new draft.
    const notACommand = await bot.send('refer to MARAC and housing');
    expect(textOf(notACommand)).toContain('You have no draft referral for "to MARAC and housing"');
    expect(textOf(notACommand)).toContain('Your referral for B.M. is still open');
    expect(lastText(notACommand)).toContain('job title');
    expect(await bot.deps.referrals.listByReferrer(me.aadObjectId, { status: 'draft' })).toHaveLength(2);

    // At the review card of Ben's referral, `refer A.F.` goes back to Amy's, where she left off.
    const review = await answerAll(
      bot,
      notACommand,
      CAT2_LEVEL2.filter(([, id]) => id !== 'name'),
    );
    expect(cardIn(review)).toBeDefined();
    const same = await bot.send('refer B.M.');
    expect(textOf(same)).toContain('You are already working on this referral (B.M.)');
    const back = await bot.send('refer A.F.');
    expect(textOf(back)).toContain('Your referral for B.M. is saved as it is');
    expect(textOf(back)).toContain('Welcome back to your referral for A.F.');
    expect(lastText(back)).toContain('manager signing');
    expect((await amy())?.sections.referrer?.jobTitle).toBe('Probation Officer');

    // And `refer B.M.` returns to Ben's review card.
    expect(cardIn(await bot.send('refer B.M.'))).toBeDefined();
    await bot.close();
  });

  it('keeps two referrals by the same person apart and resumes each by its initials', async () => {
    const me = await newReferrer();
    const bot = await boot(dbName, me, 'conv-parallel');
    const a = await bot.send('refer new Amy Fictional');
    expect(textOf(a)).toContain('A.F.');
    await answerAll(bot, a, [['referrer', 'jobTitle', 'Probation Officer', 'job title']]);
    await bot.send('save');
    bot.clock.advance(60_000);

    const b = await bot.send('refer new Ben Madeup');
    expect(textOf(b)).toContain('B.M.');
    await answerAll(bot, b, [
      ['referrer', 'jobTitle', 'Senior Probation Officer', 'job title'],
      ['referrer', 'managerName', 'Jo Madeup', 'manager signing'],
    ]);
    await bot.send('save');

    const listed = await bot.send('refer');
    expect(textOf(listed)).toMatch(/You have 2 draft referrals[\s\S]*B\.M\.[\s\S]*A\.F\./);
    const resumed = await bot.send('refer A.F.');
    expect(textOf(resumed)).toContain('Welcome back to your referral for A.F.');
    expect(lastText(resumed)).toContain('manager signing');
    await bot.send('Kim Notreal');

    const drafts = await bot.deps.referrals.listByReferrer(me.aadObjectId, { status: 'draft' });
    const byFamily = Object.fromEntries(drafts.map((d) => [d.sections.subject?.name?.family, d.sections.referrer]));
    expect(byFamily.Fictional).toMatchObject({ jobTitle: 'Probation Officer', managerName: 'Kim Notreal' });
    expect(byFamily.Madeup).toMatchObject({ jobTitle: 'Senior Probation Officer', managerName: 'Jo Madeup' });
    await bot.close();
  });
});
