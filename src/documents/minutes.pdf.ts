import PDFDocument from 'pdfkit';
import type { MinutesDocumentInput } from '../app/ports/minutes-document.port';
import { handlingStatement } from './mappa-a.docx';
import { copyWithheld, hashLine, minutesBlocks, minutesTitle, versionLine, WITHHELD_NOTICE } from './minutes-content';

const MARGIN = 56;
const BAND = 40;
const RED = '#C00000';
const GREY = '#595959';
// The standard PDF fonts cover Latin-1 plus typographic punctuation; control characters would print as boxes.
// eslint-disable-next-line no-control-regex
const clean = (s: string) => s.replace(/[\u0000-\u0009\u000B-\u001F\uFFFE\uFFFF]/g, '');

/**
 * The minutes as a PDF with the same words as the Word document (both come from `minutesBlocks`):
 * the marking in every page's header and footer, the version and content hash in every footer.
 * Pages are buffered so the bands are drawn on each once the body has flowed.
 */
export function renderMinutesPdf(input: MinutesDocumentInput): Promise<Buffer> {
  const marking = input.marking.trim();
  if (marking === '') return Promise.reject(new Error('renderMinutesPdf: a protective marking is required'));
  const doc = new PDFDocument({
    size: 'A4',
    bufferPages: true,
    margins: { top: MARGIN + BAND, bottom: MARGIN + BAND, left: MARGIN, right: MARGIN },
    info: {
      Title: `MAPPA B ${input.caseRef} v${input.minutes.revision}`,
      Author: `${input.areaName} MAPPA`,
      Subject: marking,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  doc
    .font('Helvetica-Bold')
    .fontSize(16)
    .text(clean(minutesTitle(input)));
  if (copyWithheld(input)) doc.moveDown(0.3).fontSize(10).text(clean(WITHHELD_NOTICE));
  doc.moveDown(0.5).fontSize(11).text('Handling instructions');
  doc
    .font('Helvetica')
    .fontSize(9.5)
    .text(clean(handlingStatement(marking)));
  for (const block of minutesBlocks(input)) {
    doc.moveDown(0.8).font('Helvetica-Bold').fontSize(12).fillColor('black').text(clean(block.heading));
    for (const row of block.rows) {
      doc.moveDown(0.25);
      if (row.label) doc.font('Helvetica-Bold').fontSize(9.5).text(clean(row.label));
      doc
        .font('Helvetica')
        .fontSize(9.5)
        .text(clean(row.text), { indent: row.label ? 12 : 0 });
    }
  }

  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i += 1) {
    doc.switchToPage(i);
    // Writing inside the margins would otherwise start a new page.
    const { bottom } = doc.page.margins;
    doc.page.margins.bottom = 0;
    const width = doc.page.width - 2 * MARGIN;
    const band = (y: number, text: string, color: string, font: string, size: number) =>
      doc.font(font).fontSize(size).fillColor(color).text(clean(text), MARGIN, y, { width, align: 'center' });
    band(MARGIN - 16, marking, RED, 'Helvetica-Bold', 11);
    band(MARGIN, `${input.areaName} MAPPA · MAPPA B minutes · ${input.caseRef}`, GREY, 'Helvetica', 8);
    const foot = doc.page.height - MARGIN - BAND + 8;
    band(foot, marking, RED, 'Helvetica-Bold', 11);
    band(foot + 14, `${versionLine(input)} · Page ${i - range.start + 1} of ${range.count}`, GREY, 'Helvetica', 7);
    band(foot + 24, hashLine(input), GREY, 'Helvetica', 7);
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
