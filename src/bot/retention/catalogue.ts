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
      audience: 'coordinator',
      action: 'retention.review',
      where: 'personal',
    },
    erase: {
      description: 'Remove personal data from an exited case due for review: type erase and the case reference',
      audience: 'admin',
      example: 'erase MAPPA-2016-0007',
      action: 'retention.erase',
      where: 'personal',
    },
  },
  verbs: {
    'retention.erase': { via: 'execute', action: 'retention.erase', payload: ErasePayload },
  },
} as const satisfies Catalogue;
