import JSZip from 'jszip';
import { REFERRAL_SECTIONS } from '../../../src/domain';
import {
  NOT_PROVIDED,
  WITHHELD_TEXT,
  docxMappaARenderer,
  referralDocxFileName,
  renderMappaADocx,
  type MappaADocxInput,
} from '../../../src/documents/mappa-a.docx';
import { humaniseKey } from '../../../src/documents/mappa-a-labels';
import { aReferral, COORDINATOR, completeReferralSections } from '../../fixtures/domain-builders';

const MARKING = 'OFFICIAL-SENSITIVE';

interface Parsed {
  readonly files: Readonly<Record<string, string>>;
  readonly body: string[];
  readonly headers: string[];
  readonly footers: string[];
}

const decode = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/* Paragraph texts in document order; good enough for WordprocessingML produced by one library. */
function paragraphs(xml: string): string[] {
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((p) =>
    [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => decode(t[1] ?? '')).join(''),
  );
}

async function render(overrides: Partial<MappaADocxInput> = {}): Promise<Parsed> {
  const buffer = await renderMappaADocx({
    referral: aReferral({ status: 'submitted', submittedAt: '2026-01-14T10:30:00Z' }),
    areaName: 'Test Shire',
    formLabel: 'MAPPA A',
    marking: MARKING,
    caseRef: 'MAPPA-2026-0042',
    generatedAt: '2026-02-01T12:00:00Z',
    readerHasVisorAccess: false,
    agencyNames: { probation: 'Probation Service', 'housing-authority': 'Testtown Housing' },
    ...overrides,
  });
  const zip = await JSZip.loadAsync(buffer);
  const files: Record<string, string> = {};
  for (const name of Object.keys(zip.files)) {
    const file = zip.file(name);
    if (file) files[name] = await file.async('string');
  }
  const partsMatching = (re: RegExp): string[] =>
    Object.keys(files)
      .filter((n) => re.test(n))
      .flatMap((n) => paragraphs(files[n] ?? ''));
  return {
    files,
    body: paragraphs(files['word/document.xml'] ?? ''),
    headers: partsMatching(/^word\/header\d*\.xml$/),
    footers: partsMatching(/^word\/footer\d*\.xml$/),
  };
}

const allText = (p: Parsed): string => Object.values(p.files).join('\n');

describe('renderMappaADocx', () => {
  it('puts the protective marking in the page header and footer used by every page', async () => {
    const doc = await render();
    expect(doc.headers).toContain(MARKING);
    expect(doc.footers).toContain(MARKING);
    // Only a default header/footer (no first-page or even-page variants) means every page gets them.
    const sectPr = /<w:sectPr[\s\S]*?<\/w:sectPr>/.exec(doc.files['word/document.xml'] ?? '')?.[0] ?? '';
    expect(sectPr).toMatch(/<w:headerReference w:type="default"/);
    expect(sectPr).toMatch(/<w:footerReference w:type="default"/);
    expect(sectPr).not.toMatch(/w:type="(first|even)"/);
    expect(sectPr).not.toMatch(/<w:titlePg/);
  });

  it('starts with the title and the handling statement', async () => {
    const { body } = await render();
    expect(body[0]).toBe('MAPPA A — Referral for Level 2/3 management');
    const statement = body.find((p) => p.includes('Chair'));
    expect(statement).toMatch(/Do not copy it or share it onward without the permission of the MAPPA meeting Chair/);
    expect(statement).toMatch(/need to know/);
  });

  it('has one heading per section in REFERRAL_SECTIONS order, then the decision', async () => {
    const { body } = await render();
    const positions = REFERRAL_SECTIONS.map((s, i) => body.indexOf(`${i + 1}. ${s.title}`));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(body.indexOf('Decision')).toBeGreaterThan(positions[positions.length - 1] ?? Infinity);
  });

  it('shows field values as label | value rows, with lists, readable codes and "Not provided"', async () => {
    const { body } = await render();
    const after = (label: string): string | undefined => body[body.indexOf(label) + 1];
    expect(after('Index offence(s)')).toBe('Wounding with intent (s.18)');
    expect(after('Name')).toBe('Terry Imaginary');
    expect(after('Date of birth')).toBe('1 April 1990');
    expect(after('MAPPA category')).toBe('Category 2');
    expect(after('RoSH to a known adult')).toBe('High');
    expect(after('Level requested')).toBe('Level 2');
    expect(after('Approved release address')).toBe(NOT_PROVIDED);
    expect(body).toContain(
      'Agency: Testtown Housing; Involvement: Housing options; Contribution required: Suitable address away from victim',
    );
  });

  it('withholds police-only fields from a reader without ViSOR access', async () => {
    const doc = await render({ readerHasVisorAccess: false });
    const everything = allText(doc);
    expect(everything).not.toContain('VIS-0001');
    expect(everything).not.toContain('Police-only note');
    expect(doc.body[doc.body.indexOf('ViSOR reference') + 1]).toBe(WITHHELD_TEXT);
    expect(doc.body[doc.body.indexOf('ViSOR / police-only intelligence') + 1]).toBe(WITHHELD_TEXT);
    expect(doc.body.some((p) => p.startsWith('2 police-only fields have been withheld'))).toBe(true);
  });

  it('shows police-only fields to a ViSOR reader', async () => {
    const doc = await render({ readerHasVisorAccess: true });
    expect(doc.body[doc.body.indexOf('ViSOR reference') + 1]).toBe('VIS-0001');
    expect(doc.body[doc.body.indexOf('ViSOR / police-only intelligence') + 1]).toBe('Police-only note');
    expect(allText(doc)).not.toContain(WITHHELD_TEXT);
  });

  it('escapes markup and ampersands in free text instead of injecting XML', async () => {
    const hostile = 'Said "</w:t></w:r><w:r><w:t>INJECTED" & <b>left</b> \u0001';
    const sections = completeReferralSections();
    sections.offence.briefFacts = [hostile];
    const doc = await render({ referral: aReferral({ sections }) });
    const xml = doc.files['word/document.xml'] ?? '';
    expect(xml).not.toContain('<w:t>INJECTED');
    expect(xml).not.toMatch(/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/);
    expect(xml).not.toContain('\u0001');
    expect(doc.body).toContain(hostile.replace('\u0001', ''));
  });

  it('keeps the subject name out of headers, footers and document properties', async () => {
    const doc = await render();
    const outsideBody = Object.entries(doc.files)
      .filter(([name]) => name !== 'word/document.xml')
      .map(([, xml]) => xml)
      .join('\n');
    expect(outsideBody).not.toContain('Imaginary');
    expect(doc.headers.join(' ')).toContain('MAPPA-2026-0042');
  });

  it('prints the decision at the end once one is recorded', async () => {
    const referral = aReferral({
      status: 'accepted',
      decision: {
        outcome: 'accepted',
        level: 2,
        rationale: 'Level 2 meetings will co-ordinate housing and victim safety.',
        decidedBy: COORDINATOR,
        decidedAt: '2026-01-20T15:00:00Z',
      },
    });
    const { body } = await render({ referral });
    const tail = body.slice(body.indexOf('Decision'));
    expect(tail).toEqual(expect.arrayContaining(['Accepted', 'Level 2', COORDINATOR.displayName]));
    expect(tail).toContain('20 January 2026 at 15:00 GMT');
  });

  it('renders an empty draft with every section and "Not provided" values', async () => {
    const { body } = await render({ referral: aReferral({ sections: {} }), caseRef: undefined });
    for (const [i, s] of REFERRAL_SECTIONS.entries()) expect(body).toContain(`${i + 1}. ${s.title}`);
    expect(body.filter((p) => p === NOT_PROVIDED).length).toBeGreaterThan(20);
    expect(body.some((p) => p.startsWith('No decision has been recorded'))).toBe(true);
  });

  it('refuses to render without a marking', async () => {
    await expect(render({ marking: '  ' })).rejects.toThrow(/marking/);
  });
});

describe('referralDocxFileName', () => {
  it('builds a safe name from the form label and reference', () => {
    expect(referralDocxFileName('MAPPA-2026-0042', 'MAPPA A')).toBe('MAPPA-A_MAPPA-2026-0042.docx');
  });

  it('strips path separators and other unsafe characters', () => {
    expect(referralDocxFileName('../ref/1:2?*', 'Form "A"')).toBe('Form-A_ref-1-2.docx');
    expect(referralDocxFileName('', '')).toBe('MAPPA-A_referral.docx');
  });
});

describe('docxMappaARenderer (the MappaADocumentRenderer port)', () => {
  it('renders the same document and file name as the module functions', async () => {
    const input: MappaADocxInput = {
      referral: aReferral({ status: 'submitted', submittedAt: '2026-01-14T10:30:00Z' }),
      areaName: 'Test Shire',
      formLabel: 'MAPPA A',
      marking: MARKING,
      generatedAt: '2026-02-01T12:00:00Z',
      readerHasVisorAccess: false,
    };
    const viaPort = await JSZip.loadAsync(await docxMappaARenderer.render(input));
    const direct = await JSZip.loadAsync(await renderMappaADocx(input));
    expect(await viaPort.file('word/document.xml')!.async('string')).toBe(
      await direct.file('word/document.xml')!.async('string'),
    );
    expect(docxMappaARenderer.fileName('MAPPA-2026-0042', 'MAPPA A')).toBe('MAPPA-A_MAPPA-2026-0042.docx');
  });
});

describe('humaniseKey', () => {
  it('turns camelCase keys into sentence-case labels', () => {
    expect(humaniseKey('dateOfBirth')).toBe('Date of birth');
    expect(humaniseKey('areaOfClosestLinks')).toBe('Area of closest links');
  });
});
