import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/*
 * The layer rules in .dependency-cruiser.cjs, run the way `npm run lint` runs them. Violations are
 * planted in a temporary copy of src (never in the work tree), so a failed or interrupted run
 * leaves nothing behind that a later lint or build could pick up.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');
const CLI = path.join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation {
  readonly severity: string;
  readonly rule: string;
  readonly from: string;
}

/*
 * The `err` reporter is what `npm run lint` prints, and its exit code is what fails CI (the json
 * reporter always exits 0). One line per rule break: "  error <rule>: <from> → <to>".
 */
function cruise(cwd: string): { status: number | null; output: string; violations: Violation[] } {
  const run = spawnSync(process.execPath, [CLI, 'src', '--config', CONFIG, '--output-type', 'err'], {
    cwd,
    encoding: 'utf8',
  });
  if (run.error) throw run.error;
  const violations = [...run.stdout.matchAll(/^\s*(error|warn|info) ([\w-]+): (\S+) →/gm)].map(
    ([, severity, rule, from]) => ({ severity: severity!, rule: rule!, from: from! }),
  );
  return { status: run.status, output: run.stdout + run.stderr, violations };
}

/** A file that breaks one layer rule, and the rule that must reject it. */
interface Probe {
  readonly file: string;
  readonly source: string;
  readonly rule: string;
}

const PROBES: readonly Probe[] = [
  {
    file: 'src/domain/layer-probe.ts',
    source: "import { MongoClient } from 'mongodb';\nexport const probe = MongoClient;\n",
    rule: 'inner-layers-only-pure-packages',
  },
  {
    file: 'src/app/layer-probe.ts',
    source: "import { connectMongo } from '../store/mongo';\nexport const probe = connectMongo;\n",
    rule: 'app-imports-only-app-domain-and-lib',
  },
  // A capability folder that does not exist yet: the rules name folders, not files.
  {
    file: 'src/app/new-capability/layer-probe.ts',
    source:
      "import { createDownloadToken } from '../../documents/signed-link';\nexport const probe = createDownloadToken;\n",
    rule: 'app-imports-only-app-domain-and-lib',
  },
  {
    file: 'src/lib/layer-probe.ts',
    source: "import { createHash } from 'node:crypto';\nexport const probe = createHash;\n",
    rule: 'inner-layers-no-node-builtins',
  },
  {
    file: 'src/app/ports/layer-probe.ts',
    source: "import type { TurnContext } from 'botbuilder';\nexport type Probe = TurnContext;\n",
    rule: 'bot-sdk-only-in-bot',
  },
  {
    file: 'src/store/layer-probe.ts',
    source: "import { MappaBot } from '../bot/mappa.bot';\nexport const probe = MappaBot;\n",
    rule: 'adapters-do-not-import-entry-points',
  },
  {
    file: 'src/http/layer-probe.ts',
    source: "import { connectMongo } from '../store/mongo';\nexport const probe = connectMongo;\n",
    rule: 'http-imports-only-app-domain-lib-config',
  },
  {
    file: 'src/bot/otel-probe.ts',
    source:
      "import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';\nexport const probe = BasicTracerProvider;\n",
    rule: 'telemetry-sdk-only-in-its-module',
  },
  {
    file: 'src/app/otel-probe.ts',
    source: "import { trace } from '@opentelemetry/api';\nexport const probe = trace;\n",
    rule: 'inner-layers-only-pure-packages',
  },
  {
    file: 'src/telemetry/layer-probe.ts',
    source: "import { connectMongo } from '../store/mongo';\nexport const probe = connectMongo;\n",
    rule: 'telemetry-imports-only-lib',
  },
];

describe('layer rules (dependency-cruiser)', () => {
  it('reject a domain file importing mongodb, an app file importing src/store, and each other rule', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mappa-layers-'));
    try {
      for (const entry of ['src', 'cards', 'tsconfig.json', 'package.json']) {
        cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
      }
      symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
      for (const probe of PROBES) {
        mkdirSync(path.dirname(path.join(dir, probe.file)), { recursive: true });
        writeFileSync(path.join(dir, probe.file), probe.source);
      }

      const { status, violations } = cruise(dir);

      expect(status).not.toBe(0);
      const errors = violations.filter((v) => v.severity === 'error');
      for (const probe of PROBES) {
        expect(errors.filter((v) => v.from === probe.file).map((v) => v.rule)).toContain(probe.rule);
      }
      // Nothing but the planted files is rejected: the copy is otherwise the real tree.
      expect([...new Set(errors.map((v) => v.from))].sort()).toEqual(PROBES.map((p) => p.file).sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('pass on the real tree', () => {
    const { status, output, violations } = cruise(ROOT);
    expect(violations.filter((v) => v.severity === 'error')).toEqual([]);
    expect(output).not.toMatch(/\berror\b/);
    expect(status).toBe(0);
  });
});
