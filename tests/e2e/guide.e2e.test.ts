/**
 * Issue 16, end to end: `guide levels` answers in the Agents Playground, and the topic list's buttons
 * answer too. Real bot, real playground, headless Chromium. Screenshots land in test-results/.
 */
import type { Page } from 'playwright-core';
import { clickCardButton, latestCard, screenshot, sendText, waitForBotText } from './support/browser';
import { enrolAsPriya, PRIYA, startMappaStack, type MappaStack } from './support/mappa';
import type { Playground } from '../../scripts/lib/playground';

jest.setTimeout(60_000);

describe('guide in the Agents Playground', () => {
  let stack: MappaStack | undefined;
  let playground: Playground;
  let page: Page;

  beforeAll(async () => {
    stack = await startMappaStack('e2e_guide');
    ({ playground, page } = stack);
    await enrolAsPriya(playground, page, {
      aadObjectId: PRIYA.aadObjectId,
      displayName: PRIYA.name,
      agencyId: 'probation',
      roles: 'practitioner',
    });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers "guide levels" with the three levels and their criteria', async () => {
    await sendText(page, 'guide levels');
    const card = latestCard(page, 'The three levels and their criteria');
    await card.waitFor({ timeout: 15_000 });
    const text = (await card.textContent()) ?? '';
    expect(text).toContain('Level 2');
    expect(text).toContain('Level 3');
    expect(text).toContain('Source: MAPPA Guidance (England and Wales)');
    expect(text).toContain('OFFICIAL-SENSITIVE');
    await screenshot(page, 'guide-levels');
  });

  it('lists the topics for "guide", and a topic button answers it', async () => {
    await sendText(page, 'guide');
    await waitForBotText(page, 'Pick a topic');
    await clickCardButton(page, 'Disclosure', { cardText: 'Pick a topic' });
    await latestCard(page, 'confidentiality undertaking').waitFor({ timeout: 15_000 });
    await screenshot(page, 'guide-disclosure');
  });
});
