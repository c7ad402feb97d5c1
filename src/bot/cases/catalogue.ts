import type { Catalogue } from '../capability';

export const CASE_CATALOGUE = {
  commands: {
    case: {
      description: 'Where a case stands: type case and the case reference',
      audience: 'practitioner',
      example: 'case MAPPA-2026-0042',
      action: 'case.read',
      where: 'personal',
    },
  },
  verbs: {},
} as const satisfies Catalogue;
