import fs from 'node:fs';
import path from 'node:path';

// The application layer is read one use case at a time; these guard the shape issue 10 gave it.
const APP = path.join(__dirname, '../../../src/app');
const MAX_LINES = 400;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}
const relative = (file: string) => path.relative(APP, file).split(path.sep).join('/');

describe('src/app layout', () => {
  it(`keeps every use-case file under ${MAX_LINES} lines`, () => {
    const long = sources(APP)
      .map((f) => ({ file: relative(f), lines: fs.readFileSync(f, 'utf8').split('\n').length }))
      .filter((f) => f.lines > MAX_LINES);
    expect(long).toEqual([]);
  });

  it('builds the request actor from a principal in one place only', () => {
    const copies = sources(APP)
      .filter((f) => relative(f) !== 'shared/actor.ts')
      .filter((f) => /displayName:\s*principal\.member\?\.displayName/.test(fs.readFileSync(f, 'utf8')))
      .map(relative);
    expect(copies).toEqual([]);
  });

  it('writes the senior-oversight reasons only in the domain', () => {
    const copies = sources(APP)
      .filter((f) => /significant_resources_short_notice\s*:/.test(fs.readFileSync(f, 'utf8')))
      .map(relative);
    expect(copies).toEqual([]);
  });

  it('checks that an area is configured in one place only', () => {
    const copies = sources(APP)
      .filter((f) => relative(f) !== 'shared/area.ts')
      .filter((f) => /Area \$\{[^}]+\} is not configured/.test(fs.readFileSync(f, 'utf8')))
      .map(relative);
    expect(copies).toEqual([]);
  });
});
