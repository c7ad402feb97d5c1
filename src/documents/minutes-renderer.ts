import type { MinutesDocumentRenderer } from '../app/ports/minutes-document.port';
import { minutesFileName } from './minutes-content';
import { renderMinutesDocx } from './minutes.docx';
import { renderMinutesPdf } from './minutes.pdf';

/** The `MinutesDocumentRenderer` port: Word or PDF, the same content either way. */
export const minutesRenderer: MinutesDocumentRenderer = {
  render: (input, format) => (format === 'pdf' ? renderMinutesPdf(input) : renderMinutesDocx(input)),
  fileName: minutesFileName,
};
