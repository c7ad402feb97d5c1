/**
 * Issue 6, end to end: a category 2 MAPPA A referral answered in personal chat, submitted from the
 * review card, and approved at Level 2 from the co-ordinator channel card in the Agents Playground.
 * Real bot, real playground, headless Chromium. Screenshots land in test-results/.
 */
import type { Page } from 'playwright-core';
import { CAT2_LEVEL2 } from '../fixtures/referral-answers';
import {
  clickCardButton,
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
  CHANNEL_ID,
  CHANNEL_LABEL,
  enrolAsPriya,
  PERSONAL_CHAT_ID,
  expectAcceptedByPlayground,
  PRIYA,
  startMappaStack,
  type MappaStack,
  waitForBotUiMessage,
  waitForCardUpdate,
} from './support/mappa';
import type { Playground } from '../../scripts/lib/playground';

jest.setTimeout(90_000);

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

  it('walks the referral in personal chat and submits it from the review card', async () => {
    await openConversation(page, 'Personal Chat');
    let since = uiMessages(page).length;
    await sendText(page, 'refer');
    await waitForBotText(page, 'Section 1 of 12');
    await waitForQuestion(since, CAT2_LEVEL2[0]![3]);
    await screenshot(page, 'referral-01-first-question');

    // Each answer goes in only once the bot has asked the question it answers.
    for (const [i, [, id, typed]] of CAT2_LEVEL2.entries()) {
      since = uiMessages(page).length;
      await sendText(page, typed);
      const next = CAT2_LEVEL2[i + 1];
      if (next) await waitForQuestion(since, next[3], `after answering ${id} with "${typed}"`);
    }
    await waitForBotUiMessage(page, since, (t) => t.includes(REVIEW_TITLE), 15_000);
    const review = latestCard(page, REVIEW_TITLE);
    await review.locator('button[title="Submit"]').waitFor({ timeout: 15_000 });
    await expect(review.innerText()).resolves.toContain('Everything required is filled in');
    await screenshot(page, 'referral-02-review');

    await clickCardButton(page, 'Submit', { cardText: REVIEW_TITLE });
    const done = await waitForBotText(page, /Submitted to the MAPPA co-ordinator\./);
    // Started without a case: the reply names none (it could be a case the referrer cannot see).
    expect(await done.innerText()).not.toMatch(/MAPPA-\d{4}-\d{4}/);
    const post = await waitForBotActivity(page, (a) => {
      const json = JSON.stringify(a);
      return json.includes(CHANNEL_ID) && json.includes('MAPPA A referral for a decision');
    });
    caseRef = /MAPPA-\d{4}-\d{4}/.exec(JSON.stringify(post))![0];
    await screenshot(page, 'referral-03-submitted');
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

    // Priya made the referral too, so she hears the outcome in her personal chat. She started it without a
    // case, so the message names none (it could be a case a referrer cannot see).
    const outcome = await waitForBotActivity(
      page,
      (a) =>
        (a.conversation as { id?: string } | undefined)?.id === PERSONAL_CHAT_ID &&
        JSON.stringify(a).includes('Referral accepted'),
    );
    expect(JSON.stringify(outcome)).not.toContain(caseRef);
  });

  it('updates the channel card for everyone, still without the name', async () => {
    const update = await waitForCardUpdate(page, [caseRef, 'MAPPA A referral decided']);
    expect(JSON.stringify(update.request?.body)).not.toContain(SUBJECT.family);
    expectAcceptedByPlayground(update);
  });

  /** Waits for the bot's next question (a new message containing `asks`); fails on a re-ask. */
  async function waitForQuestion(since: number, asks: string, context = ''): Promise<void> {
    await waitForBotUiMessage(page, since, (text) => {
      if (text.includes('You wrote:')) throw new Error(`the bot did not accept an answer ${context}:\n${text}`);
      return text.includes(asks);
    });
  }
});
