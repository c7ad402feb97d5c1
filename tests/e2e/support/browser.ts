/**
 * Drives the Agents Playground UI with headless Chromium (Debian's /usr/bin/chromium via playwright-core).
 *
 * DOM facts (playground 0.2.28, Fluent UI; generated class names are not stable, so only these are used):
 * - compose box: `[role="textbox"][data-lexical-editor="true"]` (Lexical contenteditable: type, don't fill);
 *   send: `button[aria-label="Send Message"]`; in a channel the first box is "Start a new post" + button "Post".
 * - bot message in a chat: `.fai-OutputCard`; user messages have no such class.
 *   In a channel every post is `[role="group"].fui-Card` whose header avatar has aria-label = author name;
 *   replies sit inside the post's card, each row led by the author's avatar.
 * - Adaptive Cards: `.ac-adaptiveCard`; actions are `button[title=<action title>]` (aria-label = title);
 *   inputs are labelled by their `label` (falling back to `placeholder`).
 * - conversation list: `[role="treeitem"]` with aria-label "Personal Chat", "<group chat name>",
 *   "<team name> - <channel name>".
 * - @mention picker: `#typeahead-menu [role="menuitem"]`.
 * The page's websockets are recorded: /_ws_conversation/v1/conversations/stream (what the current user
 * sees) and /_ws/log/stream (every call the bot makes to the connector, incl. to other users' chats).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

export const BOT_NAME = 'MAPPA Assistant';
const resultsDir = path.resolve(__dirname, '..', '..', '..', 'test-results');
const COMPOSER = '[role="textbox"][data-lexical-editor="true"]';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// Websocket recording
// ---------------------------------------------------------------------------------------------

/** A frame of /_ws_conversation/v1/conversations/stream. */
export interface UiMessageEvent {
  action: 'createMessage' | 'updateMessage' | 'typing';
  actionConversationId: string;
  message?: {
    messageId: string;
    from: { id: string };
    text?: string;
    attachments: { contentType: string; content: unknown }[];
    postConversationId?: string;
  };
}

/** An entry of /_ws/log/stream describing one HTTP exchange between the playground and the bot. */
export interface ConnectorLogEntry {
  activityName?: string;
  messageId?: string;
  conversationId?: string;
  from?: string;
  to?: string;
  request?: { body?: Record<string, unknown> };
  response?: { statusCode?: number; body?: unknown };
  displayText?: string;
}

interface Recorder {
  ui: UiMessageEvent[];
  log: ConnectorLogEntry[];
}
const recorders = new WeakMap<Page, Recorder>();

function record(page: Page): Recorder {
  const rec: Recorder = { ui: [], log: [] };
  recorders.set(page, rec);
  page.on('websocket', (ws) => {
    ws.on('framereceived', ({ payload }) => {
      let data: unknown;
      try {
        data = JSON.parse(String(payload));
      } catch {
        return;
      }
      if (!data || typeof data !== 'object') return;
      if ('action' in data) rec.ui.push(data as UiMessageEvent);
      else if ('log' in data) rec.log.push((data as { log: ConnectorLogEntry }).log);
    });
  });
  return rec;
}

function recorder(page: Page): Recorder {
  const rec = recorders.get(page);
  if (!rec) throw new Error('page was not opened with openPlayground()');
  return rec;
}

/** Messages the UI was told about (createMessage/updateMessage), in order. */
export function uiMessages(page: Page): UiMessageEvent[] {
  return [...recorder(page).ui];
}

/** Every connector exchange the playground logged (both directions), with status codes, in order. */
export function connectorLog(page: Page): ConnectorLogEntry[] {
  return [...recorder(page).log];
}

/**
 * Activities the bot sent to the connector (POST/PUT .../activities and createConversation), in order,
 * including those to chats the UI user cannot see (e.g. a proactive 1:1 to another mock user).
 */
export function botActivities(page: Page): Record<string, unknown>[] {
  return recorder(page)
    .log.filter((e) => e.from === 'User Application' && e.request?.body)
    .flatMap((e): Record<string, unknown>[] => {
      const body = e.request!.body!;
      if ('type' in body) return [body];
      // createConversation (e.g. a new channel post): the activity is wrapped, with where it went.
      const activity = body.activity as Record<string, unknown> | undefined;
      if (e.activityName !== 'createConversation' || !activity) return [];
      const created = (e.response?.body ?? {}) as { id?: string };
      return [{ ...activity, channelData: body.channelData, conversation: { id: created.id ?? e.messageId } }];
    });
}

export async function waitForBotActivity(
  page: Page,
  predicate: (activity: Record<string, unknown>) => boolean,
  timeoutMs = 15_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = botActivities(page).find(predicate);
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`no matching bot activity within ${timeoutMs} ms`);
    await page.waitForTimeout(100);
  }
}

// ---------------------------------------------------------------------------------------------
// Page helpers
// ---------------------------------------------------------------------------------------------

/**
 * Opens the playground UI. On every page load the UI itself installs the app in the personal chat
 * (the bot gets installationUpdate + conversationUpdate), so a welcome message follows.
 * Requests to anything but the playground (fonts on a CDN) are blocked.
 */
export async function openPlayground(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-GB' });
  const allowed = new URL(url).host;
  await context.route('**/*', (route) => {
    const target = new URL(route.request().url());
    return target.host === allowed ? route.continue() : route.abort();
  });
  const page = await context.newPage();
  record(page);
  await page.goto(url);
  await waitForPlaygroundReady(page);
  return page;
}

/** Ready = the conversation list and the compose box are shown (config loaded, bot endpoint reached or timed out). */
export async function waitForPlaygroundReady(page: Page, timeoutMs = 30_000): Promise<void> {
  await page.locator('[role="treeitem"][aria-label="Personal Chat"]').waitFor({ timeout: timeoutMs });
  await page.locator(COMPOSER).first().waitFor({ state: 'visible', timeout: timeoutMs });
}

/** Selects a conversation: "Personal Chat", the group chat name, or "<team> - <channel>". */
export async function openConversation(page: Page, label: string): Promise<void> {
  await page.locator(`[role="treeitem"][aria-label="${label}"]`).click();
  await page.locator(COMPOSER).first().waitFor({ state: 'visible' });
}

async function typeInto(page: Page, box: Locator, text: string, mentionBot: boolean): Promise<void> {
  await box.click();
  if (mentionBot) {
    await page.keyboard.type(`@${BOT_NAME.slice(0, 5)}`);
    await page.locator('#typeahead-menu [role="menuitem"]').filter({ hasText: BOT_NAME }).first().click();
    await page.keyboard.type(' ');
  }
  await page.keyboard.type(text);
}

/** Sends a message from the current user in the open chat (personal or group). */
export async function sendText(page: Page, text: string, opts: { mentionBot?: boolean } = {}): Promise<void> {
  await typeInto(page, page.locator(COMPOSER).last(), text, opts.mentionBot ?? false);
  await page.locator('button[aria-label="Send Message"]').last().click();
}

/**
 * Starts a new post in the open channel. In group chats and channels the bot only receives messages
 * that @mention it, so mentionBot defaults to true.
 */
export async function postInChannel(page: Page, text: string, opts: { mentionBot?: boolean } = {}): Promise<void> {
  await typeInto(page, page.locator(COMPOSER).first(), text, opts.mentionBot ?? true);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
}

/**
 * Bot messages: chat bubbles (`.fai-OutputCard`), channel posts authored by the bot (a card whose header
 * avatar is the bot) and bot replies inside a channel thread (the row whose avatar is the bot).
 */
export function botMessages(page: Page): Locator {
  const avatar = `[role="img"][aria-label="${BOT_NAME}"]`;
  return page.locator(
    [
      '.fai-OutputCard',
      `[role="group"].fui-Card:has(> .fui-CardHeader ${avatar})`,
      `[role="group"].fui-Card div:not(.fui-CardHeader__header):has(> div > ${avatar})`,
    ].join(', '),
  );
}

/** Waits until a bot message (text or card) containing `text` is shown; returns it. */
export async function waitForBotText(page: Page, text: string | RegExp, timeoutMs = 15_000): Promise<Locator> {
  const message = botMessages(page).filter({ hasText: text }).last();
  await message.waitFor({ state: 'visible', timeout: timeoutMs });
  return message;
}

/** The most recent Adaptive Card shown, optionally the most recent one containing `text`. */
export function latestCard(page: Page, text?: string | RegExp): Locator {
  const cards = page.locator('.ac-adaptiveCard');
  return (text === undefined ? cards : cards.filter({ hasText: text })).last();
}

/** Clicks an action button (Action.Submit / Action.Execute / ...) on the latest card that has one with this title. */
export async function clickCardButton(
  page: Page,
  title: string,
  opts: { cardText?: string | RegExp; timeoutMs?: number } = {},
): Promise<void> {
  const cards = page.locator('.ac-adaptiveCard').filter({ has: page.locator(`button[title="${title}"]`) });
  const card = (opts.cardText === undefined ? cards : cards.filter({ hasText: opts.cardText })).last();
  await card
    .locator(`button[title="${title}"]`)
    .first()
    .click(opts.timeoutMs === undefined ? {} : { timeout: opts.timeoutMs });
}

/**
 * A card input by its label (or placeholder) on the latest card that has it. The playground renders a
 * required input's label as "<label> *", so that suffix is allowed.
 */
export function cardInput(page: Page, label: string): Locator {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return page
    .locator('.ac-adaptiveCard')
    .getByLabel(new RegExp(`^${escaped}\\s*\\*?$`))
    .last();
}

/** Fills a card input found by its label (or placeholder) on the latest card that has it. */
export async function fillCardInput(page: Page, label: string, value: string): Promise<void> {
  await cardInput(page, label).fill(value);
}

/**
 * Sets an Input.Date. The playground renders it as a Fluent DatePicker whose text box accepts typed
 * dates (read with Date.parse when it loses focus); an unambiguous English form avoids time-zone shifts.
 */
export async function fillCardDate(page: Page, label: string, isoDate: string): Promise<void> {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const month = new Date(Date.UTC(2000, m - 1, 1)).toLocaleString('en-GB', { month: 'long', timeZone: 'UTC' });
  const box = cardInput(page, label);
  await box.fill(`${month} ${d}, ${y}`);
  await box.press('Tab');
}

/**
 * Chooses an option of a compact Input.ChoiceSet (a Fluent Combobox in the playground) by the option's
 * visible title.
 */
export async function chooseCardOption(page: Page, label: string, option: string | RegExp): Promise<void> {
  await cardInput(page, label).click();
  await page.getByRole('option', { name: option }).first().click();
}

/** Saves test-results/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** The latest card that has an input labelled `label` (a required one is rendered "<label> *"). */
function cardWithLabel(page: Page, label: string): Locator {
  return page
    .locator('.ac-adaptiveCard')
    .filter({ has: page.getByText(label, { exact: false }) })
    .last();
}

/**
 * Picks an option of an expanded Input.ChoiceSet (radio buttons) by the group's label and the
 * option's title, so two Yes/No questions on one card are told apart.
 */
export async function pickCardChoice(page: Page, groupLabel: string, option: string): Promise<void> {
  const group = cardWithLabel(page, groupLabel).getByRole('radiogroup', { name: groupLabel }).last();
  await group.getByLabel(option, { exact: true }).check();
}

/**
 * Ticks options of a multi-select Input.ChoiceSet by their titles, on the latest card that has them.
 * Each tick box is named by the question and its own title, so it is found by its title alone.
 */
export async function tickCardOptions(page: Page, options: readonly string[]): Promise<void> {
  for (const option of options) {
    const box = `input[type="checkbox"][aria-label="${option.replace(/"/g, '\\"')}"]`;
    await page
      .locator('.ac-adaptiveCard')
      .filter({ has: page.locator(box) })
      .last()
      .locator(box)
      .check();
  }
}
