import { createHash } from 'node:crypto';
import type restify from 'restify';
import { z } from 'zod';
import { defaultAgencies } from '../domain/agency-catalogue';
import { AgencyId, type Jurisdiction } from '../domain/common.schema';

/** Opened on the Teams meeting stage by the targeted "your turn" notification (src/bot/meeting-events). */
export const MEETING_TURN_PATH = '/meeting/turn';

export interface MeetingTurnRouteDeps {
  /** Names come from this jurisdiction's statutory catalogue: the page does no database work. */
  readonly jurisdiction: Jurisdiction;
}

// Exactly one agency id; a repeated parameter is as untrustworthy as a malformed one.
const TurnQuery = z.object({ agency: z.tuple([AgencyId]).transform(([id]) => id) });

/*
 * Teams hosts that may frame the page (Microsoft's tab requirements: teams.microsoft.com and its
 * subdomains, and *.cloud.microsoft, where the web clients are moving). Outlook and the Microsoft 365
 * app are left out: the meeting stage exists only in Teams.
 */
const FRAME_ANCESTORS = ['https://teams.microsoft.com', 'https://*.teams.microsoft.com', 'https://*.cloud.microsoft'];

const STYLE =
  'body{margin:0;font-family:"Segoe UI",system-ui,sans-serif;background:#fff;color:#242424}' +
  'main{padding:16px 20px}h1{font-size:18px;font-weight:600;margin:0 0 8px}p{font-size:14px;margin:0}' +
  '@media (prefers-color-scheme:dark){body{background:#1f1f1f;color:#fff}}';

// No script at all, and the one inline style by hash, so an injected tag could neither run nor load.
const CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE, 'utf8').digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  `frame-ancestors ${FRAME_ANCESTORS.join(' ')}`,
].join('; ');

const HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
};

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);

function pageFor(headline: string): Buffer {
  return Buffer.from(
    [
      '<!doctype html>',
      '<html lang="en-GB">',
      '<head>',
      '<meta charset="utf-8">',
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      '<title>Your turn</title>',
      `<style>${STYLE}</style>`,
      '</head>',
      '<body>',
      '<main>',
      `<h1>${escapeHtml(headline)}</h1>`,
      '<p>Return to the meeting chat to open your update card.</p>',
      '</main>',
      '</body>',
      '</html>',
      '',
    ].join('\n'),
    'utf8',
  );
}

/**
 * GET /meeting/turn?agency=<id>: "<Agency>: it is your turn to give your update". Every possible page
 * is built up front from the catalogue, so nothing from the query ever reaches the response; an id the
 * catalogue does not list gets the generic page.
 */
export function registerMeetingTurnRoutes(server: restify.Server, deps: MeetingTurnRouteDeps): void {
  const pages = new Map(
    defaultAgencies(deps.jurisdiction).map((a) => [a.id, pageFor(`${a.name}: it is your turn to give your update`)]),
  );
  const generic = pageFor('It is your turn to give your update');
  server.get(MEETING_TURN_PATH, (req, res, next) => {
    const query = TurnQuery.safeParse({ agency: new URLSearchParams(req.getQuery()).getAll('agency') });
    const body = (query.success ? pages.get(query.data.agency) : undefined) ?? generic;
    res.writeHead(200, { ...HEADERS, 'Content-Length': body.length });
    res.end(body);
    return next();
  });
}
