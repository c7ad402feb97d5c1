import '../../src/http/restify-compat';
import { createHash } from 'node:crypto';
import { createLogger } from '../../src/config/logger';
import { MEETING_TURN_PATH, registerMeetingTurnRoutes } from '../../src/http/meeting-turn.route';
import { createHttpServer, type HttpServer } from '../../src/http/server';
import { startTestApp, type TestApp } from '../support/app';

/*
 * The page a targeted "your turn" notification opens on the Teams meeting stage, served by the same
 * server (and guard) as the bot. It is fetched over a real socket so the headers are the ones sent.
 */

let http: HttpServer;
let base: string;

beforeAll(async () => {
  http = createHttpServer({
    handleMessages: async () => undefined,
    logger: createLogger('silent'),
    dbReady: async () => true,
    registerRoutes: (server) => registerMeetingTurnRoutes(server, { jurisdiction: 'england-wales' }),
  });
  const { port } = await http.listen(0, '127.0.0.1');
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await http.drain(1000);
});

async function page(query: string) {
  const res = await fetch(`${base}${MEETING_TURN_PATH}${query}`);
  return { status: res.status, headers: res.headers, body: await res.text() };
}

const GENERIC = 'It is your turn to give your update';
const RETURN = 'Return to the meeting chat to open your update card.';

describe('GET /meeting/turn', () => {
  it("names the agency from the area's catalogue and says where the update card is", async () => {
    const { status, headers, body } = await page('?agency=police');
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(body).toContain('Police: it is your turn to give your update');
    expect(body).toContain(RETURN);
    expect(body).toMatch(/^<!doctype html>/i);
    expect(body).toContain('<html lang="en-GB">');
  });

  it('escapes the catalogue name as HTML text', async () => {
    const { body } = await page('?agency=la-childrens-services');
    expect(body).toContain('Local authority children&#39;s social care: it is your turn to give your update');
    expect(body).not.toContain("children's");
  });

  it.each([
    ['no agency', ''],
    ['an empty agency', '?agency='],
    ['an agency this jurisdiction does not list', '?agency=sps'],
    ['an unknown slug', '?agency=ghost-agency-7731'],
    ['markup', `?agency=${encodeURIComponent('<script>alert(7731)</script>')}`],
    ['an attribute break-out', `?agency=${encodeURIComponent('police"><img src=x onerror=alert(7731)>')}`],
    ['the name instead of the id', `?agency=${encodeURIComponent('Police')}`],
    ['an over-long value', `?agency=${'a'.repeat(5000)}`],
    ['a repeated parameter', '?agency=police&agency=ghost-agency-7731'],
  ])('shows the generic page and never the query text for %s', async (_what, query) => {
    const { status, body } = await page(query);
    expect(status).toBe(200);
    expect(body).toContain(GENERIC);
    expect(body).toContain(RETURN);
    expect(body).not.toMatch(/: it is your turn/);
    expect(body).not.toMatch(/7731|ghost|<script|<img|onerror|aaaaaaaa/i);
  });

  it('sends a strict policy: nothing loads, no script runs, and only Teams may frame it', async () => {
    const { headers, body } = await page('?agency=probation');
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('cache-control')).toBe('no-store');
    expect(headers.get('referrer-policy')).toBe('no-referrer');
    const csp = Object.fromEntries(
      (headers.get('content-security-policy') ?? '')
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values]),
    );
    expect(csp['default-src']).toEqual(["'none'"]);
    expect(csp['base-uri']).toEqual(["'none'"]);
    expect(csp['form-action']).toEqual(["'none'"]);
    expect(csp['script-src']).toBeUndefined();
    expect(csp['frame-ancestors']).toEqual([
      'https://teams.microsoft.com',
      'https://*.teams.microsoft.com',
      'https://*.cloud.microsoft',
    ]);
    // The one inline style is allowed by its hash, not by 'unsafe-inline'.
    const style = /<style>([\s\S]*?)<\/style>/.exec(body)?.[1];
    expect(style).toBeDefined();
    const hash = createHash('sha256')
      .update(style ?? '', 'utf8')
      .digest('base64');
    expect(csp['style-src']).toEqual([`'sha256-${hash}'`]);
    expect(body).not.toMatch(/<script|<link|<iframe|\bsrc=|https?:\/\//i);
    expect(headers.get('x-frame-options')).toBeNull();
  });

  it('answers only GET', async () => {
    const res = await fetch(`${base}${MEETING_TURN_PATH}?agency=police`, { method: 'POST' });
    expect(res.status).toBe(405);
    await res.text();
  });
});

describe('the turn page as the composition root wires it', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('turnpage', { MAPPA_JURISDICTION: 'scotland' });
  });
  afterAll(async () => {
    await t.stop();
  });

  it("names agencies from the area's own jurisdiction", async () => {
    const scottish = await fetch(`${t.url}${MEETING_TURN_PATH}?agency=sps`);
    expect(scottish.status).toBe(200);
    expect(await scottish.text()).toContain('Scottish Prison Service: it is your turn to give your update');
    // An England and Wales id is not an agency of a Scottish area.
    expect(await (await fetch(`${t.url}${MEETING_TURN_PATH}?agency=police`)).text()).toContain(GENERIC);
  });
});
