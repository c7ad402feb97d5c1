import type { Storage, TurnContext } from 'botbuilder';
import type { FindDeps } from '../app/find';
import type { GuideDeps } from '../app/guide';
import type { IdentityResult } from '../app/members';
import type { MemberDeps } from '../app/members';
import type { RefusalAudit } from '../app/members/refusal-audit';
import type { AuditLog } from '../app/ports/audit-log.port';
import type { CaseRepository } from '../app/ports/case-repository.port';
import type { ConversationDirectory } from '../app/ports/conversations.port';
import type { RetentionDeps } from '../app/retention';
import type { Logger } from '../config/logger';
import type { Principal } from '../domain/policy';
import { renderCard, type AdaptiveCardJson, type CardData, type CardName } from './cards/render';
import type { ActionBotDeps } from './actions/deps';
import type { MeetingBotDeps } from './meetings/deps';
import type { MinutesBotDeps } from './minutes/deps';
import type { NotificationBotDeps } from './notifications/deps';
import type { ReferralChannelDeps, ReferralHandlerDeps } from './referrals/deps';
import type { ReminderBotDeps } from './reminders/deps';
import type { StatsBotDeps } from './stats/deps';

/** What the composition root hands the bot: use-case dependencies and the ways out of Teams. */
export interface BotDeps {
  readonly storage: Storage;
  readonly protectiveMarking: string;
  readonly areaName: string;
  readonly areaId: string;
  readonly identify: (ids: {
    tenantId: string | undefined;
    aadObjectId: string | undefined;
    displayName?: string | undefined;
  }) => Promise<IdentityResult>;
  readonly conversations: ConversationDirectory;
  readonly members: MemberDeps;
  readonly audit: AuditLog;
  /** Tallies activities refused for their tenant; audits them in aggregate, off the request path. */
  readonly refusals: Pick<RefusalAudit, 'refused'>;
  readonly cases: CaseRepository;
  readonly retention: RetentionDeps;
  readonly notifications: NotificationBotDeps;
  readonly referrals: ReferralHandlerDeps;
  readonly meetings: MeetingBotDeps;
  /** Action cards, extension decisions and the `case` view. */
  readonly actions: ActionBotDeps;
  readonly minutes: MinutesBotDeps;
  /** `guide`: the area, its contact line and the marking. */
  readonly guide: GuideDeps;
  /** `find`: the lookups, the need-to-know reads and the keyed hash for the audit. */
  readonly find: FindDeps;
  /** `my actions`, `overdue` and `reminders`. */
  readonly reminders: ReminderBotDeps;
  /** The `report` command; absent where a composition has no statistics (the router's own tests). */
  readonly stats?: StatsBotDeps;
  /** Present when Entra group mappings are configured. */
  readonly memberSync?: (actor: {
    aadObjectId: string;
    displayName: string;
    tenantId: string;
  }) => Promise<
    | { ok: true; value: { added: number; updated: number; deactivated: number; conflicts: readonly unknown[] } }
    | { ok: false; error: { message: string } }
  >;
  readonly referralChannel: ReferralChannelDeps;
  /** The app's public https origin: pages Teams opens (the in-meeting turn notification) live under it. */
  readonly publicBaseUrl?: string;
  readonly logger: Logger;
}

/** Renders a card template framed with this deployment's protective marking. */
export type CardRenderer = <N extends CardName>(name: N, data: CardData<N>) => AdaptiveCardJson;

/** The one place the marking is bound to rendering, for the bot and for proactive posts alike. */
export function cardRendererFor(marking: string): CardRenderer {
  return (name, data) => renderCard(name, data, marking);
}

/** What a handler that answers anyone gets: the caller may be unknown or not enrolled (`help`, card refreshes). */
export interface OpenHandlerContext {
  readonly turn: TurnContext;
  readonly principal: Principal | null;
  readonly deps: BotDeps;
  readonly card: CardRenderer;
  /** Starts one of the bot's dialogs in this conversation (see `dialogsFor` in dispatch). */
  readonly beginDialog: (dialogId: string, options?: object) => Promise<void>;
}

/**
 * What every other handler gets: a caller the router has already resolved from Entra ids, found
 * enrolled and active, and allowed the command's or verb's policy action. Case-scoped checks stay
 * in the use cases.
 */
export interface HandlerContext extends OpenHandlerContext {
  readonly principal: Principal;
}
