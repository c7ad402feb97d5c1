import type { Referral } from '../../domain';

/** What the MAPPA A export needs; everything is already authorised and resolved by the caller. */
export interface MappaADocumentInput {
  readonly referral: Referral;
  readonly areaName: string;
  /** The area's name for the form, e.g. 'MAPPA A' (areas label their forms differently). */
  readonly formLabel: string;
  /** Printed in every page header and footer, e.g. 'OFFICIAL-SENSITIVE'. */
  readonly marking: string;
  readonly caseRef?: string;
  /** ISO 8601 instant the export was made (printed in Europe/London time). */
  readonly generatedAt: string;
  /** False for Duty to Co-operate readers: police-only fields are then withheld. */
  readonly readerHasVisorAccess: boolean;
  /** Agency slug → display name; slugs are printed as they are when absent. */
  readonly agencyNames?: Readonly<Record<string, string>>;
}

/**
 * Renders the MAPPA A as a file a reader downloads. A port so the use case stays free of the
 * document library; src/documents implements it as a Word document.
 */
export interface MappaADocumentRenderer {
  render(input: MappaADocumentInput): Promise<Buffer>;
  /** The download's file name, from the case reference (or referral id) and the area's form label. */
  fileName(reference: string, formLabel: string): string;
}
