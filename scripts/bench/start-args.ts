import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The node options `npm start` runs the built bot with (package.json's `start`, which the Dockerfile's
 * CMD repeats), so a bench of the built bot measures the process production runs.
 */
export function startNodeArgs(): string[] {
  const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const m = /^node((?: --[\w-]+(?:=\S+)?)*) dist\/src\/main\.js$/.exec(pkg.scripts.start);
  if (!m) throw new Error(`package.json "start" is not "node [--options] dist/src/main.js": ${pkg.scripts.start}`);
  return m[1]!.split(' ').filter(Boolean);
}
