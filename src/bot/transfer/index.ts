import type { CapabilityHandlers } from '../capability';
import { acceptVerb, declineVerb, refreshVerb, refreshView } from './answer.verb';
import { TRANSFER_CATALOGUE } from './catalogue';
import { transferCommand } from './transfer.command';

export { transferAnsweredCard, transferCard } from './transfer.card';
export type { TransferBotDeps } from './deps';

export const transfer = {
  commands: { transfer: { run: transferCommand } },
  verbs: {
    'transfer.accept': { execute: acceptVerb },
    'transfer.decline': { execute: declineVerb },
    'transfer.refresh': { execute: refreshVerb, view: refreshView },
  },
} satisfies CapabilityHandlers<typeof TRANSFER_CATALOGUE>;
