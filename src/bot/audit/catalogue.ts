import type { Catalogue } from '../capability';

export const AUDIT_CATALOGUE = {
  commands: {
    audit: {
      description: 'Who saw or changed a case: type audit and the case reference',
      audience: 'coordinator',
      example: 'audit MAPPA-2026-0042',
      action: 'case.audit.read',
      where: 'personal',
    },
  },
  verbs: {},
} as const satisfies Catalogue;
