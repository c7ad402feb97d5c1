import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { COMMANDS } from '../../src/bot/commands';
import os from 'node:os';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import JSZip from 'jszip';
import {
  MANIFEST_DIR,
  PACKAGE_ENTRIES,
  PackageError,
  TEMPLATE_PATH,
  buildPackage,
  packageApp,
  readIds,
  renderManifest,
  validateManifest,
  type Manifest,
} from '../../scripts/package-app';

// @microsoft/app-manifest require()s strip-bom 5, which is ESM-only: fine under tsx/Node, not in Jest's
// module runtime on Node 20. Only its file reader uses it; the validator under test does not.
jest.mock('strip-bom', () => ({ __esModule: true, default: (s: string) => s.replace(/^\uFEFF/, '') }));

const ids = { TEAMS_APP_ID: '3f2b1a6c-8d4e-4f5a-9b0c-1d2e3f4a5b6c', BOT_ID: '0b7e4c2a-9d15-4f3e-8a6b-2c1d0e9f8a7b' };

interface Png {
  width: number;
  height: number;
  colourType: number;
  /** RGBA, 8 bits per channel (only colour types 2 and 6 are decoded). */
  pixels: Buffer;
}

/** Minimal PNG reader: IHDR, and IDAT un-filtering for 8-bit RGB/RGBA without interlace. */
function readPng(data: Buffer): Png {
  expect(data.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(data.toString('latin1', 12, 16)).toBe('IHDR');
  const width = data.readUInt32BE(16);
  const height = data.readUInt32BE(20);
  const bitDepth = data[24];
  const colourType = data[25] ?? -1;
  const interlace = data[28];
  const idat: Buffer[] = [];
  for (let at = 8; at < data.length;) {
    const length = data.readUInt32BE(at);
    if (data.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(data.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  expect(bitDepth).toBe(8);
  expect(interlace).toBe(0);
  expect([2, 6]).toContain(colourType);
  const bpp = colourType === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = Buffer.alloc(width * height * 4);
  let prev = Buffer.alloc(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = Buffer.from(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? (line[i - bpp] ?? 0) : 0;
      const b = prev[i] ?? 0;
      const c = i >= bpp ? (prev[i - bpp] ?? 0) : 0;
      const p = a + b - c;
      const pred =
        filter === 1
          ? a
          : filter === 2
            ? b
            : filter === 3
              ? (a + b) >> 1
              : filter === 4
                ? Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
                  ? a
                  : Math.abs(p - b) <= Math.abs(p - c)
                    ? b
                    : c
                : 0;
      line[i] = ((line[i] ?? 0) + pred) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      line.copy(out, (y * width + x) * 4, x * bpp, x * bpp + 3);
      out[(y * width + x) * 4 + 3] = bpp === 4 ? (line[x * bpp + 3] ?? 0) : 255;
    }
    prev = line;
  }
  return { width, height, colourType, pixels: out };
}

async function renderedManifest(): Promise<Manifest> {
  return renderManifest(await readFile(TEMPLATE_PATH, 'utf8'), { ...ids, APP_VERSION: '1.2.3' });
}

describe('manifest template', () => {
  it('has placeholders for the Teams app id and the bot id', async () => {
    const template = await readFile(TEMPLATE_PATH, 'utf8');
    expect(template).toContain('${{TEAMS_APP_ID}}');
    expect(template).toContain('${{BOT_ID}}');
  });

  it('renders to a manifest that validates against its bundled JSON schema', async () => {
    const manifest = await renderedManifest();
    expect(manifest.$schema).toMatch(/\/teams\/v1\.\d+\/MicrosoftTeams\.schema\.json$/);
    expect(await validateManifest(manifest)).toEqual([]);
    expect(JSON.stringify(manifest)).not.toContain('${{');
    expect(manifest.id).toBe(ids.TEAMS_APP_ID);
    expect(manifest.version).toBe('1.2.3');
  });

  it('declares the bot for personal, team and group chat with files and command lists', async () => {
    const manifest = await renderedManifest();
    expect(manifest.name.short).toBe('MAPPA Assistant');
    const bot = manifest.bots?.[0];
    expect(bot?.botId).toBe(ids.BOT_ID);
    expect(bot?.scopes).toEqual(expect.arrayContaining(['personal', 'team', 'groupChat']));
    expect(bot?.supportsFiles).toBe(true);
    // The command menu may only offer what the bot's router understands.
    const known = COMMANDS.map((c) => c.name as string);
    for (const scope of ['personal', 'team', 'groupChat'] as const) {
      const list = bot?.commandLists?.find((l) => l.scopes.includes(scope));
      const titles = list?.commands.map((c) => c.title) ?? [];
      expect(titles).toContain('help');
      for (const t of titles) expect(known).toContain(t);
    }
    expect(manifest.developer.websiteUrl).toMatch(/^https:\/\/[^/]*example\.org\//);
  });

  it('asks, by resource-specific consent, only for what the bot does inside a Teams meeting', async () => {
    const manifest = await renderedManifest();
    const rsc = manifest.authorization?.permissions?.resourceSpecific ?? [];
    expect(rsc.map((p) => `${p.name}:${p.type}`).sort()).toEqual([
      'ChannelMeeting.ReadBasic.Group:Application',
      'ChannelMeetingNotification.Send.Group:Application',
      'ChannelMeetingParticipant.Read.Group:Application',
      'OnlineMeeting.ReadBasic.Chat:Application',
      'OnlineMeetingNotification.Send.Chat:Application',
      'OnlineMeetingParticipant.Read.Chat:Application',
    ]);
    // RSC is granted to the app registration the bot runs as.
    expect(manifest.webApplicationInfo?.id).toBe(ids.BOT_ID);
  });

  it('reports schema errors (the validator really runs)', async () => {
    const manifest = { ...(await renderedManifest()), id: 'not-a-guid' };
    const errors = await validateManifest(manifest);
    expect(errors.join('\n')).toMatch(/\/id/);
  });

  it('rejects a template placeholder that has no value', () => {
    expect(() => renderManifest('{"id":"${{NOPE}}"}', ids)).toThrow(/NOPE/);
  });
});

describe('readIds', () => {
  it('accepts BOT_ID or its alias MICROSOFT_APP_ID', () => {
    expect(readIds({ TEAMS_APP_ID: ids.TEAMS_APP_ID, BOT_ID: ids.BOT_ID })).toEqual(ids);
    expect(readIds({ TEAMS_APP_ID: ids.TEAMS_APP_ID, MICROSOFT_APP_ID: ids.BOT_ID.toUpperCase() })).toEqual(ids);
  });

  it('names the missing or invalid variable', () => {
    expect(() => readIds({ BOT_ID: ids.BOT_ID })).toThrow(new PackageError('TEAMS_APP_ID is missing'));
    expect(() => readIds({ TEAMS_APP_ID: ids.TEAMS_APP_ID })).toThrow(/^BOT_ID \(or MICROSOFT_APP_ID\) is missing$/);
    expect(() => readIds({ TEAMS_APP_ID: 'x', BOT_ID: ids.BOT_ID })).toThrow('TEAMS_APP_ID must be a GUID');
    expect(() => readIds({ TEAMS_APP_ID: ids.TEAMS_APP_ID, MICROSOFT_APP_ID: 'nope' })).toThrow(
      'MICROSOFT_APP_ID must be a GUID',
    );
  });
});

describe('icons', () => {
  it('colour icon is a 192x192 PNG', async () => {
    const png = readPng(await readFile(path.join(MANIFEST_DIR, 'color.png')));
    expect([png.width, png.height]).toEqual([192, 192]);
  });

  it('outline icon is a 32x32 PNG, white on transparent', async () => {
    const png = readPng(await readFile(path.join(MANIFEST_DIR, 'outline.png')));
    expect([png.width, png.height]).toEqual([32, 32]);
    expect(png.colourType).toBe(6);
    const alpha = (x: number, y: number) => png.pixels[(y * 32 + x) * 4 + 3];
    expect([alpha(0, 0), alpha(31, 0), alpha(0, 31), alpha(31, 31)]).toEqual([0, 0, 0, 0]);
    let opaque = 0;
    for (let i = 0; i < png.pixels.length; i += 4) {
      if ((png.pixels[i + 3] ?? 0) === 0) continue;
      opaque += 1;
      expect([png.pixels[i], png.pixels[i + 1], png.pixels[i + 2]]).toEqual([255, 255, 255]);
    }
    expect(opaque).toBeGreaterThan(50);
  });
});

describe('app package', () => {
  it('zips exactly manifest.json and the two icons at the root, with the ids filled in', async () => {
    const manifest = await renderedManifest();
    const colorPng = await readFile(path.join(MANIFEST_DIR, 'color.png'));
    const outlinePng = await readFile(path.join(MANIFEST_DIR, 'outline.png'));
    const zip = await JSZip.loadAsync(await buildPackage({ manifest, colorPng, outlinePng }));
    expect(Object.keys(zip.files).sort()).toEqual([...PACKAGE_ENTRIES].sort());
    expect(Object.values(zip.files).some((f) => f.dir)).toBe(false);
    const packed = JSON.parse(await zip.file('manifest.json')!.async('string')) as Manifest;
    expect(packed.id).toBe(ids.TEAMS_APP_ID);
    expect(packed.bots?.[0]?.botId).toBe(ids.BOT_ID);
    expect(await zip.file('color.png')!.async('nodebuffer')).toEqual(colorPng);
    expect(await zip.file('outline.png')!.async('nodebuffer')).toEqual(outlinePng);
  });

  it('packageApp writes the zip from environment ids', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mappa-package-'));
    try {
      const outFile = path.join(dir, 'appPackage.zip');
      const { manifest } = await packageApp({
        env: { TEAMS_APP_ID: ids.TEAMS_APP_ID, MICROSOFT_APP_ID: ids.BOT_ID },
        outFile,
        version: '2.0.0',
      });
      expect(manifest.version).toBe('2.0.0');
      const zip = await JSZip.loadAsync(await readFile(outFile));
      expect(Object.keys(zip.files).sort()).toEqual([...PACKAGE_ENTRIES].sort());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  async function packageWith(env: NodeJS.ProcessEnv) {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mappa-package-'));
    try {
      const outFile = path.join(dir, 'appPackage.zip');
      const result = await packageApp({ env: { ...ids, ...env }, outFile, version: '2.0.0' });
      const zip = await JSZip.loadAsync(await readFile(outFile));
      const packed = JSON.parse(await zip.file('manifest.json')!.async('string')) as Manifest;
      return { ...result, packed };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  it('packageApp adds the host of PUBLIC_BASE_URL to validDomains, so the meeting-stage page may open', async () => {
    const { packed, notes } = await packageWith({ PUBLIC_BASE_URL: 'https://mappa-bot.example.org/prefix/' });
    expect(packed.validDomains).toEqual(['mappa-bot.example.org']);
    expect(await validateManifest(packed)).toEqual([]);
    expect(notes).toEqual([]);
    // A non-default port is part of the host the page is served from.
    const withPort = await packageWith({ PUBLIC_BASE_URL: 'https://mappa-bot.example.org:8443' });
    expect(withPort.packed.validDomains).toEqual(['mappa-bot.example.org:8443']);
  });

  it('packageApp without PUBLIC_BASE_URL leaves validDomains as the template has it and says why', async () => {
    const template = await renderedManifest();
    const { packed, notes } = await packageWith({ PUBLIC_BASE_URL: '  ' });
    expect(packed.validDomains).toEqual(template.validDomains);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/PUBLIC_BASE_URL/);
    expect(notes[0]).toMatch(/meeting-stage/);
    expect(notes[0]).not.toContain('\n');
  });

  it('packageApp refuses a PUBLIC_BASE_URL that Teams could not open on the meeting stage', async () => {
    const outFile = path.join(os.tmpdir(), 'never.zip');
    await expect(
      packageApp({ env: { ...ids, PUBLIC_BASE_URL: 'http://mappa-bot.example.org' }, outFile }),
    ).rejects.toThrow(new PackageError('PUBLIC_BASE_URL must be an https URL'));
    await expect(packageApp({ env: { ...ids, PUBLIC_BASE_URL: 'mappa-bot.example.org' }, outFile })).rejects.toThrow(
      new PackageError('PUBLIC_BASE_URL must be an https URL'),
    );
  });

  it('packageApp refuses to run without ids', async () => {
    await expect(packageApp({ env: {}, outFile: path.join(os.tmpdir(), 'never.zip') })).rejects.toThrow(
      'TEAMS_APP_ID is missing',
    );
  });
});
