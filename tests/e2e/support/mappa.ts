/**
 * MAPPA-specific e2e helpers: the mock cast from .m365agentsplayground.yml, acting as the current UI
 * user (Priya) through the playground's own HTTP routes, and waiting on what the UI was told over
 * its websocket (robust where several similar messages are on screen).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startPlayground, type Playground } from '../../../scripts/lib/playground';
import { freshDbName, testMongoUri } from '../../support/mongo';
import { startBotProcess, type BotProcess } from './bot-process';
import {
  connectorLog,
  latestCard,
  launchBrowser,
  openPlayground,
  uiMessages,
  type ConnectorLogEntry,
  type UiMessageEvent,
} from './browser';

const mockData = readFileSync(path.resolve(__dirname, '..', '..', '..', '.m365agentsplayground.yml'), 'utf8');
const yamlValue = (pattern: RegExp): string => {
  const found = pattern.exec(mockData)?.[1];
  if (!found) throw new Error(`not in .m365agentsplayground.yml: ${pattern}`);
  return found.replace(/^'|'$/g, '');
};

export const TENANT_ID = yamlValue(/^tenantId:\s*(\S+)/m);
export const BOT_ID = yamlValue(/^bot:\s*\n\s+id:\s*(\S+)/m);
/** The current UI user: our MAPPA co-ordinator. */
export const PRIYA = {
  id: yamlValue(/^currentUser:[\s\S]*?\n\s+id:\s*(\S+)/m),
  name: yamlValue(/^currentUser:[\s\S]*?\n\s+name:\s*(.+)$/m).trim(),
  aadObjectId: yamlValue(/^currentUser:[\s\S]*?\n\s+aadObjectId:\s*(\S+)/m),
};
export const PERSONAL_CHAT_ID = yamlValue(/^personalChat:\s*\n\s+id:\s*(\S+)/m);
export const CHANNEL_ID = yamlValue(/^\s+channels:\s*\n\s+- id:\s*(\S+)/m);
/** The tree item label of the co-ordinator channel in the playground UI. */
export const CHANNEL_LABEL = `${yamlValue(/^team:[\s\S]*?\n\s+name:\s*(.+)$/m).trim()} - ${yamlValue(
  /^\s+channels:\s*\n\s+- id:.*\n\s+name:\s*(.+)$/m,
).trim()}`;

/** The playground's answer to an invoke: what its UI would show in place of the card. */
export interface InvokeResult {
  type: string;
  value: unknown;
}

/**
 * Presses an Action.Execute button as the current UI user, the way the playground UI does
 * (POST /_conversation/v1/invoke), without needing the card on screen. The playground insists that
 * `replyToId` names a message already in that conversation (the card the button is on).
 */
export async function executeAsCurrentUser(
  pg: Pick<Playground, 'url'>,
  args: { conversationId: string; verb: string; data: Record<string, unknown>; replyToId: string },
): Promise<InvokeResult> {
  const res = await fetch(`${pg.url}/_conversation/v1/invoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb: args.verb, data: args.data } },
      from: { id: PRIYA.id },
      conversation: { id: args.conversationId },
      replyToId: args.replyToId,
    }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`invoke ${args.verb} -> ${res.status} ${text}`);
  return JSON.parse(text) as InvokeResult;
}

/**
 * Enrols someone through the 'member.add' card verb, pressed by Priya (a bootstrap admin) in her
 * personal chat, as if on the 'add member' card. Needs a bot message in that chat (the welcome card).
 */
export async function enrolAsPriya(
  pg: Pick<Playground, 'url'>,
  page: Page,
  member: { aadObjectId: string; displayName: string; agencyId: string; roles: string },
): Promise<void> {
  const onScreen = botUiMessagesSince(page, 0).filter((e) => e.actionConversationId === PERSONAL_CHAT_ID);
  const replyToId = onScreen.at(-1)?.message?.messageId;
  if (!replyToId) throw new Error('no bot message in the personal chat to act on');
  const res = await executeAsCurrentUser(pg, {
    conversationId: PERSONAL_CHAT_ID,
    verb: 'member.add',
    data: { ...member },
    replyToId,
  });
  const shown = JSON.stringify(res.value);
  if (!shown.includes('Member added')) throw new Error(`member.add was refused: ${shown.slice(0, 2000)}`);
}

/**
 * Sends text as the current UI user through the route the UI itself uses
 * (POST /_conversation/v1/conversations/:id/messages). Returns once the playground has accepted it;
 * the bot answers asynchronously.
 */
export async function sendAsCurrentUser(pg: Pick<Playground, 'url'>, conversationId: string, text: string) {
  const res = await fetch(`${pg.url}/_conversation/v1/conversations/${encodeURIComponent(conversationId)}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ from: { id: PRIYA.id }, text, textFormat: 'plain' }),
  });
  if (!res.ok) throw new Error(`message -> ${res.status} ${await res.text()}`);
}

/** Text of a UI message event: its text plus its cards' JSON (enough to match on). */
export function uiMessageText(e: UiMessageEvent): string {
  const m = e.message;
  if (!m) return '';
  return [m.text ?? '', ...m.attachments.map((a) => JSON.stringify(a.content))].join('\n');
}

/** New bot messages (createMessage from the bot) the UI was told about after `since` events. */
export function botUiMessagesSince(page: Page, since: number): UiMessageEvent[] {
  return uiMessages(page)
    .slice(since)
    .filter((e) => e.action === 'createMessage' && e.message?.from.id === BOT_ID);
}

/**
 * Waits for a bot message the UI was told about after the first `since` events (see uiMessages) that
 * matches `predicate`. Fails early with what the bot said instead when it is clearly off course.
 */
export async function waitForBotUiMessage(
  page: Page,
  since: number,
  predicate: (text: string, e: UiMessageEvent) => boolean,
  timeoutMs = 15_000,
): Promise<UiMessageEvent> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = botUiMessagesSince(page, since).find((e) => predicate(uiMessageText(e), e));
    if (hit) return hit;
    if (Date.now() > deadline) {
      const said = botUiMessagesSince(page, since)
        .map((e) => uiMessageText(e).slice(0, 400))
        .join('\n---\n');
      throw new Error(`no matching bot message within ${timeoutMs} ms; the bot said:\n${said || '(nothing)'}`);
    }
    await page.waitForTimeout(50);
  }
}

/**
 * Waits for the bot's in-place update of a posted card (PUT .../activities/<id>: an activity that
 * carries an id) whose JSON contains every `mustContain`, as the playground logged it.
 */
export async function waitForCardUpdate(page: Page, mustContain: string[], timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const hit = connectorLog(page).find((e) => {
      const body = e.from === 'User Application' ? e.request?.body : undefined;
      const json = JSON.stringify(body ?? {});
      return body?.type === 'message' && typeof body.id === 'string' && mustContain.every((t) => json.includes(t));
    });
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`the bot did not update a card containing ${mustContain.join(', ')}`);
    await page.waitForTimeout(100);
  }
}

/** Fails, with what the playground answered, unless it accepted the bot's call. */
export function expectAcceptedByPlayground(entry: ConnectorLogEntry): void {
  const status = entry.response?.statusCode ?? 0;
  if (status >= 200 && status < 300) return;
  throw new Error(
    `the playground refused the bot's ${entry.activityName ?? 'call'} for activity id ` +
      `${String(entry.request?.body?.id)}: ${status} ${JSON.stringify(entry.response?.body)}`,
  );
}

/** A whole stack for one e2e file: the real bot on a fresh database, the playground, and its UI in Chromium. */
export interface MappaStack {
  readonly bot: BotProcess;
  /** The bot's database, for seeding what a test starts from. */
  readonly dbName: string;
  readonly playground: Playground;
  readonly browser: Browser;
  readonly page: Page;
  stop(): Promise<void>;
}

/**
 * Starts the stack with Priya (the playground's signed-in user) as bootstrap admin. Loading the UI
 * installs the app in her personal chat, so the bot knows her chat and greets her.
 */
export async function startMappaStack(dbPrefix: string, env: Record<string, string> = {}): Promise<MappaStack> {
  const dbName = freshDbName(dbPrefix);
  const bot = await startBotProcess({
    env: {
      MONGODB_URI: testMongoUri(),
      MONGODB_DB: dbName,
      ALLOWED_TENANT_IDS: TENANT_ID,
      BOOTSTRAP_ADMIN_AAD_IDS: PRIYA.aadObjectId,
      ...env,
    },
  });
  const playground = await startPlayground({ botEndpoint: bot.endpoint });
  const browser = await launchBrowser();
  const page = await openPlayground(browser, playground.url);
  await latestCard(page, /Type .*help/).waitFor({ timeout: 20_000 });
  return {
    bot,
    dbName,
    playground,
    browser,
    page,
    stop: async () => {
      await browser.close();
      await playground.stop();
      await bot.stop();
    },
  };
}
