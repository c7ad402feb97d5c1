/**
 * Issues 6 and 12, end to end: a category 2 MAPPA A referral answered in personal chat on the walk's
 * cards (choice sets, a multi-select, date pickers, rows of agencies) and three typed accounts,
 * submitted from the review card (which becomes a read-only "Submitted" card), and approved at Level 2
 * from the co-ordinator channel card in the Agents Playground.
 * Real bot, real playground, headless Chromium. Screenshots land in test-results/.
 */
import type { Page } from 'playwright-core';
import {
  chooseCardOption,
  clickCardButton,
  fillCardDate,
  fillCardInput,
  pickCardChoice,
  tickCardOptions,
  latestCard,
  openConversation,
  postInChannel,
  screenshot,
  sendText,
  uiMessages,
  waitForBotActivity,
  waitForBotText,
} from './support/browser';
import {
  botUiMessagesSince,
  CHANNEL_ID,
  CHANNEL_LABEL,
  enrolAsPriya,
  PERSONAL_CHAT_ID,
  expectAcceptedByPlayground,
  PRIYA,
  startMappaStack,
  type MappaStack,
  uiMessageText,
  waitForBotUiMessage,
  waitForCardUpdate,
} from './support/mappa';
import type { Playground } from '../../scripts/lib/playground';

jest.setTimeout(180_000);

// The invented person of the CAT2_LEVEL2 answers.
const SUBJECT = { name: 'Terry Imaginary', family: 'Imaginary', initials: 'T.I.' };
const REVIEW_TITLE = 'Check your MAPPA A referral';
const APPROVE_L2 = 'Approve at Level 2';

describe('MAPPA A referral approved from the co-ordinator channel, in the Agents Playground', () => {
  let stack: MappaStack | undefined;
  let playground: Playground;
  let page: Page;
  let caseRef = '';

  beforeAll(async () => {
    stack = await startMappaStack('e2e_referral');
    ({ playground, page } = stack);
    await enrolAsPriya(playground, page, {
      aadObjectId: PRIYA.aadObjectId,
      displayName: PRIYA.name,
      // The playground has one user, who both refers and decides: a co-ordinator seconded from probation.
      // (A member of the co-ordination unit itself cannot lead a new case, so could not refer a new person.)
      agencyId: 'probation',
      roles: 'coordinator,practitioner,admin',
    });
    await openConversation(page, CHANNEL_LABEL); // first visit installs the app in the channel
    await latestCard(page, /Type .*help/).waitFor({ timeout: 20_000 });
    await postInChannel(page, 'set coordinator channel');
    await waitForBotText(page, 'This channel is now the MAPPA co-ordinator channel');
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('walks the referral in personal chat on its cards and submits it from the review card', async () => {
    await openConversation(page, 'Personal Chat');
    const start = uiMessages(page).length;
    await sendText(page, 'refer');
    await next(start, 'Referrer and agency');
    await expect(latestCard(page, 'Referrer and agency').innerText()).resolves.toMatch(
      /Section 1 of 12 · questions 1 to 3 of 3 · about \d+ to go/,
    );
    await screenshot(page, 'referral-01-first-card');

    await fillCardInput(page, 'Your job title', 'Probation Officer');
    await fillCardInput(page, 'Your manager, who signs this referral off', 'Jo Madeup');
    await pickCardChoice(page, 'Has your manager agreed this referral?', 'Yes');
    await save('The person referred');

    await fillCardInput(page, 'First name(s)', 'Terry');
    await fillCardInput(page, 'Family name', 'Imaginary');
    await fillCardInput(page, 'Aliases or nicknames (say if gang-related)', 'TJ');
    await fillCardDate(page, 'Date of birth', '1990-04-01');
    await fillCardInput(page, 'Gender', 'Male');
    await fillCardInput(page, 'Ethnicity, in words (not a code)', 'White British');
    await fillCardInput(page, 'Current address', '1 Nowhere Street, Testtown');
    await fillCardInput(page, 'PNC number', '2001/0123456X');
    await fillCardInput(page, 'nDelius CRN', 'X123456');
    await pickCardChoice(page, 'Where is the person now?', 'Custody');
    await save('MAPPA category');

    // The hard questions are inputs: the category and the facts as choice sets, the sentence as a drop-down.
    await pickCardChoice(
      page,
      'Which MAPPA category do you think applies?',
      'Category 2: violent and other sexual offenders',
    );
    await tickCardOptions(page, ['Convicted of an offence', 'Murder or a CJA 2003 Schedule 15 offence']);
    await chooseCardOption(
      page,
      'If murder, a Schedule 15 offence or a sexual offence that does not need registration: which sentence or disposal did they receive?',
      'Custody of 12 months or more',
    );
    await screenshot(page, 'referral-02-category-card');
    const verdict = await save('Offence and sentence');
    expect(verdict).toContain('These answers support Category 2');

    await fillCardInput(page, 'Index offence(s), one per line', 'Wounding with intent (s.18)');
    await fillCardInput(page, 'Sentence type', 'Determinate custody');
    await fillCardInput(page, 'Sentence length', '4 years');
    await fillCardDate(page, 'Sentence date', '2024-03-04');
    await fillCardInput(page, 'Previous offences relevant to the risk (leave blank if none)', 'None');
    await fillCardDate(page, 'If in custody: release date', '2026-06-01');
    await fillCardDate(page, 'Licence end date', '2028-03-01');
    await screenshot(page, 'referral-03-offence-dates');
    await save('brief facts');
    // An account in the referrer's own words is typed in the chat.
    await type('Assault on former partner', 'Current risk of serious harm');

    await chooseCardOption(page, 'Risk of serious harm to the public', 'Medium');
    await chooseCardOption(page, 'Risk of serious harm to a known adult', 'High');
    await chooseCardOption(page, 'Risk of serious harm to children', 'Low');
    await chooseCardOption(page, 'Risk of serious harm to staff', 'Low');
    await pickCardChoice(page, 'Was the RoSH assessed for the community or custody?', 'Custody');
    await fillCardDate(page, 'Assessed on', '2026-01-10');
    await save('raise or reduce');
    await type('Jealousy in relationships', 'manage the risk alone');
    await type('Release due and housing and victim safety need several agencies.', 'Which level are you asking for?');

    await pickCardChoice(page, 'Which level are you asking for?', 'Level 2');
    await pickCardChoice(page, 'Would formal multi-agency meetings add value to managing the risk?', 'Yes');
    await save('Agencies involved');

    await chooseCardOption(page, 'Agency 1: which agency', 'Local housing authority');
    await fillCardInput(page, 'What agency 1 does now', 'Housing options');
    await fillCardInput(page, 'What agency 1 must contribute', 'An address away from the victim');
    await screenshot(page, 'referral-04-agency-rows');
    await save('Victims and victim safety');

    await fillCardInput(page, 'Victim 1: who they are (describe rather than name)', 'Former partner');
    await fillCardInput(page, 'Victim 1: relationship to the person', 'ex-partner');
    await pickCardChoice(page, 'Is a Victim Liaison Officer involved?', 'Yes');
    await pickCardChoice(page, 'Is MARAC involved?', 'No');
    await fillCardInput(page, 'Concerns for victim safety', 'Victim lives in the same town.');
    await save('Children and vulnerable adults');

    await fillCardInput(
      page,
      'Children in contact with the person or at risk (write "None known" if so)',
      'None known',
    );
    await fillCardInput(
      page,
      'Vulnerable adults in contact with the person or at risk (write "None known" if so)',
      'None known',
    );
    await save('Diversity and barriers');
    await fillCardInput(
      page,
      'Needs that affect how the person is managed: language, disability, faith, age, gender identity (write "None identified" if so)',
      'None identified',
    );
    await save('Disclosure considerations');
    await fillCardInput(
      page,
      'Might anyone outside MAPPA (victim, employer, partner) need to be told? Why would it be necessary and proportionate?',
      'New partner disclosure to be considered on release.',
    );
    await pickCardChoice(page, 'Should the meeting discuss disclosure?', 'Yes');
    await save('Documents held elsewhere');

    await fillCardInput(page, 'Document 1: title', 'OASys');
    await chooseCardOption(page, 'Document 1: held by', 'Probation Service');
    await fillCardInput(page, 'Document 1: reference', 'OASYS-1');
    await save(REVIEW_TITLE);

    // From `refer` to the review card: 48 bot messages when every question was typed on its own.
    const walked = botUiMessagesSince(page, start).length;
    process.stdout.write(`MAPPA A walk, refer to review card: ${walked} bot messages\n`);
    expect(walked).toBeLessThanOrEqual(16);

    const review = latestCard(page, REVIEW_TITLE);
    await review.locator('button[title="Submit"]').waitFor({ timeout: 15_000 });
    const shown = await review.innerText();
    expect(shown).toContain('Everything required is filled in');
    expect(shown).toContain('Section 1 · Referrer and agency: Complete');
    expect(shown).toContain('Does now: Housing options. Must contribute: An address away from the victim.');
    expect(shown).toContain('1 Apr 1990');
    await expect(review.locator('button[title="Edit Agencies involved"]').count()).resolves.toBe(1);
    await review.scrollIntoViewIfNeeded();
    await screenshot(page, 'referral-05-review');

    await clickCardButton(page, 'Submit', { cardText: REVIEW_TITLE });
    const done = await waitForBotText(page, /Submitted to the MAPPA co-ordinator\./);
    // Started without a case: the reply names none (it could be a case the referrer cannot see).
    expect(await done.innerText()).not.toMatch(/MAPPA-\d{4}-\d{4}/);
    // The review card is replaced in place by a read-only one: no button of it can act again.
    const submitted = latestCard(page, 'MAPPA A referral submitted: T.I.');
    await submitted.waitFor({ timeout: 15_000 });
    await expect(submitted.locator('button').count()).resolves.toBe(0);
    await expect(page.locator('.ac-adaptiveCard', { hasText: REVIEW_TITLE }).count()).resolves.toBe(0);
    const post = await waitForBotActivity(page, (a) => {
      const json = JSON.stringify(a);
      return json.includes(CHANNEL_ID) && json.includes('MAPPA A referral for a decision');
    });
    caseRef = /MAPPA-\d{4}-\d{4}/.exec(JSON.stringify(post))![0];
    await submitted.scrollIntoViewIfNeeded();
    await screenshot(page, 'referral-06-submitted');
  });

  it('posts a decision card to the channel with the case reference and initials, not the name', async () => {
    const post = await waitForBotActivity(page, (a) => {
      const json = JSON.stringify(a);
      return json.includes(CHANNEL_ID) && json.includes(caseRef) && json.includes('MAPPA A referral for a decision');
    });
    const posted = JSON.stringify(post);
    expect(posted).toContain(SUBJECT.initials);
    expect(posted).not.toContain(SUBJECT.family);

    await openConversation(page, CHANNEL_LABEL);
    const card = latestCard(page, caseRef);
    await card.waitFor({ timeout: 15_000 });
    const shown = await card.innerText();
    expect(shown).toContain('MAPPA A referral for a decision');
    expect(shown).toContain(SUBJECT.initials);
    expect(shown).not.toContain(SUBJECT.family);
    await expect(card.locator(`button[title="${APPROVE_L2}"]`).count()).resolves.toBe(1);
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'referral-04-channel-card');
  });

  it('approves at Level 2 from the card, which then shows the approval by the co-ordinator', async () => {
    const card = latestCard(page, caseRef);
    // "Approve at Level 2" opens a sub-card (Action.ShowCard) with its own "Approve at Level 2" button.
    await card.locator(`button[title="${APPROVE_L2}"]`).first().click();
    const note = card.getByLabel(/^Note for the record \(optional when the Level 2 test is met\)/);
    await note.waitFor({ timeout: 10_000 });
    await note.fill('Level 2 test met: high risk of serious harm to a known adult.');
    await screenshot(page, 'referral-05-approve-opened');
    const buttons = card.locator(`button[title="${APPROVE_L2}"]`);
    await expect(buttons.count()).resolves.toBe(2);
    await buttons.last().click();

    const decided = latestCard(page, 'MAPPA A referral decided');
    await decided.filter({ hasText: caseRef }).waitFor({ timeout: 15_000 });
    const shown = await decided.innerText();
    expect(shown).toContain(caseRef);
    expect(shown).toContain(`Approved at Level 2 by ${PRIYA.name}`);
    await expect(decided.locator(`button[title="${APPROVE_L2}"]`).count()).resolves.toBe(0);
    await decided.scrollIntoViewIfNeeded();
    await screenshot(page, 'referral-06-approved');

    // Priya made the referral too, so she hears the outcome in her personal chat. She started it without
    // a case, so it names none (the case was found from what she typed, and could be one she cannot see).
    const told = await waitForBotActivity(
      page,
      (a) =>
        (a.conversation as { id?: string } | undefined)?.id === PERSONAL_CHAT_ID &&
        JSON.stringify(a).includes('The co-ordinator accepted your referral for Level 2'),
    );
    expect(JSON.stringify(told)).toContain('Referral accepted');
    expect(JSON.stringify(told)).not.toContain(caseRef);
  });

  it('updates the channel card for everyone, still without the name', async () => {
    const update = await waitForCardUpdate(page, [caseRef, 'MAPPA A referral decided']);
    expect(JSON.stringify(update.request?.body)).not.toContain(SUBJECT.family);
    expectAcceptedByPlayground(update);
  });

  /** Waits for the bot's next step (a new message containing `shows`); fails at once on a refusal. */
  async function next(since: number, shows: string): Promise<string> {
    const hit = await waitForBotUiMessage(page, since, (text) => {
      if (/You wrote:|Not saved yet/.test(text)) throw new Error(`the bot refused an answer:\n${text}`);
      return text.includes(shows);
    });
    return uiMessageText(hit);
  }

  /** Presses Save and continue on the latest card, then waits for the step that shows `shows`. */
  async function save(shows: string): Promise<string> {
    const since = uiMessages(page).length;
    await clickCardButton(page, 'Save and continue');
    return next(since, shows);
  }

  /** Types an answer in the chat, then waits for the step that shows `shows`. */
  async function type(answer: string, shows: string): Promise<string> {
    const since = uiMessages(page).length;
    await sendText(page, answer);
    return next(since, shows);
  }
});
