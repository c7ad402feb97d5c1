/**
 * Issue 5, end to end: a MAPPA notification made in the Agents Playground UI reaches the co-ordinator
 * channel with minimal identifying detail, and the co-ordinator's Level 1 decision replaces the card.
 * Real bot, real playground, headless Chromium. Screenshots land in test-results/.
 */
import type { Locator, Page } from 'playwright-core';
import {
  chooseCardOption,
  clickCardButton,
  connectorLog,
  fillCardDate,
  fillCardInput,
  latestCard,
  openConversation,
  postInChannel,
  screenshot,
  sendText,
  waitForBotActivity,
  waitForBotText,
} from './support/browser';
import {
  CHANNEL_ID,
  CHANNEL_LABEL,
  enrolAsPriya,
  expectAcceptedByPlayground,
  PRIYA,
  startMappaStack,
  type MappaStack,
  waitForCardUpdate,
} from './support/mappa';
import type { Playground } from '../../scripts/lib/playground';

jest.setTimeout(90_000);

// An invented person.
const SUBJECT = { given: 'Terry', family: 'Imaginary', initials: 'T.I.', pnc: '2019/0012345X', dob: '1990-04-01' };

describe('MAPPA notification to the co-ordinator channel, in the Agents Playground', () => {
  let stack: MappaStack | undefined;
  let playground: Playground;
  let page: Page;
  let caseRef = '';

  beforeAll(async () => {
    stack = await startMappaStack('e2e_notify');
    ({ playground, page } = stack);
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('enrols Priya and makes the team channel the co-ordinator channel', async () => {
    await enrolAsPriya(playground, page, {
      aadObjectId: PRIYA.aadObjectId,
      displayName: PRIYA.name,
      agencyId: 'mappa-unit',
      roles: 'coordinator,practitioner,admin',
    });
    await openConversation(page, CHANNEL_LABEL); // first visit installs the app in the channel
    await latestCard(page, /Type .*help/).waitFor({ timeout: 20_000 });
    await postInChannel(page, 'set coordinator channel');
    await waitForBotText(page, 'This channel is now the MAPPA co-ordinator channel');
    await screenshot(page, 'notification-01-coordinator-channel');
  });

  it('sends a notification filled in on the form card', async () => {
    await openConversation(page, 'Personal Chat');
    await sendText(page, 'notify');
    const form = latestCard(page, 'New MAPPA notification');
    await form.waitFor({ timeout: 15_000 });
    await fillCardInput(page, 'Given name', SUBJECT.given);
    await fillCardInput(page, 'Family name', SUBJECT.family);
    await fillCardDate(page, 'Date of birth', SUBJECT.dob);
    await fillCardInput(page, 'PNC', SUBJECT.pnc);
    await chooseCardOption(page, 'MAPPA category', /^Category 2/);
    await fillCardInput(
      page,
      'Why the person is eligible (one reason per line)',
      'Convicted of a specified violent offence\nCustody of 12 months or more',
    );
    await chooseCardOption(page, 'Lead agency', /Probation/);
    await form.getByLabel('In custody', { exact: true }).check();
    await screenshot(page, 'notification-02-form-filled');

    await clickCardButton(page, 'Send to the co-ordinator', { cardText: 'New MAPPA notification' });
    const sent = latestCard(page, /Notification sent to the MAPPA co-ordinator/);
    await sent.waitFor({ timeout: 15_000 });
    // The notifier is not told a case reference (it could be a case they cannot see); the channel card has it.
    expect(await sent.textContent()).not.toMatch(/MAPPA-\d{4}-\d{4}/);
    const post = await waitForBotActivity(
      page,
      (a) => JSON.stringify(a).includes('MAPPA notification MAPPA-') && JSON.stringify(a).includes(CHANNEL_ID),
    );
    caseRef = /MAPPA-\d{4}-\d{4}/.exec(JSON.stringify(post))![0];
    await screenshot(page, 'notification-03-sent');

    // What the UI sent the bot for that click: the form's inputs as typed and picked.
    const submitted = connectorLog(page).find(
      (e) => e.activityName === 'invoke' && JSON.stringify(e.request?.body ?? {}).includes('notification.submit'),
    );
    expect((submitted?.request?.body?.value as { action?: { data?: unknown } })?.action?.data).toMatchObject({
      givenName: SUBJECT.given,
      familyName: SUBJECT.family,
      dateOfBirth: SUBJECT.dob,
      pnc: SUBJECT.pnc,
      category: 'cat2',
      leadAgencyId: 'probation',
      custodyStatus: 'custody',
    });

    // The next step is offered: the button sends "refer new …" as Priya's own message, and the walk starts.
    await clickCardButton(page, 'Start the MAPPA A referral', {
      cardText: 'Notification sent to the MAPPA co-ordinator',
    });
    await waitForBotText(page, /started a MAPPA A referral \(T\.I\.\)/);
    await screenshot(page, 'notification-03b-referral-started');
    await sendText(page, 'save');
    await waitForBotText(page, /Saved/);
  });

  it('posts a card to the channel with the case reference and initials, not the name', async () => {
    // What the bot posted for everyone in the channel.
    const post = await waitForBotActivity(
      page,
      (a) => JSON.stringify(a).includes(`MAPPA notification ${caseRef}`) && JSON.stringify(a).includes(CHANNEL_ID),
    );
    const posted = JSON.stringify(post);
    expect(posted).toContain(SUBJECT.initials);
    for (const secret of [SUBJECT.given, SUBJECT.family, SUBJECT.pnc, '1990']) expect(posted).not.toContain(secret);

    await openConversation(page, CHANNEL_LABEL);
    const card = channelCard(page);
    await card.waitFor({ timeout: 15_000 });
    const shown = await card.innerText();
    expect(shown).toContain(caseRef);
    expect(shown).toContain(SUBJECT.initials);
    expect(shown).toContain('Manage at Level 1 (notification only)');
    // Unless the playground has refreshed Priya's own view (co-ordinator details, marked as hers only),
    // the channel card never names the person.
    expect(withoutOwnDetails(shown)).not.toContain(SUBJECT.family);
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'notification-04-channel-card');
  });

  it("records the co-ordinator's Level 1 decision on the card in place", async () => {
    await clickCardButton(page, 'Manage at Level 1 (notification only)', { cardText: caseRef });
    const card = channelCard(page);
    const decidedLine = `Managed at Level 1: decided by ${PRIYA.name}`;
    await card.filter({ hasText: decidedLine }).waitFor({ timeout: 15_000 });
    const shown = await card.innerText();
    expect(shown).toContain(decidedLine);
    for (const title of ['Manage at Level 1 (notification only)', 'Await referral', 'Ask lead agency to refer']) {
      await expect(card.locator(`button[title="${title}"]`).count()).resolves.toBe(0);
    }
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, 'notification-05-level1-decided');
  });

  it('updates the channel card for everyone, still without the name', async () => {
    // The bot replaces the posted card (PUT .../activities/<id>) so everyone sees the decision.
    const update = await waitForCardUpdate(page, [`MAPPA notification ${caseRef}`, PRIYA.name]);
    expect(JSON.stringify(update.request?.body)).not.toContain(SUBJECT.family);
    expectAcceptedByPlayground(update);
    await expect(channelCard(page).innerText()).resolves.not.toContain('could not be updated for everyone');
  });

  function channelCard(p: Page): Locator {
    return latestCard(p, `MAPPA notification ${caseRef}`);
  }
});

/** The card text minus the co-ordinator-only details block, if the playground refreshed her view. */
function withoutOwnDetails(text: string): string {
  const at = text.indexOf('Details (visible to you only)');
  return at < 0 ? text : text.slice(0, at);
}
