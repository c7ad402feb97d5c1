/**
 * The Bot Connector emulator for `npm run bench:outbound`, in its own process: in the bench's process
 * an event-loop stall (a claim's JSON, a GC pause) delayed when it stamped arrivals, bunching them into a
 * window it then refused. Started with the limits as JSON in argv[2]; prints one JSON line
 * `{ url, control }` on stdout; on `control` it answers GET /progress (distinct messages received) and
 * GET /records (what it accepted and refused). Stopped with SIGTERM by its PID.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFakeConnector, type EmulatedWindow } from '../../tests/support/connector';

async function main(): Promise<void> {
  const limits = JSON.parse(process.argv[2] ?? '') as {
    conversation: EmulatedWindow[];
    tenant: EmulatedWindow[];
  };
  const connector = await startFakeConnector({ limits });

  // Counted as they arrive so a progress poll costs the emulator nothing that grows with the run.
  const texts = new Set<string>();
  let scanned = 0;
  const progress = () => {
    for (; scanned < connector.sent.length; scanned++) {
      const a = connector.sent[scanned]!;
      if (a.method === 'POST') texts.add(String(a.body.text));
    }
    return texts.size;
  };

  const control = createServer((req, res) => {
    const body =
      req.url === '/progress'
        ? { done: progress(), calls: connector.sent.length }
        : req.url === '/records'
          ? {
              sent: connector.sent.map((a) => ({ method: a.method, text: String(a.body.text), at: a.at })),
              refused: connector.refused.map((r) => ({ status: r.status, at: r.at, limit: r.limit })),
            }
          : undefined;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  const { port } = control.address() as AddressInfo;

  const stop = () => {
    control.closeAllConnections();
    control.close();
    void connector.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  // The parent holds our stdin open: if it dies without stopping us, this ends and so do we.
  process.stdin.on('end', stop).resume();
  process.stdout.write(`${JSON.stringify({ url: connector.url, control: `http://127.0.0.1:${port}` })}\n`);
}

void main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
