// Usage: npm run bench:outbound [-- --messages 10000 --conversations 500 --tenant-rps 30 --instances 1 --warmup 5 --budget 0 --backend sqlite|postgresql]
//
// Queues --messages reminders to --conversations personal chats through the outbound queue on one
// local FerretDB and delivers them with the real Teams transport to a Bot Connector emulator that
// enforces Teams' limits (per conversation 7/1 s, 8/2 s, 60/30 s, 1,800/h; per tenant --tenant-rps
// per second) and answers 429 with Retry-After past them. Prints the achieved rate as a fraction of
// the allowed one, 429s after warm-up, duplicates and losses. A benchmark, not a test: not in CI.
// The emulator runs in its own process (scripts/bench/connector-child.ts), so the stamps it puts on
// arrivals, and the windows it refuses by, are not delayed by this process's event loop.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { OutboundWorker } from '../../src/app/outbound';
import { systemClock } from '../../src/app/ports/clock.port';
import type { ConversationTarget } from '../../src/app/ports/conversations.port';
import { TeamsTransport } from '../../src/bot/proactive/teams-transport';
import { TEAMS_CONVERSATION_WINDOWS, tenantWindows } from '../../src/lib/sliding-window';
import { startBenchServer } from './postgres';
import { connectMongo } from '../../src/store/mongo';
import { MongoOutboundQueue, OUTBOUND, OUTBOUND_LOG, OUTBOUND_STEPS } from '../../src/store/outbound-queue.repository';
import { TEAMS_LIMITS, type EmulatedWindow } from '../../tests/support/connector';

const TENANT = '11111111-1111-4111-8111-111111111111';

const Started = z.object({ url: z.url(), control: z.url() });
const Progress = z.object({ done: z.number().int(), calls: z.number().int() });
const Records = z.object({
  sent: z.array(z.object({ method: z.string(), text: z.string(), at: z.number() })),
  refused: z.array(
    z.object({
      status: z.number().int(),
      at: z.number(),
      limit: z
        .object({
          scope: z.enum(['conversation', 'tenant']),
          limit: z.number(),
          windowMs: z.number(),
          shortByMs: z.number(),
        })
        .optional(),
    }),
  ),
});

interface ConnectorProcess {
  readonly url: string;
  readonly pid: number;
  progress(): Promise<z.infer<typeof Progress>>;
  records(): Promise<z.infer<typeof Records>>;
  stop(): Promise<void>;
}

/** Starts the emulator in a child process and waits for the line giving its URLs. */
async function startConnectorProcess(limits: {
  conversation: readonly EmulatedWindow[];
  tenant: readonly EmulatedWindow[];
}): Promise<ConnectorProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'connector-child.ts'), JSON.stringify(limits)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (l) => {
      rl.close();
      resolve(l);
    });
    child.once('exit', (code) => reject(new Error(`the connector emulator exited while starting (code ${code})`)));
  });
  const { url, control } = Started.parse(JSON.parse(line));
  const get = async (p: string) => {
    const res = await fetch(`${control}${p}`);
    if (!res.ok) throw new Error(`connector emulator ${p}: ${res.status}`);
    return (await res.json()) as unknown;
  };
  return {
    url,
    pid: child.pid!,
    progress: async () => Progress.parse(await get('/progress')),
    records: async () => Records.parse(await get('/records')),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid!, 'SIGTERM');
      await exited;
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      messages: { type: 'string', default: '10000' },
      conversations: { type: 'string', default: '500' },
      'tenant-rps': { type: 'string', default: '30' },
      instances: { type: 'string', default: '1' },
      warmup: { type: 'string', default: '5' },
      /** Stop waiting after this many seconds (0: three times the time the allowed rate needs). */
      budget: { type: 'string', default: '0' },
      /** sqlite (as dev and the tests) or postgresql (scripts/bench/postgres.ts). */
      backend: { type: 'string', default: 'sqlite' },
    },
  });
  const messages = Number(values.messages);
  const conversations = Number(values.conversations);
  const tenantRps = Number(values['tenant-rps']);
  const instances = Number(values.instances);
  const warmupMs = Number(values.warmup) * 1000;
  if (![messages, conversations, tenantRps, instances].every((n) => Number.isInteger(n) && n > 0) || !(warmupMs >= 0)) {
    throw new Error(
      '--messages, --conversations, --tenant-rps and --instances take positive integers; --warmup seconds',
    );
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mappa-bench-outbound-'));
  const server = await startBenchServer({ dataDir, backend: values.backend });
  const connector = await startConnectorProcess({
    conversation: TEAMS_LIMITS.conversation,
    tenant: [{ limit: tenantRps, windowMs: 1000 }],
  });
  const mongo = await connectMongo({
    uri: server.uri,
    dbName: 'bench',
    timeoutMs: 10_000,
    collections: [OUTBOUND, OUTBOUND_LOG, OUTBOUND_STEPS],
  });
  log(
    `FerretDB pid ${server.pid}; connector emulator pid ${connector.pid}; ${os.cpus().length} CPUs; ${messages} messages to ${conversations} conversations`,
  );
  const workers: OutboundWorker[] = [];
  try {
    const queue = new MongoOutboundQueue(mongo.db);
    const target = (n: number): ConversationTarget => ({
      conversationId: `a:bench-${n}`,
      conversationType: 'personal',
      tenantId: TENANT,
      serviceUrl: connector.url,
      botId: '28:bench-bot',
      channelId: 'msteams',
      userId: `29:bench-${n}`,
    });
    // Reminders as a morning's run would queue them: each conversation's in a row, so the
    // per-conversation windows would stall a queue that sent strictly in order.
    const queuedAt = Date.now();
    const perConversation = Math.ceil(messages / conversations);
    const order: number[] = [];
    for (let i = 0; i < messages; i++) order.push(Math.floor(i / perConversation));
    for (let i = 0; i < order.length; i += 16) {
      await Promise.all(
        order.slice(i, i + 16).map((c, j) =>
          queue.enqueue(
            {
              dedupeKey: `reminder-${i + j}`,
              target: target(c),
              operation: 'personal',
              content: { type: 'text', text: `reminder-${i + j}` },
              what: 'an action reminder',
            },
            new Date(),
          ),
        ),
      );
    }
    log(`queued in ${((Date.now() - queuedAt) / 1000).toFixed(1)} s; delivering…`);

    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    const transport = new TeamsTransport(adapter, '');
    for (let i = 0; i < instances; i++) {
      workers.push(
        new OutboundWorker({
          queue,
          transport,
          clock: systemClock,
          owner: `bench-${i}`,
          // Each instance keeps to its share of the tenant's limit, as the README says to configure.
          limits: {
            conversation: TEAMS_CONVERSATION_WINDOWS,
            tenant: tenantWindows(Math.floor(tenantRps / instances)),
          },
        }),
      );
    }
    const started = Date.now();
    workers.forEach((w) => w.start());
    const col = mongo.db.collection(OUTBOUND.name);
    const logCol = mongo.db.collection(OUTBOUND_LOG.name);
    let last = -1;
    for (;;) {
      // Counted at the connector, not in the database: on FerretDB v1 any count scans a collection,
      // and its commands run one at a time, so a count here would take time from the claims measured.
      const { done, calls } = await connector.progress();
      if (done >= messages) break;
      if (process.env.BENCH_VERBOSE)
        log(`  ${done} done, ${JSON.stringify(workers.map((w) => w.stats()))}, sent ${calls}`);
      else if (done !== last && Math.floor(done / 1000) !== Math.floor(last / 1000)) log(`  ${done} done`);
      last = done;
      const budgetMs =
        Number(values.budget) > 0 ? Number(values.budget) * 1000 : (messages / tenantRps) * 3000 + 120_000;
      if (Date.now() - started > budgetMs) {
        log(`stopped waiting after ${Math.round(budgetMs / 1000)} s`);
        break;
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    await Promise.all(workers.map((w) => w.stop()));

    const records = await connector.records();
    const posts = records.sent.filter((a) => a.method === 'POST');
    const times = posts.map((a) => a.at).sort((a, b) => a - b);
    const first = times[0] ?? started;
    const lastAt = times[times.length - 1] ?? started;
    const steady = times.filter((t) => t >= first + warmupMs);
    const steadySeconds = (lastAt - (first + warmupMs)) / 1000;
    // Each conversation may take 60 per 30 s (2/s sustained): the tenant's limit binds long before.
    const allowed = Math.min(tenantRps, conversations * 2);
    const achieved = steadySeconds > 0 ? (steady.length - 1) / steadySeconds : 0;
    const overall = (posts.length - 1) / Math.max(0.001, (lastAt - first) / 1000);
    const counts = new Map<string, number>();
    for (const a of posts) counts.set(a.text, (counts.get(a.text) ?? 0) + 1);
    const duplicates = [...counts.values()].reduce((n, c) => n + (c > 1 ? c - 1 : 0), 0);
    const delivered = await logCol.countDocuments({ status: 'delivered' });
    const failed = await logCol.countDocuments({ status: 'failed' });
    const pending = await col.countDocuments({});
    // Lost: neither at the connector nor still in the queue to be sent (a run cut short is not a loss).
    const lost = Math.max(0, messages - counts.size - pending);
    const throttled = records.refused.filter((r) => r.status === 429);
    const throttledAfterWarmup = throttled.filter((r) => r.at >= first + warmupMs).length;
    // Which limit refused each 429 after warm-up, and by how much the arrivals were bunched past it.
    const byLimit = new Map<string, number[]>();
    for (const r of throttled.filter((x) => x.at >= first + warmupMs)) {
      const name = r.limit ? `${r.limit.scope} ${r.limit.limit}/${r.limit.windowMs} ms` : 'injected';
      byLimit.set(name, [...(byLimit.get(name) ?? []), r.limit?.shortByMs ?? 0]);
    }
    const refusedBy =
      [...byLimit]
        .map(([name, short]) => `${name} ×${short.length} (short by ${Math.min(...short)}–${Math.max(...short)} ms)`)
        .join('; ') || '–';

    const rows: Array<[string, string]> = [
      ['messages / conversations / instances', `${messages} / ${conversations} / ${instances}`],
      ['delivery time (first to last send)', `${((lastAt - first) / 1000).toFixed(1)} s`],
      ['allowed rate (tenant limit binds)', `${allowed.toFixed(1)} /s`],
      [
        `achieved rate after ${warmupMs / 1000} s warm-up`,
        `${achieved.toFixed(2)} /s (${((achieved / allowed) * 100).toFixed(1)} %)`,
      ],
      ['achieved rate over the whole run', `${overall.toFixed(2)} /s (${((overall / allowed) * 100).toFixed(1)} %)`],
      ['429 received (all / after warm-up)', `${throttled.length} / ${throttledAfterWarmup}`],
      ['429 after warm-up: which limit refused', refusedBy],
      ['duplicates (same message twice)', String(duplicates)],
      ['lost (never reached the connector)', String(lost)],
      ['log delivered / failed; still in the queue', `${delivered} / ${failed} / ${pending}`],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    process.stdout.write(`\n| ${'measure'.padEnd(width)} | value |\n|${'-'.repeat(width + 2)}|-------|\n`);
    for (const [k, v] of rows) process.stdout.write(`| ${k.padEnd(width)} | ${v} |\n`);
    const ok = achieved / allowed >= 0.95 && throttledAfterWarmup === 0 && duplicates === 0 && lost === 0;
    process.stdout.write(
      `\n${ok ? 'PASS' : 'FAIL'}: ${((achieved / allowed) * 100).toFixed(1)} % of the allowed ${allowed}/s, ` +
        `${throttledAfterWarmup} 429 after warm-up, ${duplicates} duplicates, ${lost} lost ` +
        `(target ≥ 95 %, 0, 0, 0)\n`,
    );
    process.exitCode = ok ? 0 : 1;
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await connector.stop();
    await mongo.close();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

void main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
