import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  Header,
  HeadingLevel,
  Packer,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import type { MinutesDocumentInput } from '../app/ports/minutes-document.port';
import { handlingStatement } from './mappa-a.docx';
import {
  copyWithheld,
  footerLine,
  minutesBlocks,
  minutesTitle,
  WITHHELD_NOTICE,
  type MinutesRow,
} from './minutes-content';

const FONT = 'Arial';
const LABEL_WIDTH = 3000;
const VALUE_WIDTH = 6026;
const BORDER = { style: BorderStyle.SINGLE, size: 4, color: 'A6A6A6' } as const;
const BORDERS = { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER };
// Control characters a user might paste are not allowed in XML and would corrupt the file.
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/* Free text keeps its line breaks; a bare TextRun would run the lines together. */
const runs = (text: string, opts: { bold?: boolean; color?: string; size?: number } = {}): TextRun[] =>
  text
    .replace(XML_INVALID, '')
    .split(/\r?\n/)
    .map((line, i) => new TextRun({ text: line, break: i > 0 ? 1 : undefined, ...opts }));

const cell = (text: string, width: number, label: boolean) =>
  new TableCell({
    width: { size: width, type: WidthType.DXA },
    borders: BORDERS,
    ...(label ? { shading: { type: ShadingType.CLEAR, fill: 'F2F2F2', color: 'auto' } } : {}),
    children: [new Paragraph({ children: runs(text, { bold: label }) })],
  });

const table = (rows: readonly MinutesRow[]) =>
  new Table({
    width: { size: LABEL_WIDTH + VALUE_WIDTH, type: WidthType.DXA },
    columnWidths: [LABEL_WIDTH, VALUE_WIDTH],
    rows: rows.map(
      (r) => new TableRow({ children: [cell(r.label, LABEL_WIDTH, true), cell(r.text, VALUE_WIDTH, false)] }),
    ),
  });

const centred = (text: string, opts: { bold?: boolean; color?: string; size?: number } = {}) =>
  new Paragraph({ alignment: AlignmentType.CENTER, children: runs(text, opts) });

/**
 * The minutes as a Word document: the marking at the top and bottom of every page, the version and
 * content hash in every footer. The input is already redacted for the reader, so a duty-to-co-operate
 * copy never contains police-only text, only the notice that it was withheld.
 */
export async function renderMinutesDocx(input: MinutesDocumentInput): Promise<Buffer> {
  const marking = input.marking.trim();
  if (marking === '') throw new Error('renderMinutesDocx: a protective marking is required');
  const body: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: runs(minutesTitle(input)) }),
    ...(copyWithheld(input) ? [new Paragraph({ children: runs(WITHHELD_NOTICE, { bold: true }) })] : []),
    new Paragraph({ heading: HeadingLevel.HEADING_2, children: runs('Handling instructions') }),
    new Paragraph({ children: runs(handlingStatement(marking)) }),
  ];
  for (const block of minutesBlocks(input))
    body.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: runs(block.heading) }), table(block.rows));
  const doc = new Document({
    title: `MAPPA B ${input.caseRef} v${input.minutes.revision}`,
    creator: `${input.areaName} MAPPA`,
    lastModifiedBy: `${input.areaName} MAPPA`,
    description: marking,
    styles: {
      default: {
        document: { run: { font: FONT, size: 21 } },
        title: { run: { font: FONT, size: 32, bold: true } },
        heading1: { run: { font: FONT, size: 26, bold: true }, paragraph: { spacing: { before: 280, after: 120 } } },
        heading2: { run: { font: FONT, size: 22, bold: true }, paragraph: { spacing: { before: 200, after: 80 } } },
      },
    },
    sections: [
      {
        headers: {
          default: new Header({
            children: [
              centred(marking, { bold: true, size: 24, color: 'C00000' }),
              centred(`${input.areaName} MAPPA · MAPPA B minutes · ${input.caseRef}`, { color: '595959' }),
            ],
          }),
        },
        footers: {
          default: new Footer({
            children: [
              centred(marking, { bold: true, size: 24, color: 'C00000' }),
              centred(footerLine(input), { color: '595959', size: 16 }),
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
