import type { MinutesDocumentRenderer } from '../app/ports/minutes-document.port';
import { minutesFileName } from './minutes-content';
import type * as DocxRenderer from './minutes.docx';
import type * as PdfRenderer from './minutes.pdf';

// docx and pdfkit are large and only needed when someone downloads minutes: loading them at first use
// keeps them out of the idle bot's memory (docs/performance.md, idle RSS).
let docx: typeof DocxRenderer | undefined;
let pdf: typeof PdfRenderer | undefined;
/* eslint-disable @typescript-eslint/no-require-imports -- a synchronous load at first use, typed by the imports above */
const docxRenderer = () => (docx ??= require('./minutes.docx') as typeof DocxRenderer);
const pdfRenderer = () => (pdf ??= require('./minutes.pdf') as typeof PdfRenderer);
/* eslint-enable @typescript-eslint/no-require-imports */

/** The `MinutesDocumentRenderer` port: Word or PDF, the same content either way. */
export const minutesRenderer: MinutesDocumentRenderer = {
  render: (input, format) =>
    format === 'pdf' ? pdfRenderer().renderMinutesPdf(input) : docxRenderer().renderMinutesDocx(input),
  fileName: minutesFileName,
};
