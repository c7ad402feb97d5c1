import {
  AlignmentType,
  Document,
  Footer,
  Header,
  HeadingLevel,
  ImageRun,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { CHART_SIZE } from '../app/stats/chart-spec';
import type { StatsReport } from '../app/stats/report.schema';
import { formatUkDate } from '../domain/format';
import { handlingStatement } from './mappa-a.docx';

const FONT = 'Arial';
const centred = (text: string, bold = false) =>
  new Paragraph({
    alignment: AlignmentType.CENTER,
    children: [new TextRun({ text, bold, color: bold ? 'C00000' : '595959' })],
  });
const cell = (text: string, bold = false) =>
  new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold })] })] });

/**
 * The statistics as a Word document: the marking in every header and footer, the chart, then each
 * table with its suppressed figures, exactly as the CSV has them.
 */
export async function renderStatsDocx(report: StatsReport, chartPng: Buffer, marking: string): Promise<Buffer> {
  if (marking.trim() === '') throw new Error('renderStatsDocx: a protective marking is required');
  const period = `${formatUkDate(report.period.from)} to ${formatUkDate(report.period.to)}`;
  const body: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(`MAPPA statistics: ${report.areaName}`)] }),
    new Paragraph({ children: [new TextRun(`Period ${period}; figures as at ${formatUkDate(report.asAt)}.`)] }),
    new Paragraph({
      children: [
        new TextRun(
          `[c]: a count from 1 to ${report.threshold - 1}, or a figure hidden because it would reveal one (statistical disclosure control).`,
        ),
      ],
    }),
    new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun('Handling instructions')] }),
    new Paragraph({ children: [new TextRun(handlingStatement(marking))] }),
    new Paragraph({
      children: [
        new ImageRun({
          type: 'png',
          data: chartPng,
          transformation: { width: CHART_SIZE.width * 0.85, height: CHART_SIZE.height * 0.85 },
          altText: {
            name: 'Chart',
            title: 'Chart',
            description: 'People managed by category and level; timeliness by month',
          },
        }),
      ],
    }),
  ];
  for (const t of report.tables) {
    body.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(t.title)] }));
    body.push(
      new Table({
        width: { size: 100, type: WidthType.PERCENTAGE },
        rows: [
          new TableRow({ tableHeader: true, children: [cell('', true), ...t.columns.map((c) => cell(c, true))] }),
          ...t.rows.map(
            (r) => new TableRow({ children: [cell(r.label, r.label === 'Total'), ...r.cells.map((c) => cell(c))] }),
          ),
        ],
      }),
    );
  }
  const doc = new Document({
    title: `MAPPA statistics ${period}`,
    creator: `${report.areaName} MAPPA`,
    description: marking,
    styles: { default: { document: { run: { font: FONT, size: 21 } } } },
    sections: [
      {
        headers: {
          default: new Header({
            children: [centred(marking, true), centred(`${report.areaName} MAPPA · statistics · ${period}`)],
          }),
        },
        footers: { default: new Footer({ children: [centred(marking, true)] }) },
        children: body,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
