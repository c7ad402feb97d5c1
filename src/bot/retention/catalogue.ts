import { z } from 'zod';
import type { Catalogue } from '../capability';

const NOTHING = { caseRef: '', confirmation: '', forceReason: '' };

/** The erase confirmation card; data that does not fit is read as an empty form, which the use case refuses. */
export const ErasePayload = z
  .object({
    caseRef: z.string().max(40).default(''),
    confirmation: z.string().max(40).default(''),
    forceReason: z.string().max(2000).default(''),
  })
  .catch(NOTHING);

export const RETENTION_CATALOGUE = {
  commands: {
    retention: {
      description: 'Exited cases due for retention review',
      action: 'retention.review',
      where: 'personal',
    },
    erase: {
      description: 'erase <case ref>: remove personal data from a case due for review',
      action: 'retention.erase',
      where: 'personal',
    },
  },
  verbs: {
    'retention.erase': { via: 'execute', action: 'retention.erase', payload: ErasePayload },
  },
} as const satisfies Catalogue;
