import { randomBytes } from 'node:crypto';
import JSZip from 'jszip';
import { approveMinutes, compileMinutes } from '../../src/app/minutes';
import { downloadDocumentByLink, minutesLink, type MinutesExportDeps } from '../../src/app/minutes-export';
import type { MinutesDocumentFormat } from '../../src/app/ports/minutes-document.port';
import { MINUTES_SECTIONS, type Minutes } from '../../src/domain';
import type { Principal } from '../../src/domain/policy';
import { WITHHELD_NOTICE } from '../../src/documents/minutes-content';
import { minutesRenderer } from '../../src/documents/minutes-renderer';
import { hmacDownloadLinkSigner } from '../../src/documents/signed-link';
import { unwrap } from '../../src/lib/result';
import { MongoLinkClaims } from '../../src/store/link-claims.repository';
import { pdfPageTexts } from '../support/pdf-text';
import {
  holdFiveAgencyMeeting,
  SECRET,
  setUpFiveAgencyCase,
  type FiveAgencySetup,
} from '../support/five-agency-meeting';

const MARKING = 'OFFICIAL-SENSITIVE';
const WITHHELD_LINE = 'Police-only information withheld from this copy';

const decode = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
/* The text of every paragraph of the given parts, in order. */
const paragraphs = (xml: string) =>
  [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((p) =>
    [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => decode(t[1] ?? '')).join(''),
  );

async function docxText(body: Buffer): Promise<{ body: string; headers: string; footers: string }> {
  const zip = await JSZip.loadAsync(body);
  const part = async (re: RegExp) =>
    (
      await Promise.all(
        Object.keys(zip.files)
          .filter((n) => re.test(n))
          .map(async (n) => paragraphs(await zip.file(n)!.async('string')).join('\n')),
      )
    ).join('\n');
  return {
    body: await part(/^word\/document\.xml$/),
    headers: await part(/^word\/header\d*\.xml$/),
    footers: await part(/^word\/footer\d*\.xml$/),
  };
}

describe('minutes as DOCX and PDF through the single-use link', () => {
  let s: FiveAgencySetup;
  let approved: Minutes;
  let deps: MinutesExportDeps;

  beforeAll(async () => {
    s = await setUpFiveAgencyCase('minutes_docs');
    const meeting = await holdFiveAgencyMeeting(s, s.depsOn(), { minuteTaker: 'Noor Inventedname' });
    const draft = unwrap(await compileMinutes(s.depsOn(), meeting.id)).minutes;
    approved = unwrap(await approveMinutes(s.depsOn(), s.p.chair!, draft.id, { version: draft.version }));
    const byId = new Map(Object.values(s.p).map((p) => [p.aadObjectId, p]));
    deps = {
      referrals: { ...s.depsOn(), listChairs: async () => [] } as never,
      audit: s.store.repos.audit,
      clock: s.store.clock,
      claims: new MongoLinkClaims(s.store.db),
      signer: hmacDownloadLinkSigner(randomBytes(32)),
      document: { render: async () => Buffer.alloc(0), fileName: () => 'x' },
      baseUrl: () => 'http://127.0.0.1:3978',
      marking: MARKING,
      ttlSeconds: 300,
      principalOf: async (id) => byId.get(id) ?? null,
      minutes: s.depsOn(),
      minutesDocument: minutesRenderer,
    };
  });
  afterAll(() => s.store.close());

  async function download(reader: Principal, format: MinutesDocumentFormat) {
    const link = await minutesLink(deps, reader, approved.id, format);
    if (!link) throw new Error('no link');
    const token = link.split('/').at(-1)!;
    const file = unwrap(await downloadDocumentByLink(deps, token));
    // Single use: the same link again is refused.
    expect(await downloadDocumentByLink(deps, token)).toMatchObject({ ok: false, error: { status: 410 } });
    return file;
  }

  const headings = MINUTES_SECTIONS.map((sec) => sec.title);

  it('DOCX: marking in header and footer, version and hash in the footer, every section, police-only text only for police', async () => {
    const dtc = await download(s.p.housing!, 'docx');
    expect(dtc.fileName).toBe(`MAPPA-B_${s.caseRecord.ref}_v1.docx`);
    const text = await docxText(dtc.body);
    expect(text.headers).toContain(MARKING);
    expect(text.footers).toContain(MARKING);
    expect(text.footers).toContain(`Version 1 (approved)`);
    expect(text.footers).toContain(approved.contentHash!);
    for (const h of headings) expect(text.body).toContain(h);
    expect(text.body).toContain('report in lieu of attendance');
    expect(text.body).toContain('Dissent (Local housing authority)');
    expect(text.body).toContain('Local authority children');
    expect(text.body).toContain(WITHHELD_NOTICE);
    expect(JSON.stringify(text)).not.toContain(SECRET);
    expect(dtc.body.toString('latin1')).not.toContain('Dockside');
    // A visible line where the text was removed, and one at the top of the copy.
    const withheldLines = text.body.split('\n').filter((l) => l.includes(WITHHELD_LINE));
    expect(withheldLines.length).toBeGreaterThanOrEqual(2);
    expect(text.body.indexOf(WITHHELD_LINE)).toBeLessThan(text.body.indexOf(headings[0]!));
    // The minute-taker named at start meeting is in the meeting details.
    expect(text.body).toContain('Minute-taker');
    expect(text.body).toContain('Noor Inventedname');

    const police = await docxText((await download(s.p.police2!, 'docx')).body);
    expect(police.body).toContain(SECRET);
    expect(police.body).not.toContain(WITHHELD_LINE);
  });

  it('PDF: marking at the top and bottom of every page, version and hash on each, every section, redacted for DTC', async () => {
    const dtc = await download(s.p.housing!, 'pdf');
    expect(dtc.fileName).toBe(`MAPPA-B_${s.caseRecord.ref}_v1.pdf`);
    const pages = await pdfPageTexts(dtc.body);
    expect(pages.length).toBeGreaterThan(1);
    // The bands are drawn after the body, so pdf.js reads them last on each page: header, then footer.
    pages.forEach((page, i) => {
      const lines = page.split('\n').filter((l) => l.trim() !== '');
      expect(lines.slice(-5)).toEqual([
        MARKING,
        expect.stringContaining(s.caseRecord.ref),
        MARKING,
        `Version 1 (approved) · Page ${i + 1} of ${pages.length}`,
        `SHA-256 ${approved.contentHash!}`,
      ]);
    });
    const all = pages.join('\n');
    for (const h of headings) expect(all).toContain(h);
    expect(all).toContain(WITHHELD_NOTICE.slice(0, 40));
    expect(all).not.toContain('Dockside');
    expect(all.split(WITHHELD_LINE).length - 1).toBeGreaterThanOrEqual(2);
    expect(all).toContain('Noor Inventedname');

    const police = (await pdfPageTexts((await download(s.p.police2!, 'pdf')).body)).join('\n');
    expect(police).toContain('Dockside');
    expect(police).not.toContain(WITHHELD_LINE);
  });

  it('re-checks permission at download and audits each download; an outsider gets no link', async () => {
    expect(await minutesLink(deps, s.p.outsider!, approved.id, 'pdf')).toBeNull();
    const link = (await minutesLink(deps, s.p.health!, approved.id, 'docx'))!;
    const removed = { ...deps, principalOf: async () => null };
    expect(await downloadDocumentByLink(removed, link.split('/').at(-1)!)).toMatchObject({
      ok: false,
      error: { status: 403 },
    });
    const events = await s.store.repos.audit.listForEntity('minutes', approved.id);
    const docs = events.filter((e) => e.action === 'minutes.viewed' && typeof e.details.document === 'string');
    expect(docs.map((e) => [e.details.document, e.details.redacted])).toEqual([
      ['minutes_docx', true],
      ['minutes_docx', false],
      ['minutes_pdf', true],
      ['minutes_pdf', false],
    ]);
  });

  it('says clearly when a document cannot be produced, and loses nothing: the minutes and a new link still work', async () => {
    const broken: MinutesExportDeps = {
      ...deps,
      minutesDocument: {
        render: async () => {
          throw new Error('the PDF library failed');
        },
        fileName: minutesRenderer.fileName,
      },
    };
    const link = (await minutesLink(broken, s.p.chair!, approved.id, 'pdf'))!;
    const failed = await downloadDocumentByLink(broken, link.split('/').at(-1)!);
    expect(failed).toMatchObject({ ok: false, error: { status: 503, code: 'DOCUMENT_UNAVAILABLE' } });
    if (failed.ok) throw new Error('expected a failure');
    expect(failed.error.message).toContain('could not be produced');
    expect(failed.error.message).toContain('unchanged');
    // Nothing lost: the approved minutes are as they were, and a fresh link gives the document.
    const after = unwrap(await s.store.repos.minutes.get(approved.id));
    expect(after.contentHash).toBe(approved.contentHash);
    expect(after.version).toBe(approved.version);
    const again = (await minutesLink(deps, s.p.chair!, approved.id, 'pdf'))!;
    expect(unwrap(await downloadDocumentByLink(deps, again.split('/').at(-1)!)).body.length).toBeGreaterThan(0);
  });
});
