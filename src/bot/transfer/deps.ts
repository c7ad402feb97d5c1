import type { TransferDeps } from '../../app/transfer';
import type { Transfer } from '../../domain';
import type { Principal } from '../../domain/policy';

/** Area ids to names, for the areas a card names; an id with no name (another deployment's) shows as is. */
export type AreaNames = Readonly<Record<string, string>>;

/** What the transfer cards need beyond the use cases: ways out of the bot that main.ts wires. */
export interface TransferBotDeps {
  readonly use: TransferDeps;
  /** Teams user ids of an area's co-ordinators, whose view of the channel card refreshes to the details. */
  readonly refreshUserIds: (areaId: string) => Promise<string[]>;
  /** Names of the areas a transfer's cards name (those served in this database). */
  readonly areaNames: (transfer: Transfer) => Promise<AreaNames>;
  /** Posts (or updates) the hand-over card in the receiving area's co-ordinator channel; false when it has none. */
  readonly postHandover: (transfer: Transfer) => Promise<boolean>;
  /** A single-use download link for the signed package of an export, or null when links are not set up. */
  readonly exportLink: (transferId: string, reader: Principal) => Promise<string | null>;
}
