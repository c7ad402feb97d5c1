/**
 * The real bot behind the Microsoft 365 Agents Playground, driven through its web UI in headless Chromium.
 * Screenshots land in test-results/.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { freshDbName, testMongoUri } from '../support/mongo';
import { startBotProcess, type BotProcess } from './support/bot-process';
import {
  clickCardButton,
  latestCard,
  launchBrowser,
  openConversation,
  openPlayground,
  postInChannel,
  screenshot,
  sendText,
  waitForBotText,
} from './support/browser';
import { startPlayground, type Playground } from '../../scripts/lib/playground';

jest.setTimeout(60_000);

const mockData = readFileSync(path.resolve(__dirname, '..', '..', '.m365agentsplayground.yml'), 'utf8');
const TENANT_ID = /^tenantId:\s*(\S+)/m.exec(mockData)?.[1] ?? '';
const CHANNEL = 'MAPPA North Area - MAPPA Notifications';

describe('welcome and help in the Agents Playground', () => {
  let bot: BotProcess;
  let playground: Playground;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    bot = await startBotProcess({
      env: { MONGODB_URI: testMongoUri(), MONGODB_DB: freshDbName('e2e_welcome'), ALLOWED_TENANT_IDS: TENANT_ID },
    });
    playground = await startPlayground({ botEndpoint: bot.endpoint });
    browser = await launchBrowser();
    // Loading the UI installs the app in the personal chat: the bot gets installationUpdate + conversationUpdate.
    page = await openPlayground(browser, playground.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await playground?.stop();
    await bot?.stop();
  });

  it('shows the welcome card when the app is installed in the personal chat', async () => {
    const card = latestCard(page, /Type .*help/);
    await card.waitFor({ timeout: 20_000 });
    await expect(card.textContent()).resolves.toContain('MAPPA Assistant');
    await screenshot(page, 'welcome-personal');
  });

  it('answers "help"', async () => {
    await sendText(page, 'help');
    await waitForBotText(page, 'Here is what I can do');
    await screenshot(page, 'help-personal');
  });

  it('answers the welcome card\'s "Show help" button', async () => {
    const helpCards = page.locator('.ac-adaptiveCard').filter({ hasText: 'Here is what I can do' });
    const before = await helpCards.count();
    await clickCardButton(page, 'Show help', { cardText: /Type .*help/ });
    await helpCards.nth(before).waitFor({ timeout: 15_000 });
  });

  it('welcomes a team channel on install and answers an @mention there', async () => {
    await openConversation(page, CHANNEL); // first visit installs the app in the channel
    await latestCard(page, /Type .*help/).waitFor({ timeout: 20_000 });
    await postInChannel(page, 'help'); // @mentions the bot: channels only deliver mentions
    await waitForBotText(page, 'Here is what I can do');
    await screenshot(page, 'help-channel');
  });
});
