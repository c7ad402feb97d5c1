import { z } from 'zod';
import type { Catalogue } from '../capability';
import { keptText } from '../payload';

const TransferId = z.string().trim().min(1).max(128);

export const TransferPayload = z.object({ transferId: TransferId });
/** The decline button sends the reason box too; an over-long reason reaches the use case, which names it. */
export const DeclinePayload = z.object({ transferId: TransferId, reason: keptText() });

export const TRANSFER_CATALOGUE = {
  commands: {
    transfer: {
      description:
        "Hand a case over to another MAPPA area: type transfer, the case reference, to, and the receiving area's id (transfer withdraw and the reference takes back one nobody has answered)",
      audience: 'coordinator',
      example: 'transfer MAPPA-2026-0042 to area-north-east',
      action: 'case.transfer',
      where: 'personal',
    },
    transfers: {
      description: 'The case hand-overs waiting for an answer, into and out of your area',
      audience: 'coordinator',
      example: 'transfers',
      action: 'case.transfer',
      where: 'personal',
    },
  },
  verbs: {
    'transfer.accept': { via: 'execute', action: 'case.transfer', payload: TransferPayload },
    'transfer.decline': { via: 'execute', action: 'case.transfer', payload: DeclinePayload },
    'transfer.refresh': { via: 'execute', action: 'case.transfer', payload: TransferPayload },
  },
} as const satisfies Catalogue;
