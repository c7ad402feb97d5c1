import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const BOT = path.join(ROOT, 'src/bot');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : full.endsWith('.ts') ? [full] : [];
  });
}

/** Relative imports of a file (value and type imports alike), resolved to .ts files. */
function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  const specs = [...source.matchAll(/(?:import|export)\s[^'";]*?from\s+'(\.[^']+)'/g)].map((m) => m[1]!);
  return specs.flatMap((spec) => {
    const base = path.resolve(path.dirname(file), spec);
    const found = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => {
      try {
        return statSync(f).isFile();
      } catch {
        return false;
      }
    });
    return found ? [found] : [];
  });
}

const rel = (f: string) => path.relative(ROOT, f);
const botFiles = filesUnder(BOT);

describe('the shape of src/bot', () => {
  it('keeps the handler contract out of the router: no handler imports mappa.bot', () => {
    const router = path.join(BOT, 'mappa.bot.ts');
    const importers = botFiles.filter((f) => importsOf(f).includes(router)).map(rel);
    expect(importers).toEqual([]);
    expect(readFileSync(path.join(BOT, 'handler-context.ts'), 'utf8')).toMatch(/export interface HandlerContext\b/);
    expect(readFileSync(router, 'utf8')).not.toMatch(/interface HandlerContext\b/);
  });

  it('leaves handler work to handlers: the router writes no audit entry but refusals, syncs nothing, posts nothing', () => {
    const router = readFileSync(path.join(BOT, 'mappa.bot.ts'), 'utf8');
    expect(router).not.toMatch(
      /memberSync|setCoordinatorChannel|area\.changed|ReferralChannel|updateReferral|switch \(/,
    );
    // In-tenant refusals; other tenants' refusals go to the refusal tally (src/app/members/refusal-audit.ts).
    expect([...router.matchAll(/action: '([\w.]+)'/g)].map((m) => m[1])).toEqual(['access.denied']);
  });

  it('has no import cycle inside src/bot', () => {
    const graph = new Map(botFiles.map((f) => [f, importsOf(f).filter((i) => i.startsWith(BOT))]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const walk = (f: string, trail: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(f)), f].map(rel).join(' -> '));
        return;
      }
      state.set(f, 'open');
      for (const next of graph.get(f) ?? []) walk(next, [...trail, f]);
      state.set(f, 'done');
    };
    for (const f of botFiles) walk(f, []);
    expect(cycles).toEqual([]);
  });

  it('keeps every file in src/bot under about 400 lines', () => {
    const long = botFiles
      .map((f) => ({ file: rel(f), lines: readFileSync(f, 'utf8').split('\n').length }))
      .filter((f) => f.lines > 400);
    expect(long).toEqual([]);
  });

  it('keeps job bodies out of main.ts: it builds no card and writes no message of its own', () => {
    // The composition root is src/main.ts and the parts it delegates to in src/compose.
    const compose = path.join(ROOT, 'src/compose');
    const main = [path.join(ROOT, 'src/main.ts'), ...readdirSync(compose).map((f) => path.join(compose, f))]
      .map((f) => readFileSync(f, 'utf8').replaceAll("'../scheduler/", "'./scheduler/"))
      .join('\n');
    expect(main).not.toMatch(/renderCard\(|postCard\(|Reminder:|Referrals awaited|member sync done/);
    for (const job of ['member-sync', 'referral-reminders', 'retention-review']) {
      expect(main).toContain(`./scheduler/jobs/${job}.job`);
    }
  });
});
