// Usage: npx tsx scripts/local-db.ts [--port 27017] [--data .data/db]
// Runs a local MongoDB-compatible server for `npm run dev` until Ctrl-C.
import { parseArgs } from 'node:util';
import { startLocalMongo } from '../src/store/local-server';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '27017' },
      data: { type: 'string', default: '.data/db' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0-65535, got ${values.port}`);

  const server = await startLocalMongo({ dataDir: values.data, port, log: (line) => console.error(line) });
  console.log(`MONGODB_URI=${server.uri}`);
  console.error(`FerretDB pid ${server.pid}, data in ${values.data}; Ctrl-C to stop`);

  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
