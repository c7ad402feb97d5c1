import type { Catalogue } from '../capability';

export const AUDIT_CATALOGUE = {
  commands: {
    audit: { description: 'audit <case ref>: who saw or changed a case', action: 'case.audit.read', where: 'personal' },
  },
  verbs: {},
} as const satisfies Catalogue;
