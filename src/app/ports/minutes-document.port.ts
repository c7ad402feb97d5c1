import type { Minutes } from '../../domain';

export const MinutesDocumentFormats = ['docx', 'pdf'] as const;
export type MinutesDocumentFormat = (typeof MinutesDocumentFormats)[number];

/** What a minutes document needs; already authorised, and already redacted for the reader. */
export interface MinutesDocumentInput {
  /** As the reader may see them: police-only text already removed for duty-to-co-operate readers. */
  readonly minutes: Minutes;
  readonly caseRef: string;
  readonly areaName: string;
  /** Printed in every page header and footer, e.g. 'OFFICIAL-SENSITIVE'. */
  readonly marking: string;
  /** ISO 8601 instant the document was made. */
  readonly generatedAt: string;
  /** False when police-only text was withheld: the document says so where it was. */
  readonly readerHasVisorAccess: boolean;
  /** True when police-only text was removed from this copy (default: whenever the reader has no ViSOR access). */
  readonly withheld?: boolean;
  readonly agencyNames?: Readonly<Record<string, string>>;
}

/** Renders minutes as a file; src/documents implements it as Word and as PDF. */
export interface MinutesDocumentRenderer {
  render(input: MinutesDocumentInput, format: MinutesDocumentFormat): Promise<Buffer>;
  /** From references only (never a person's name): `MAPPA-B_<case ref>_v<revision>.<format>`. */
  fileName(caseRef: string, revision: number, format: MinutesDocumentFormat): string;
}
