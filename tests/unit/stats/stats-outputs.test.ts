import JSZip from 'jszip';
import {
  buildReport,
  chartSpec,
  CHART_SIZE,
  parsePeriod,
  reportCsv,
  suppressedCells,
  type StatsFigures,
} from '../../../src/app/stats';
import { renderStatsChart } from '../../../src/documents/stats-chart';
import { renderStatsDocx } from '../../../src/documents/stats.docx';
import { anArea } from '../../fixtures/domain-builders';

const PERIOD = { from: '2026-04-01', to: '2027-03-31' };
const FIGURES: StatsFigures = {
  managed: [
    { category: 'cat1', level: 1, n: 40 },
    { category: 'cat1', level: 2, n: 3 },
    { category: 'cat2', level: 1, n: 25 },
    { category: 'cat2', level: 2, n: 9 },
    { category: 'cat3', level: 3, n: 6 },
    { category: 'cat4', level: 1, n: 12 },
  ],
  decisions: [{ kind: 'level', from: 1, to: 2, n: 7 }],
  notifications: [{ category: 'cat2', n: 30 }],
  referralsSubmitted: 11,
  referralDecisions: [{ submittedAt: '2026-05-01T10:00:00.000Z', decidedAt: '2026-05-06T10:00:00.000Z', n: 8 }],
  meetings: [{ kind: 'review', dueBy: '2026-06-30', heldAt: '2026-06-20T10:00:00.000Z', n: 12 }],
  actions: [{ agencyId: 'police', completed: 14, open: 6, overdue: 2 }],
};
const report = buildReport(anArea(), PERIOD, '2026-11-30', FIGURES, 5);
/** RFC 4180 lines back into fields (quoted fields may hold commas and doubled quotes). */
const csvRows = (csv: string): string[][] =>
  csv
    .trim()
    .split('\r\n')
    .map((line) =>
      [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) => m[1]!.replace(/^"|"$/g, '').replace(/""/g, '"')),
    );

/** Width and height from the PNG signature and IHDR chunk (PNG spec §5.2, §11.2.2). */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('statistical disclosure control', () => {
  it('hides counts from 1 to 4 and one more figure in any line that would reveal them', () => {
    // a b | t  with a = 3: a is hidden, so b (the next smallest) is hidden too; zero stays shown.
    const values = new Map(Object.entries({ a: 3, b: 10, z: 0, t: 13 }));
    expect([...suppressedCells(values, [['a', 'b', 'z', 't']], 5)].sort()).toEqual(['a', 'b']);
    expect(suppressedCells(new Map(Object.entries({ a: 0, b: 9, t: 9 })), [['a', 'b', 't']], 5).size).toBe(0);
  });

  it('leaves no line with a single hidden figure in the category by level table', () => {
    const managed = report.tables.find((t) => t.id === 'managed')!;
    expect(managed.rows.find((r) => r.label.startsWith('Category 1'))!.cells).toEqual(['[c]', '[c]', '0', '43']);
    const hidden = (cells: readonly string[]) => cells.filter((c) => c === '[c]').length;
    for (const row of managed.rows) expect(hidden(row.cells)).not.toBe(1);
    for (let c = 0; c < managed.columns.length; c += 1)
      expect(hidden(managed.rows.map((r) => r.cells[c]!))).not.toBe(1);
  });
});

describe('the report leaves the bot suppressed', () => {
  it('writes the CSV with the marking, hidden cells as [c] and never the exact small count', () => {
    const rows = csvRows(reportCsv(report, 'OFFICIAL-SENSITIVE'));
    expect(rows[0]).toEqual(['OFFICIAL-SENSITIVE']);
    expect(rows.at(-1)).toEqual(['OFFICIAL-SENSITIVE']);
    const cat1 = rows.filter((r) => r[1] === 'Category 1: registered sexual offenders');
    expect(cat1.map((r) => r[3])).toEqual(['[c]', '[c]', '0', '43']);
    expect(rows.find((r) => r[1] === 'Police')?.[3]).toBe('14');
    expect(rows.find((r) => r[1] === 'Police' && r[2] === 'Overdue now')?.[3]).toBe('[c]');
  });

  it('draws a PNG of the expected size from the same numbers as the CSV', async () => {
    const spec = chartSpec(report);
    const png = await renderStatsChart(spec);
    expect(pngSize(png)).toEqual(CHART_SIZE);
    const fromCsv = csvRows(reportCsv(report, 'OFFICIAL-SENSITIVE'));
    const managed = spec.panels[0]!;
    managed.datasets.forEach((d, level) =>
      d.data.forEach((v, i) => {
        const cell = fromCsv.filter((r) => r[2] === d.label && r[1]!.startsWith(managed.labels[i]!))[0]![3];
        expect({ level, i, v: v === null ? '[c]' : String(v) }).toEqual({ level, i, v: cell });
      }),
    );
    // Small enough to travel inside the card as a data: URI (bot messages are limited to about 100 KB).
    expect(png.toString('base64').length).toBeLessThan(60_000);
  });

  it('makes a Word document that parses back with the marking in header and footer', async () => {
    const png = await renderStatsChart(chartSpec(report));
    const zip = await JSZip.loadAsync(await renderStatsDocx(report, png, 'OFFICIAL-SENSITIVE'));
    const xml = async (prefix: string) =>
      (
        await Promise.all(
          Object.keys(zip.files)
            .filter((f) => f.startsWith(prefix))
            .map((f) => zip.file(f)!.async('string')),
        )
      ).join('');
    expect(await xml('word/header')).toContain('OFFICIAL-SENSITIVE');
    expect(await xml('word/footer')).toContain('OFFICIAL-SENSITIVE');
    const doc = await xml('word/document.xml');
    expect(doc).toContain('People managed now, by category and level');
    expect(doc).toContain('[c]');
    expect(Object.keys(zip.files).some((f) => f.startsWith('word/media/') && f.endsWith('.png'))).toBe(true);
  });
});

describe('the reporting period', () => {
  it('defaults to the reporting year containing today and reads UK or ISO dates', () => {
    expect(parsePeriod('', '2026-11-30')).toEqual({ ok: true, value: PERIOD });
    expect(parsePeriod('', '2027-03-31')).toEqual({ ok: true, value: PERIOD });
    expect(parsePeriod('1/4/2025', '2026-11-30')).toEqual({
      ok: true,
      value: { from: '2025-04-01', to: '2026-03-31' },
    });
    expect(parsePeriod('2026-01-01 2026-06-30', '2026-11-30')).toEqual({
      ok: true,
      value: { from: '2026-01-01', to: '2026-06-30' },
    });
  });

  it('names the date it could not read', () => {
    const bad = parsePeriod('2026-13-01', '2026-11-30');
    expect(bad.ok || bad.error.message).toMatch(/^Start date: "2026-13-01"/);
    const backwards = parsePeriod('2026-06-01 2026-01-01', '2026-11-30');
    expect(backwards.ok || backwards.error.message).toMatch(/^End date/);
  });
});
