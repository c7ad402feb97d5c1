/**
 * Issue 16, end to end: a co-ordinator types `report` in the Agents Playground and gets the statistics
 * card with its chart, drawn by the bot as a PNG and shown inside the card. Screenshots land in
 * test-results/.
 */
import type { Page } from 'playwright-core';
import { latestCard, screenshot, sendText } from './support/browser';
import { enrolAsPriya, PRIYA, startMappaStack, type MappaStack } from './support/mappa';
import type { Playground } from '../../scripts/lib/playground';

jest.setTimeout(90_000);

describe('report in the Agents Playground', () => {
  let stack: MappaStack | undefined;
  let playground: Playground;
  let page: Page;

  beforeAll(async () => {
    stack = await startMappaStack('e2e_report');
    ({ playground, page } = stack);
    await enrolAsPriya(playground, page, {
      aadObjectId: PRIYA.aadObjectId,
      displayName: PRIYA.name,
      agencyId: 'mappa-unit',
      roles: 'coordinator,admin',
    });
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('shows the statistics card with its chart image', async () => {
    await sendText(page, 'report');
    const card = latestCard(page, 'MAPPA statistics');
    await card.waitFor({ timeout: 30_000 });
    await expect(card.textContent()).resolves.toContain('People managed now, by category and level');
    const chart = card.locator('img[src^="data:image/png;base64,"]');
    await chart.waitFor({ timeout: 15_000 });
    // The browser decoded the PNG: a broken or empty image has no natural width.
    await expect(
      chart.evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).naturalWidth),
    ).resolves.toBe(720);
    await expect(chart.getAttribute('alt')).resolves.toContain('people managed now by category and level');
    await screenshot(page, 'report-card');
  });
});
