import type { CapabilityHandlers } from '../capability';
import { acceptVerb, declineVerb, refreshVerb, refreshView } from './answer.verb';
import { TRANSFER_CATALOGUE } from './catalogue';
import { transferCommand, transfersCommand } from './transfer.command';

export { transferAnsweredCard, transferCard, transferWithdrawnCard } from './transfer.card';
export type { AreaNames, TransferBotDeps } from './deps';

export const transfer = {
  commands: { transfer: { run: transferCommand }, transfers: { run: transfersCommand } },
  verbs: {
    'transfer.accept': { execute: acceptVerb },
    'transfer.decline': { execute: declineVerb },
    'transfer.refresh': { execute: refreshVerb, view: refreshView },
  },
} satisfies CapabilityHandlers<typeof TRANSFER_CATALOGUE>;
