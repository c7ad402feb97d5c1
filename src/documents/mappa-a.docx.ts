import type * as DocxModule from 'docx';
import type { Paragraph, Table, TextRun } from 'docx';
import { z } from 'zod';
import {
  IsoDateTime,
  isIsoDate,
  REFERRAL_SECTIONS,
  ReferralSections,
  redactForReader,
  withheldFields,
  type ReferralSectionId,
} from '../domain';
import type { MappaADocumentInput, MappaADocumentRenderer } from '../app/ports/mappa-a-document.port';
import {
  AGENCY_KEYS,
  FACT_LISTS,
  HIDDEN,
  INLINE,
  VALUE_LABELS,
  humaniseKey,
  labelFor,
  lastKey,
  lookup,
  type Json,
} from './mappa-a-labels';

/** The port's input, under the name this module's callers and tests know. */
export type MappaADocxInput = MappaADocumentInput;

export const NOT_PROVIDED = 'Not provided';
export const NONE_RECORDED = 'None recorded';
export const WITHHELD_TEXT = 'Withheld: police-only information';

type Cell =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'bullets'; readonly items: readonly string[] }
  | { readonly kind: 'missing' }
  | { readonly kind: 'withheld' };

interface Row {
  readonly label: string;
  readonly cell: Cell;
}

interface RenderContext {
  readonly agencyNames: Readonly<Record<string, string>>;
  /** Full paths ('sections.risk.visorIntelligence') removed for this reader. */
  readonly withheld: ReadonlySet<string>;
}

/*
 * Labels keyed by a field's path inside its section first, then by its bare key; anything else
 * is derived from the camelCase key, so a field added to the schema still prints sensibly.
 */
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const clean = (s: string): string => s.replace(XML_INVALID, '');

const CIVIL_DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
const LONDON_INSTANT = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
  timeZoneName: 'short',
});

/** Calendar dates are civil UK days, so they are printed in UTC to avoid any shift. */
function formatDate(iso: string): string {
  return CIVIL_DATE.format(new Date(`${iso}T00:00:00Z`));
}

const isInstant = (s: string): boolean => IsoDateTime.safeParse(s).success;
function formatInstant(iso: string): string {
  return isInstant(iso) ? LONDON_INSTANT.format(new Date(iso)) : iso;
}

function formatScalar(path: string, value: unknown, ctx: RenderContext): string | undefined {
  const key = lastKey(path);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return key === 'levelRequested' ? `Level ${value}` : String(value);
  if (typeof value !== 'string') return undefined;
  if (value.trim() === '') return undefined;
  if (AGENCY_KEYS.has(key)) return ctx.agencyNames[value] ?? value;
  const readable = lookup(VALUE_LABELS, path);
  if (readable) return readable(value);
  if (isIsoDate(value)) return formatDate(value);
  if (isInstant(value)) return formatInstant(value);
  return value;
}

/* One line per array item; objects become "Label: value; Label: value". */
function formatItem(path: string, item: unknown, ctx: RenderContext): string | undefined {
  if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
    const parts = Object.entries(item as Json)
      .map(([k, v]) => {
        const text = Array.isArray(v)
          ? v
              .map((x) => formatScalar(`${path}.${k}`, x, ctx))
              .filter(Boolean)
              .join(', ')
          : formatScalar(`${path}.${k}`, v, ctx);
        return text ? `${labelFor(`${path}.${k}`)}: ${text}` : undefined;
      })
      .filter((p): p is string => p !== undefined);
    return parts.length > 0 ? parts.join('; ') : undefined;
  }
  return formatScalar(path, item, ctx);
}

function factList(path: string, value: Json, ctx: RenderContext): Cell {
  const items: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    const p = `${path}.${k}`;
    if (v === true) items.push(labelFor(p));
    else if (Array.isArray(v) && v.length > 0)
      items.push(`${labelFor(p)}: ${v.map((x) => formatScalar(p, x, ctx) ?? '').join(', ')}`);
    else if (typeof v === 'string' || typeof v === 'number') {
      const text = formatScalar(p, v, ctx);
      if (text) items.push(`${labelFor(p)}: ${text}`);
    }
  }
  return items.length > 0 ? { kind: 'bullets', items } : { kind: 'text', text: 'None stated' };
}

/* zod wrappers hide the object shape we flatten nested rows from. */
function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  let cur: z.ZodType = schema;
  while (
    cur instanceof z.ZodOptional ||
    cur instanceof z.ZodDefault ||
    cur instanceof z.ZodPrefault ||
    cur instanceof z.ZodNullable
  )
    cur = cur.unwrap() as z.ZodType;
  return cur instanceof z.ZodObject ? (cur.shape as Record<string, z.ZodType>) : undefined;
}

/*
 * Rows come from the schema, not the data, so every field of the form is printed ("Not provided"
 * when empty) and a police-only field removed by redaction still gets its "Withheld" row.
 */
function rowsFor(
  sectionId: ReferralSectionId,
  shape: Record<string, z.ZodType>,
  values: Json,
  prefix: string,
  ctx: RenderContext,
): Row[] {
  const rows: Row[] = [];
  for (const [key, schema] of Object.entries(shape)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const qualified = `${sectionId}.${path}`;
    if (HIDDEN.has(qualified)) continue;
    const label = labelFor(qualified);
    const value = values[key];
    if (ctx.withheld.has(`sections.${qualified}`)) {
      rows.push({ label, cell: { kind: 'withheld' } });
      continue;
    }
    const inline = INLINE[qualified];
    if (inline) {
      const text = typeof value === 'object' && value !== null ? inline(value as Json) : '';
      rows.push({ label, cell: text ? { kind: 'text', text } : { kind: 'missing' } });
      continue;
    }
    if (FACT_LISTS.has(qualified)) {
      rows.push({
        label,
        cell:
          typeof value === 'object' && value !== null ? factList(qualified, value as Json, ctx) : { kind: 'missing' },
      });
      continue;
    }
    const nested = objectShape(schema);
    if (nested) {
      rows.push(
        ...rowsFor(sectionId, nested, typeof value === 'object' && value !== null ? (value as Json) : {}, path, ctx),
      );
      continue;
    }
    if (Array.isArray(value)) {
      const items = value.map((item) => formatItem(qualified, item, ctx)).filter((s): s is string => s !== undefined);
      rows.push({ label, cell: items.length > 0 ? { kind: 'bullets', items } : { kind: 'text', text: NONE_RECORDED } });
      continue;
    }
    const text = formatScalar(qualified, value, ctx);
    rows.push({ label, cell: text === undefined ? { kind: 'missing' } : { kind: 'text', text } });
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// docx building blocks

let docxModule: typeof DocxModule | undefined;
/**
 * `docx` is loaded when the first document is rendered, not at start: it is large, and only an export
 * uses it, so an idle bot need not hold it (docs/performance.md, Memory). Node caches it after that.
 */
function docx(): typeof DocxModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous load at first use, typed by the import above
  return (docxModule ??= require('docx') as typeof DocxModule);
}

const FONT = 'Arial';
/* A4 with 2.54 cm margins leaves 9026 twips; a third for labels reads well in print. */
const LABEL_WIDTH = 3000;
const VALUE_WIDTH = 6026;
const GREY = 'F2F2F2';
const borders = () => {
  const border = { style: docx().BorderStyle.SINGLE, size: 4, color: 'A6A6A6' } as const;
  return { top: border, bottom: border, left: border, right: border };
};

/* Free text keeps its line breaks; a bare TextRun would run the lines together. */
function runs(text: string, opts: { bold?: boolean; italics?: boolean; color?: string } = {}): TextRun[] {
  const { TextRun } = docx();
  return clean(text)
    .split(/\r?\n/)
    .map((line, i) => new TextRun({ text: line, break: i > 0 ? 1 : undefined, ...opts }));
}

const para = (text: string, opts: { bold?: boolean; italics?: boolean; color?: string } = {}): Paragraph =>
  new (docx().Paragraph)({ children: runs(text, opts) });

function cellParagraphs(cell: Cell): Paragraph[] {
  const { Paragraph } = docx();
  switch (cell.kind) {
    case 'text':
      return [para(cell.text)];
    case 'bullets':
      return cell.items.map((item) => new Paragraph({ children: runs(item), bullet: { level: 0 } }));
    case 'missing':
      return [para(NOT_PROVIDED, { italics: true, color: '595959' })];
    case 'withheld':
      return [para(WITHHELD_TEXT, { bold: true, italics: true })];
  }
}

function table(rows: readonly Row[]): Table {
  const { ShadingType, Table, TableCell, TableRow, WidthType } = docx();
  const BORDERS = borders();
  return new Table({
    width: { size: LABEL_WIDTH + VALUE_WIDTH, type: WidthType.DXA },
    columnWidths: [LABEL_WIDTH, VALUE_WIDTH],
    rows: rows.map(
      (row) =>
        new TableRow({
          children: [
            new TableCell({
              width: { size: LABEL_WIDTH, type: WidthType.DXA },
              shading: { type: ShadingType.CLEAR, fill: GREY, color: 'auto' },
              borders: BORDERS,
              children: [para(row.label, { bold: true })],
            }),
            new TableCell({
              width: { size: VALUE_WIDTH, type: WidthType.DXA },
              borders: BORDERS,
              children: cellParagraphs(row.cell),
            }),
          ],
        }),
    ),
  });
}

function markingParagraph(marking: string): Paragraph {
  const { AlignmentType, Paragraph, TextRun } = docx();
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    children: [new TextRun({ text: clean(marking), bold: true, size: 24, color: 'C00000' })],
  });
}

const textRow = (label: string, text: string | undefined, whenMissing?: string): Row => ({
  label,
  cell: text ? { kind: 'text', text } : whenMissing ? { kind: 'text', text: whenMissing } : { kind: 'missing' },
});

/**
 * The MAPPA confidentiality statement (MAPPA D) in brief: the reader is handling information
 * shared to manage risk, under the Chair's control.
 */
export function handlingStatement(marking: string): string {
  return (
    `This document is marked ${marking}. It contains personal information shared between MAPPA agencies ` +
    'for the purpose of managing risk of serious harm. Do not copy it or share it onward without the ' +
    'permission of the MAPPA meeting Chair. Share it only with people who need to know, keep it in ' +
    'restricted files and delete local copies when they are no longer needed.'
  );
}

/**
 * Renders a referral as a MAPPA A Word document with the protective marking in every page header
 * and footer. Police-only fields are removed with the domain's `redactForReader` before rendering,
 * so a reader without ViSOR access gets a file that never contained them, only a "Withheld" row.
 * The subject's name appears in the body only, never in the header, footer, properties or file name.
 */
export async function renderMappaADocx(input: MappaADocxInput): Promise<Buffer> {
  const { AlignmentType, Document, Footer, Header, HeadingLevel, Packer, PageNumber, Paragraph, TextRun } = docx();
  const marking = input.marking.trim();
  if (marking === '') throw new Error('renderMappaADocx: a protective marking is required');
  const { referral } = input;
  const withheld = input.readerHasVisorAccess ? [] : withheldFields('referral', referral);
  const visible = redactForReader('referral', referral, input.readerHasVisorAccess);
  const ctx: RenderContext = { agencyNames: input.agencyNames ?? {}, withheld: new Set(withheld) };
  const reference = input.caseRef ?? referral.id;
  const title = `${input.formLabel} — Referral for Level 2/3 management`;

  const body: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: runs(title) }),
    new Paragraph({
      heading: HeadingLevel.HEADING_2,
      children: runs('Handling instructions'),
    }),
    para(handlingStatement(marking)),
  ];
  if (withheld.length > 0) {
    body.push(
      new Paragraph({
        spacing: { before: 120 },
        children: runs(
          `${withheld.length} police-only ${withheld.length === 1 ? 'field has' : 'fields have'} been withheld from ` +
            'this copy because the reader has no ViSOR access.',
          { bold: true },
        ),
      }),
    );
  }
  body.push(
    new Paragraph({ heading: HeadingLevel.HEADING_2, children: runs('Document details') }),
    table([
      textRow('MAPPA area', input.areaName),
      textRow('Case reference', input.caseRef, 'Not yet assigned'),
      textRow('Referral reference', referral.id),
      textRow('Referral status', humaniseKey(referral.status)),
      textRow('Submitted on', referral.submittedAt && formatInstant(referral.submittedAt), 'Not yet submitted'),
      textRow('Protective marking', marking),
      textRow('Generated', formatInstant(input.generatedAt)),
    ]),
  );

  REFERRAL_SECTIONS.forEach((spec, i) => {
    const shape = ReferralSections.shape[spec.id].shape as Record<string, z.ZodType>;
    const values = (visible.sections[spec.id] ?? {}) as Json;
    body.push(
      new Paragraph({ heading: HeadingLevel.HEADING_1, children: runs(`${i + 1}. ${spec.title}`) }),
      table(rowsFor(spec.id, shape, values, '', ctx)),
    );
  });

  body.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: runs('Decision') }));
  const decision = visible.decision;
  body.push(
    decision
      ? table([
          textRow('Outcome', decision.outcome === 'accepted' ? 'Accepted' : 'Declined'),
          textRow('Level', `Level ${decision.level}`),
          textRow('Rationale', decision.rationale),
          textRow('Decided by', decision.decidedBy.displayName),
          textRow('Decided', formatInstant(decision.decidedAt)),
        ])
      : para(`No decision has been recorded (status: ${humaniseKey(referral.status).toLowerCase()}).`, {
          italics: true,
        }),
  );

  const doc = new Document({
    title: `${input.formLabel} ${reference}`,
    subject: `${input.areaName} MAPPA referral`,
    creator: `${input.areaName} MAPPA`,
    lastModifiedBy: `${input.areaName} MAPPA`,
    description: marking,
    styles: {
      default: {
        document: { run: { font: FONT, size: 21 } },
        title: { run: { font: FONT, size: 36, bold: true } },
        heading1: { run: { font: FONT, size: 28, bold: true }, paragraph: { spacing: { before: 280, after: 120 } } },
        heading2: { run: { font: FONT, size: 24, bold: true }, paragraph: { spacing: { before: 200, after: 80 } } },
      },
    },
    sections: [
      {
        headers: {
          default: new Header({
            children: [
              markingParagraph(marking),
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: runs(`${input.areaName} MAPPA · ${input.formLabel} · ${reference}`, { color: '595959' }),
              }),
            ],
          }),
        },
        footers: {
          default: new Footer({
            children: [
              markingParagraph(marking),
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({
                    color: '595959',
                    children: ['Page ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES],
                  }),
                ],
              }),
            ],
          }),
        },
        children: body,
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/**
 * A file name built from references only, never from the subject's name, because file names show
 * in chat, download lists and logs: `referralDocxFileName('MAPPA-2026-0042', 'MAPPA A')` →
 * `MAPPA-A_MAPPA-2026-0042.docx`. Pass the case reference, or the referral id before there is one.
 */
export function referralDocxFileName(reference: string, formLabel: string): string {
  const safe = (s: string): string =>
    s
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9-]+/g, '-')
      .replace(/-{2,}/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60);
  const form = safe(formLabel) || 'MAPPA-A';
  const ref = safe(reference) || 'referral';
  return `${form}_${ref}.docx`;
}

/** The `MappaADocumentRenderer` port as a Word document. */
export const docxMappaARenderer: MappaADocumentRenderer = {
  render: renderMappaADocx,
  fileName: referralDocxFileName,
};
