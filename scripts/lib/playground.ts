/**
 * Starts the Microsoft 365 Agents Playground (a local Teams + Bot Connector emulator) for e2e tests,
 * plus thin clients for its own HTTP routes.
 *
 * Facts this relies on (read from @microsoft/m365agentsplayground 0.2.28 and checked by running it):
 * - CLI: `agentsplayground [start] -e <bot endpoint> -p <port> --service-url <url> --disable-telemetry`.
 *   Default port 56150 (env TEAMSAPPTESTER_PORT); if the port is taken it silently picks a random one,
 *   so we check the "Listening on <port>" line.
 * - Mock data: `.m365agentsplayground.yml` in the working directory, or M365_AGENTS_PLAYGROUND_CONFIG_PATH.
 * - TEAMSAPPTESTER_BROWSER=none stops it opening a browser; M365_AGENTS_PLAYGROUND_LOGFILE moves its log
 *   (default ./devTools/m365agentsplayground.log, i.e. inside the repo).
 * - It listens on all interfaces; child-watchdog.cjs pins it to 127.0.0.1 and makes it exit by
 *   itself (time limit, or when this process has gone).
 * - It sends no auth header to the bot: run the bot with BOT_AUTH=none.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '..', '..');
const cliPath = path.join(repoRoot, 'node_modules', '.bin', 'agentsplayground');
export const watchdogPath = path.join(__dirname, 'child-watchdog.cjs');

export interface PlaygroundOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3979/api/messages */
  botEndpoint: string;
  /** Port for the playground UI and its connector; a free one is picked when omitted. */
  port?: number;
  /** Mock-data YAML; defaults to the repo's .m365agentsplayground.yml. */
  configPath?: string;
  /** The playground exits by itself after this long (default 15 minutes). */
  ttlMs?: number;
  /** How long to wait for it to answer /_debug/ping (default 30 s). */
  readyTimeoutMs?: number;
}

export interface Playground {
  /** UI and API base, e.g. http://127.0.0.1:56150 */
  url: string;
  port: number;
  pid: number;
  /** The connector URL the bot receives as activity.serviceUrl. */
  serviceUrl: string;
  logFile: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

export async function startPlayground(opts: PlaygroundOptions): Promise<Playground> {
  const port = opts.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const serviceUrl = `${url}/_connector`;
  const logFile = path.join(os.tmpdir(), `mappa-agentsplayground-${port}.log`);
  const nodeOptions = [process.env.NODE_OPTIONS ?? '', `--require ${JSON.stringify(watchdogPath)}`].join(' ').trim();

  const child = spawn(
    cliPath,
    ['start', '-e', opts.botEndpoint, '-p', String(port), '--service-url', serviceUrl, '--disable-telemetry'],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NODE_OPTIONS: nodeOptions,
        TEAMSAPPTESTER_BROWSER: 'none',
        M365_AGENTS_PLAYGROUND_CONFIG_PATH: opts.configPath ?? path.join(repoRoot, '.m365agentsplayground.yml'),
        M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
        APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
        WATCHDOG_TTL_MS: String(opts.ttlMs ?? 15 * 60 * 1000),
        WATCHDOG_PARENT_PID: String(process.pid),
      },
    },
  );
  if (child.pid === undefined) throw new Error(`could not start ${cliPath}`);
  const pid = child.pid;

  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = once(child, 'exit');

  const stop = () => stopChild(child, pid, exited);
  try {
    await waitUntilReady({ url, port, child, exited, output: () => output, timeoutMs: opts.readyTimeoutMs ?? 30_000 });
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, port, pid, serviceUrl, logFile, stop };
}

async function waitUntilReady(args: {
  url: string;
  port: number;
  child: ChildProcess;
  exited: Promise<unknown>;
  output: () => string;
  timeoutMs: number;
}): Promise<void> {
  const deadline = Date.now() + args.timeoutMs;
  let gone = false;
  void args.exited.then(() => (gone = true));
  while (Date.now() < deadline) {
    if (gone) throw new Error(`agents playground exited early:\n${args.output()}`);
    const listening = /Listening on (\d+)/.exec(args.output());
    if (listening && Number(listening[1]) !== args.port) {
      throw new Error(`agents playground took port ${listening[1]} instead of ${args.port} (port busy?)`);
    }
    if (listening) {
      try {
        const res = await fetch(`${args.url}/_debug/ping`);
        if (res.ok && (await res.text()) === 'pong') return;
      } catch {
        // not accepting connections yet
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`agents playground not ready after ${args.timeoutMs} ms:\n${args.output()}`);
}

async function stopChild(child: ChildProcess, pid: number, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  process.kill(pid, 'SIGTERM');
  const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000).unref());
  if ((await Promise.race([exited, timer])) === 'timeout') {
    process.kill(pid, 'SIGKILL');
    await exited;
  }
}

// ---------------------------------------------------------------------------------------------
// The playground's own HTTP API (what its UI calls). Responses to the bot are not returned here:
// read them from the UI or from the recorded websocket frames (see browser.ts).
// ---------------------------------------------------------------------------------------------

export interface MockUser {
  id: string;
  name: string;
  aadObjectId: string;
  userPrincipleName: string;
  givenName: string;
  surname: string;
  email: string;
}

export interface PlaygroundConfig {
  config: {
    tenantId: string;
    bot: { id: string; name: string };
    currentUser: MockUser;
    users: MockUser[];
    personalChat: { id: string; name: string };
    groupChats: { id: string; name: string; members: string[] }[];
    teams: {
      id: string;
      name: string;
      aadGroupId: string;
      channels: { id: string; name: string; channelType: string }[];
      members: string[];
    }[];
  };
  internalConfig: { locale: string; localTimezone: string; channelId: string };
}

export type Activity = Record<string, unknown> & { type: string };

async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} -> ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Mock data as loaded from the YAML. Note: it also waits (≤15 s) for the bot endpoint to answer. */
export function getConfig(pg: Pick<Playground, 'url'>): Promise<PlaygroundConfig> {
  return request('GET', `${pg.url}/_internal/v1/config`);
}

export type TemplateType =
  | 'install'
  | 'uninstall'
  | 'userAdded'
  | 'userRemoved'
  | 'botAdded'
  | 'botRemoved'
  | 'channelCreated'
  | 'channelRenamed'
  | 'channelDeleted'
  | 'teamRenamed'
  | 'teamDeleted';

/**
 * A ready-made activity as the playground would send it (from = currentUser). Without `type` it is
 * a base activity (`type: "<custom-activity-type>"`) with conversation, channelData, tenant filled in.
 */
export function activityTemplate(
  pg: Pick<Playground, 'url'>,
  conversationId: string,
  type?: TemplateType,
): Promise<Activity> {
  const q = new URLSearchParams({ conversationId, ...(type ? { type } : {}) });
  return request('GET', `${pg.url}/_internal/v1/customActivities/template?${q}`);
}

/** Sends any activity to the bot verbatim (POST /_internal/v1/customActivities; returns before the bot answers). */
export async function sendCustomActivity(pg: Pick<Playground, 'url'>, activity: Activity): Promise<void> {
  await request('POST', `${pg.url}/_internal/v1/customActivities`, activity);
}

/**
 * What the UI does on load (personal chat) and when a channel/group chat is first opened:
 * the bot gets `installationUpdate` (action "add"; msteams only) then `conversationUpdate` (membersAdded).
 */
export async function triggerInstall(pg: Pick<Playground, 'url'>, conversationId: string): Promise<void> {
  await request('POST', `${pg.url}/_debug/conversation/${encodeURIComponent(conversationId)}/installation`, {});
}

/**
 * Sends `text` to the bot as another mock user (e.g. a police practitioner), in any conversation of the
 * mock data. The playground's own message route always rewrites `from` to currentUser, so this builds a
 * message activity from the base template instead. In a channel, pass the channel id for a new post or
 * `<channelId>;messageid=<postId>` for a reply.
 */
export async function sendAsUser(
  pg: Pick<Playground, 'url'>,
  args: { conversationId: string; userId: string; text: string; mentionBot?: boolean; value?: unknown },
): Promise<Activity> {
  const { config } = await getConfig(pg);
  const user = [config.currentUser, ...config.users].find((u) => u.id === args.userId || u.aadObjectId === args.userId);
  if (!user) throw new Error(`no mock user ${args.userId} in the playground config`);
  const base = await activityTemplate(pg, args.conversationId);
  const mention = `<at>${config.bot.name}</at>`;
  const activity: Activity = {
    ...base,
    type: 'message',
    id: `e2e-${Date.now()}-${Math.random().toString(16).slice(2)}`,
    timestamp: new Date().toISOString(),
    text: args.mentionBot ? `${mention} ${args.text}` : args.text,
    textFormat: 'plain',
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    locale: 'en-GB',
    entities: [
      ...(args.mentionBot
        ? [{ type: 'mention', mentioned: { id: config.bot.id, name: config.bot.name }, text: mention }]
        : []),
      { type: 'clientInfo', locale: 'en-GB', country: 'GB', platform: 'Web', timezone: 'Europe/London' },
    ],
    ...(args.value === undefined ? {} : { value: args.value }),
  };
  await sendCustomActivity(pg, activity);
  return activity;
}
