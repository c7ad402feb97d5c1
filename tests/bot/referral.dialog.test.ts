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
import { CAT2_LEVEL2_CARDS, principalOf } from '../fixtures/referral-answers';
import {
  inputsOf,
  press,
  reviewCardIn,
  walkCard,
  walkToReview,
  wordsOf,
  type CardJson,
  type SentLike,
} from '../support/referral-walk';
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

/** What the bot said: message text and its cards' text (what the last answer did is on the next card). */
const textOf = (sent: readonly Partial<Activity>[]) => wordsOf(sent as SentLike[]);
const lastText = (sent: readonly Partial<Activity>[]) => wordsOf(sent.slice(-1) as SentLike[]);
/** The walk card the bot sent last; fails with what it said instead. */
function cardOf(sent: readonly Partial<Activity>[]): CardJson {
  const card = walkCard(sent);
  if (!card) throw new Error(`expected a walk card, the bot said:\n${textOf(sent)}`);
  return card;
}
/** The card's lead, title and progress line (the first blocks under the marking). */
const titleOf = (card: CardJson) => JSON.stringify(card.body.slice(1, 4));
const valueIn = (card: CardJson, id: string) => inputsOf(card).find((i) => i.id === id)?.value;
/** Presses "Save and continue" on the last card with the CAT2 answers, overridden by `over`. */
const answerCard = (sent: readonly Partial<Activity>[], over: Record<string, string> = {}) => ({
  value: press(cardOf(sent), 'Save and continue', { ...CAT2_LEVEL2_CARDS, ...over }),
});

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

  /** Answers cards (and typed questions) until the card whose title contains `title` is shown. */
  async function walkUntil(bot: Bot, first: Partial<Activity>[], title: string): Promise<Partial<Activity>[]> {
    let sent = first;
    for (let i = 0; i < 20; i += 1) {
      const card = walkCard(sent);
      if (card && titleOf(card).includes(title)) return sent;
      if (reviewCardIn(sent)) break;
      sent = card
        ? await bot.send(answerCard(sent))
        : await bot.send(
            /brief facts/.test(lastText(sent))
              ? 'Assault on former partner'
              : /raise or reduce/.test(lastText(sent))
                ? 'Jealousy in relationships'
                : 'Release due and housing and victim safety need several agencies.',
          );
    }
    throw new Error(`never reached the ${title} card; the bot said:\n${textOf(sent)}`);
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

  it('walks every section on cards in 16 messages (48 typed one at a time before), edits one and submits', async () => {
    const bot = await boot(dbName, await newReferrer(), 'conv-walk');
    const start = await bot.send('refer');
    expect(textOf(start)).toContain("I've started a MAPPA A referral");
    expect(titleOf(cardOf(start))).toContain('Referrer and agency');
    expect(titleOf(cardOf(start))).toMatch(/Section 1 of 12 · questions 1 to 3 of 3 · about \d+ to go/);

    const batches = await walkToReview(start, bot.send);
    // From `refer` to the review card: 48 bot messages when every question was typed on its own.
    expect(batches.flat()).toHaveLength(16);
    const end = batches.at(-1)!;
    const review = reviewCardIn(end)!;
    const json = JSON.stringify(review);
    expect(json).toContain('OFFICIAL-SENSITIVE');
    expect(json).toContain('Terry Imaginary');
    expect(json).toContain('"verb":"referral.edit"');

    const stale = await bot.send({ value: { verb: 'referral.edit', referralId: 'x', sectionId: 'diversity' } });
    expect(textOf(stale)).toMatch(/not found/i);
    const referralId = review.actions!.find((a) => a.title === 'Submit')!.data!.referralId as string;
    const again = await bot.send({ value: { verb: 'referral.edit', referralId, sectionId: 'diversity' } });
    expect(valueIn(cardOf(again), 'diversityNeeds')).toBe('None identified');
    expect(cardOf(again).actions!.map((a) => a.title)).toContain('Save and go back to the review');
    const back = await bot.send({
      value: press(cardOf(again), 'Save and go back to the review', {
        diversityNeeds: 'Needs an interpreter (Polish)',
      }),
    });
    const reviewed = reviewCardIn(back)!;
    expect(JSON.stringify(reviewed)).toContain('Needs an interpreter (Polish)');
    const submit = reviewed.actions!.find((a) => a.title === 'Submit')!;
    expect(submit.data!.expectedVersion).not.toBe(
      review.actions!.find((a) => a.title === 'Submit')!.data!.expectedVersion,
    );

    const done = await bot.send({ value: submit.data! });
    // Started without a case, so the reply names none: the case found from what was typed may be one
    // the referrer cannot see. The referral is on a case all the same.
    expect(textOf(done)).toContain('Submitted to the MAPPA co-ordinator.');
    expect(textOf(done)).not.toMatch(/MAPPA-\d{4}-\d{4}/);
    expect(bot.submitted).toHaveLength(1);
    expect(bot.submitted[0]!.caseRef).toMatch(/^MAPPA-2026-\d{4}$/);
    expect(bot.submitted[0]).toMatchObject({ initials: 'T.I.', levelRequested: 'Level 2', daysLeft: 10 });
    expect(unwrap(await bot.deps.referrals.get(referralId))).toMatchObject({
      status: 'submitted',
      sections: {
        diversity: { diversityNeeds: 'Needs an interpreter (Polish)' },
        subject: { dateOfBirth: '1990-04-01', identifiers: { pnc: '2001/0123456X', crn: 'X123456' } },
        agencies: {
          agencies: [
            {
              agencyId: 'housing-authority',
              involvement: 'Housing options',
              contributionRequired: 'An address away from the victim',
            },
          ],
        },
        victims: { victims: [{ description: 'Former partner', relationship: 'ex-partner' }] },
      },
    });
    expect(textOf(await bot.send('skip'))).toContain('(no dialog running)');
    await bot.close();
  });

  it('takes a multi-select eligibility answer, and gives the verdict once the card with the sentence is saved', async () => {
    const me = await newReferrer();
    const bot = await boot(dbName, me, 'conv-eligibility');
    const atCategory = await walkUntil(bot, await bot.send('refer'), 'MAPPA category');
    const card = cardOf(atCategory);
    const facts = inputsOf(card).find((i) => i.id === 'eligibilityFacts');
    expect(facts?.type).toBe('Input.ChoiceSet');
    expect(JSON.stringify(card)).toContain('"isMultiSelect":true');
    // The sentence question is on the same card, as a drop-down listing every option.
    expect(JSON.stringify(card)).toContain('Custody of 12 months or more');
    expect(JSON.stringify(card)).toContain('"style":"compact"');

    const blank = await bot.send(answerCard(atCategory, { 'eligibilityFacts.qualifyingDisposal': '' }));
    expect(textOf(blank)).toContain('These answers do not meet any MAPPA category yet');
    const back = await bot.send('back');
    expect(valueIn(cardOf(back), 'eligibilityFacts')).toBe('convicted,murderOrSchedule15Offence');
    const sentence = await bot.send(answerCard(back));
    expect(textOf(sentence)).toContain('These answers support Category 2');
    const [draft] = await bot.deps.referrals.listByReferrer(me.aadObjectId, { status: 'draft' });
    expect(draft?.sections.category?.eligibilityFacts).toMatchObject({
      convicted: true,
      murderOrSchedule15Offence: true,
      subjectToNotificationRequirements: false,
      qualifyingDisposal: 'custody_12m_plus',
    });
    await bot.close();
  });

  it('saves a date picker value and a date typed as words, and refuses an impossible date keeping the card', async () => {
    const me = await newReferrer();
    const bot = await boot(dbName, me, 'conv-validate');
    const atSubject = await walkUntil(bot, await bot.send('refer new'), 'The person referred');
    expect(inputsOf(cardOf(atSubject)).find((i) => i.id === 'dateOfBirth')?.type).toBe('Input.Date');
    const retry = await bot.send(answerCard(atSubject, { dateOfBirth: '31/02/1990', gender: 'Male' }));
    expect(lastText(retry)).toContain('Date of birth: Give a real date');
    const again = cardOf(retry);
    expect(JSON.stringify(again)).toContain('Nothing on this card is saved yet');
    // What was typed is still there, the wrong date included.
    expect(valueIn(again, 'dateOfBirth')).toBe('31/02/1990');
    expect(valueIn(again, 'name.given')).toBe('Terry');
    const [draft] = await bot.deps.referrals.listByReferrer(me.aadObjectId, { status: 'draft' });
    expect(draft?.sections.subject).toBeUndefined();

    // Some clients show a date input as a text box: a date written in words is read the UK way.
    const atCategory = await bot.send(answerCard(retry, { dateOfBirth: '2 April 1990' }));
    expect(titleOf(cardOf(atCategory))).toContain('MAPPA category');
    const atOffence = await walkUntil(bot, atCategory, 'Offence');
    await bot.send(answerCard(atOffence, { sentenceDate: '2030-02-02' }));
    const [after] = await bot.deps.referrals.listByReferrer(me.aadObjectId, { status: 'draft' });
    expect(after?.sections.subject?.dateOfBirth).toBe('1990-04-02');
    expect(after?.sections.offence?.sentenceDate).toBe('2030-02-02');
    await bot.close();
  });

  it('keeps agencies as rows, adds a fresh set on request and names the row that is incomplete', async () => {
    const me = await newReferrer();
    const bot = await boot(dbName, me, 'conv-rows');
    const atAgencies = await walkUntil(bot, await bot.send('refer'), 'Agencies involved');
    const card = cardOf(atAgencies);
    expect(inputsOf(card).filter((i) => i.id.endsWith('.agencyId'))).toHaveLength(5);
    expect(new Set(inputsOf(card).map((i) => i.label)).size).toBe(inputsOf(card).length);

    const half = await bot.send({
      value: press(card, 'Save and add more rows', {
        'agencies.0.agencyId': 'housing-authority',
        'agencies.0.involvement': 'Housing options',
        'agencies.0.contributionRequired': 'An address away from the victim',
        'agencies.1.agencyId': 'police',
        'agencies.1.involvement': 'Offender manager',
      }),
    });
    expect(lastText(half)).toContain('Agency 2: fill in what it must contribute, or clear the whole row.');
    expect(valueIn(cardOf(half), 'agencies.1.involvement')).toBe('Offender manager');

    const more = await bot.send({
      value: press(cardOf(half), 'Save and add more rows', { 'agencies.1.contributionRequired': 'Share intelligence' }),
    });
    expect(lastText(more)).toContain('Here are more empty rows');
    const fresh = cardOf(more);
    expect(valueIn(fresh, 'agencies.1.agencyId')).toBe('police');
    expect(inputsOf(fresh).filter((i) => i.id.endsWith('.agencyId'))).toHaveLength(7);
    await bot.send({
      value: press(fresh, 'Save and continue', {
        'agencies.2.agencyId': 'yot',
        'agencies.2.involvement': 'Sibling',
        'agencies.2.contributionRequired': 'Attend',
      }),
    });
    const [draft] = await bot.deps.referrals.listByReferrer(me.aadObjectId, { status: 'draft' });
    expect(draft?.sections.agencies?.agencies?.map((a) => a.agencyId)).toEqual(['housing-authority', 'police', 'yot']);
    await bot.close();
  });

  it('understands back, skip, keep, status and cancel, and resumes a cancelled draft where it stopped', async () => {
    const me = await newReferrer();
    const bot = await boot(dbName, me, 'conv-commands');
    const atSubject = await walkUntil(bot, await bot.send('refer'), 'The person referred');

    expect(textOf(await bot.send('status'))).toMatch(
      /The person referred: Section 2 of 12 · questions 1 to 9 of 9 · about \d+ to go/,
    );
    const typed = await bot.send('Terry Imaginary');
    expect(textOf(typed)).toContain('the answers go on the card');
    expect(textOf(typed)).toContain('You wrote: "Terry Imaginary"');
    const skipRequired = await bot.send('skip');
    expect(textOf(skipRequired)).toContain('"Name", "Date of birth", "Gender"');
    expect(textOf(skipRequired)).toContain('so this step cannot be left blank');

    const back = await bot.send('back');
    expect(titleOf(cardOf(back))).toContain('Referrer and agency');
    expect(valueIn(cardOf(back), 'jobTitle')).toBe('Probation Officer');
    const kept = await bot.send('keep');
    expect(lastText(kept)).toContain('Kept the saved answers: Your job title, Manager, Manager agreed.');
    expect(titleOf(cardOf(kept))).toContain('The person referred');
    await bot.send(answerCard(atSubject));

    const cancelled = await bot.send('cancel');
    expect(textOf(cancelled)).toContain('Stopped the referral walk. Nothing was deleted');
    expect(textOf(await bot.send('Male'))).toContain('(no dialog running)');

    const resumed = await bot.send('refer');
    expect(textOf(resumed)).toContain('Welcome back');
    expect(titleOf(cardOf(resumed))).toContain('MAPPA category');
    await bot.close();
  });

  it('skip leaves an answer blank and says so; keep keeps it', async () => {
    const me = await newReferrer();
    const bot = await boot(dbName, me, 'conv-optional');
    const atDocuments = await walkUntil(bot, await bot.send('refer'), 'Documents held elsewhere');
    const [before] = await bot.deps.referrals.listByReferrer(me.aadObjectId, { status: 'draft' });
    const skipped = await bot.send('skip');
    expect(lastText(skipped)).toContain('Left blank: Documents.');
    expect(reviewCardIn(skipped)).toBeDefined();
    const [unchanged] = await bot.deps.referrals.listByReferrer(me.aadObjectId, { status: 'draft' });
    expect(unchanged?.version).toBe(before?.version);

    await bot.send('back');
    const saved = await bot.send(answerCard(atDocuments));
    expect(JSON.stringify(reviewCardIn(saved))).toContain('OASys, held by Probation Service, reference OASYS-1');
    await bot.send('back');
    expect(lastText(await bot.send('keep'))).toContain('Kept the saved answers: Documents.');
    await bot.send('back');
    const removed = await bot.send('skip');
    expect(lastText(removed)).toContain('Left blank: Documents (the saved answer was removed).');
    const [after] = await bot.deps.referrals.listByReferrer(me.aadObjectId, { status: 'draft' });
    expect(after?.sections.attachments?.documents ?? []).toEqual([]);
    expect(textOf(await bot.send('save'))).toContain('Saved: every answer so far is in your draft.');
    await bot.close();
  });

  it('asks the questions a card made apply (Level 3) on a card of their own', async () => {
    const me = await newReferrer();
    const bot = await boot(dbName, me, 'conv-level3');
    const atReason = await walkUntil(bot, await bot.send('refer'), 'Reason for referral');
    expect(JSON.stringify(cardOf(atReason))).not.toContain('levelFacts.senior');
    const late = await bot.send(answerCard(atReason, { levelRequested: '3' }));
    const card = cardOf(late);
    expect(inputsOf(card).map((i) => i.id)).toEqual([
      'levelFacts.senior',
      'levelFacts.seniorOther',
      'levelFacts.level2CannotDeliver',
    ]);
    const next = await bot.send({
      value: press(card, 'Save and continue', { 'levelFacts.senior': 'media_scrutiny_public_interest' }),
    });
    expect(titleOf(cardOf(next))).toContain('Agencies involved');
    const [draft] = await bot.deps.referrals.listByReferrer(me.aadObjectId, { status: 'draft' });
    expect(draft?.sections.reason?.levelFacts?.seniorOversightReasons).toEqual(['media_scrutiny_public_interest']);
    await bot.close();
  });

  it('asks a section that is already answered only to confirm it: Is this right? Yes or Change', async () => {
    const me = await newReferrer();
    const bot = await boot(dbName, me, 'conv-confirm');
    await walkUntil(bot, await bot.send('refer'), 'MAPPA category');
    await bot.send('back');
    const atReferrer = await bot.send('back');
    expect(titleOf(cardOf(atReferrer))).toContain('Referrer and agency');
    const confirm = cardOf(await bot.send(answerCard(atReferrer)));
    expect(JSON.stringify(confirm)).toContain('Is this right?');
    expect(JSON.stringify(confirm)).toContain('Terry Imaginary');
    expect(confirm.actions!.map((a) => a.title)).toEqual(['Yes, this is right', 'Change The person referred']);
    const change = await bot.send({ value: press(confirm, 'Change The person referred') });
    expect(valueIn(cardOf(change), 'name.family')).toBe('Imaginary');
    const yes = await bot.send('back');
    expect(titleOf(cardOf(yes))).toContain('Referrer and agency');
    const confirmAgain = await bot.send(answerCard(yes));
    const carriedOn = await bot.send({ value: press(cardOf(confirmAgain), 'Yes, this is right') });
    expect(lastText(carriedOn)).toContain('Kept The person referred as it is.');
    expect(titleOf(cardOf(carriedOn))).toContain('MAPPA category');
    await bot.close();
  });

  it('carries on after a restart: a new process on the same database takes the next card', async () => {
    const me = await newReferrer();
    const before = await boot(dbName, me, 'conv-restart');
    const atSubject = await walkUntil(before, await before.send('refer'), 'The person referred');
    await before.close();

    const after = await boot(dbName, me, 'conv-restart');
    expect(titleOf(cardOf(await after.send(answerCard(atSubject))))).toContain('MAPPA category');
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

  it('resumes on the exact step after save or cancel, typed questions included', async () => {
    const me = await newReferrer();
    const bot = await boot(dbName, me, 'conv-resume-place');
    await walkUntil(bot, await bot.send('refer'), 'The person referred');
    await bot.send('save');
    const resumed = await bot.send('refer');
    expect(textOf(resumed)).toContain('Welcome back');
    expect(titleOf(cardOf(resumed))).toContain('The person referred');

    // Further on, at the typed brief facts, and leaving with cancel this time.
    let sent = await walkUntil(bot, resumed, 'Offence and sentence');
    sent = await bot.send(answerCard(sent));
    expect(lastText(sent)).toContain('brief facts');
    await bot.send('cancel');
    expect(lastText(await bot.send('refer'))).toContain('brief facts');
    await bot.close();
  });

  it('switches drafts when refer is typed mid-walk or at the review, keeping the current draft saved', async () => {
    const me = await newReferrer();
    const bot = await boot(dbName, me, 'conv-switch');
    const a = await bot.send('refer new Amy Fictional');
    const amyAtSubject = await bot.send(answerCard(a));
    expect(valueIn(cardOf(amyAtSubject), 'name.given')).toBe('Amy');

    // Mid-walk: `refer new …` starts the other referral; the step Amy's was on is not answered with it.
    const b = await bot.send('refer new Ben Madeup');
    expect(textOf(b)).toContain('Your referral for A.F. is saved as it is');
    expect(textOf(b)).toContain("I've started a MAPPA A referral (B.M.)");
    expect(titleOf(cardOf(b))).toContain('Referrer and agency');
    const amy = async () =>
      (await bot.deps.referrals.listByReferrer(me.aadObjectId, { status: 'draft' })).find(
        (d) => d.sections.subject?.name?.family === 'Fictional',
      );
    expect((await amy())?.sections.subject?.dateOfBirth).toBeUndefined();

    // Text that starts with "refer" but names no draft is neither saved as the answer nor a new draft.
    const notACommand = await bot.send('refer to MARAC and housing');
    expect(textOf(notACommand)).toContain('You have no draft referral for "to MARAC and housing"');
    expect(textOf(notACommand)).toContain('Your referral for B.M. is still open');
    expect(await bot.deps.referrals.listByReferrer(me.aadObjectId, { status: 'draft' })).toHaveLength(2);

    // At the review card of Ben's referral, `refer A.F.` goes back to Amy's, where she left off.
    const review = await walkToReview(b, bot.send, {
      ...CAT2_LEVEL2_CARDS,
      'name.given': 'Ben',
      'name.family': 'Madeup',
    });
    expect(reviewCardIn(review.at(-1)!)).toBeDefined();
    const same = await bot.send('refer B.M.');
    expect(textOf(same)).toContain('You are already working on this referral (B.M.)');
    const back = await bot.send('refer A.F.');
    expect(textOf(back)).toContain('Your referral for B.M. is saved as it is');
    expect(textOf(back)).toContain('Welcome back to your referral for A.F.');
    expect(titleOf(cardOf(back))).toContain('The person referred');
    expect((await amy())?.sections.referrer?.jobTitle).toBe('Probation Officer');

    // And `refer B.M.` returns to Ben's review card.
    expect(reviewCardIn(await bot.send('refer B.M.'))).toBeDefined();
    await bot.close();
  });

  it('keeps two referrals by the same person apart and resumes each by its initials', async () => {
    const me = await newReferrer();
    const bot = await boot(dbName, me, 'conv-parallel');
    const a = await bot.send('refer new Amy Fictional');
    expect(textOf(a)).toContain('A.F.');
    await bot.send(answerCard(a));
    await bot.send('save');
    bot.clock.advance(60_000);

    const b = await bot.send('refer new Ben Madeup');
    expect(textOf(b)).toContain('B.M.');
    await bot.send(answerCard(b, { jobTitle: 'Senior Probation Officer', managerName: 'Kim Notreal' }));
    await bot.send('save');

    const listed = await bot.send('refer');
    expect(textOf(listed)).toMatch(/You have 2 draft referrals[\s\S]*B\.M\.[\s\S]*A\.F\./);
    const resumed = await bot.send('refer A.F.');
    expect(textOf(resumed)).toContain('Welcome back to your referral for A.F.');
    expect(valueIn(cardOf(resumed), 'name.family')).toBe('Fictional');

    const drafts = await bot.deps.referrals.listByReferrer(me.aadObjectId, { status: 'draft' });
    const byFamily = Object.fromEntries(drafts.map((d) => [d.sections.subject?.name?.family, d.sections.referrer]));
    expect(byFamily.Fictional).toMatchObject({ jobTitle: 'Probation Officer', managerName: 'Jo Madeup' });
    expect(byFamily.Madeup).toMatchObject({ jobTitle: 'Senior Probation Officer', managerName: 'Kim Notreal' });
    await bot.close();
  });
});
