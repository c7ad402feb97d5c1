import {
  ActivityTypes,
  ConversationState,
  MessageFactory,
  TeamsActivityHandler,
  UserState,
  type AdaptiveCardInvokeResponse,
  type InvokeResponse,
  type Storage,
  type TurnContext,
} from 'botbuilder';
import { DialogSet, DialogTurnStatus } from 'botbuilder-dialogs';
import { z } from 'zod';
import { REFERRAL_DIALOG_ID, ReferralDialog, referDialogOptions } from './dialogs/referral.dialog';
import { referralCardAction, type ReferralHandlerDeps } from './handlers/referral.handler';
import {
  channelReferralCard,
  postReferralToChannel,
  updateReferralInChannel,
  type ReferralChannelDeps,
} from './handlers/referral-channel';
import type { IdentityResult } from '../app/members';
import type { MemberDeps } from '../app/members';
import type { ConversationDirectory } from '../app/ports/conversations.port';
import type { AuditLog } from '../app/ports/audit-log.port';
import type { CaseRepository } from '../app/ports/case-repository.port';
import { can, type Principal } from '../domain/policy';
import { describeError, type Logger } from '../config/logger';
import { callerIds, conversationTargetOf, unreadableFields } from './activity-identity';
import { cardAttachment, renderCard, type AdaptiveCardJson } from './cards/render';
import {
  CARD_VERBS,
  COMMANDS,
  isCardVerb,
  matchCommand,
  normaliseCommandText,
  type CardVerb,
  type CommandName,
} from './commands';
import { auditCommand } from './handlers/audit.handler';
import { memberCardAction, memberCommand } from './handlers/members.handler';
import {
  minimalNotificationCard,
  notificationCardAction,
  notifyCommand,
  type NotificationBotDeps,
} from './handlers/notifications.handler';
import { eraseCardAction, eraseCommand, retentionCommand } from './handlers/retention.handler';
import type { RetentionDeps } from '../app/retention';

export interface BotDeps {
  readonly storage: Storage;
  readonly protectiveMarking: string;
  readonly areaName: string;
  readonly areaId: string;
  readonly identify: (ids: {
    tenantId: string | undefined;
    aadObjectId: string | undefined;
  }) => Promise<IdentityResult>;
  readonly conversations: ConversationDirectory;
  readonly members: MemberDeps;
  readonly audit: AuditLog;
  readonly cases: CaseRepository;
  readonly retention: RetentionDeps;
  readonly notifications: NotificationBotDeps;
  readonly referrals: ReferralHandlerDeps;
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
  readonly logger: Logger;
}

/** What every handler gets: the caller as resolved from Entra ids, and rendering bound to the marking. */
export interface HandlerContext {
  readonly turn: TurnContext;
  readonly principal: Principal;
  readonly deps: BotDeps;
  readonly card: <N extends Parameters<typeof renderCard>[0]>(
    name: N,
    data: Parameters<typeof renderCard<N>>[1],
  ) => AdaptiveCardJson;
}

const ExecuteValue = z.object({
  action: z.object({
    type: z.literal('Action.Execute'),
    verb: z.string().max(100),
    data: z.record(z.string(), z.unknown()).default({}),
  }),
});
type ExecuteValue = z.infer<typeof ExecuteValue>;
const IDENTITY_KEY = Symbol('identity');
const SubmitValue = z.object({ verb: z.string().max(100) }).loose();

/** Routes activities to handlers; holds no MAPPA rules and makes no database calls of its own. */
export class MappaBot extends TeamsActivityHandler {
  readonly conversationState: ConversationState;
  readonly userState: UserState;
  private readonly dialogs: DialogSet;
  /** Renders a card template with this deployment's protective marking. */
  private readonly card: HandlerContext['card'] = (name, data) => renderCard(name, data, this.deps.protectiveMarking);

  constructor(private readonly deps: BotDeps) {
    super();
    this.conversationState = new ConversationState(deps.storage);
    this.userState = new UserState(deps.storage);
    this.dialogs = new DialogSet(this.conversationState.createProperty('dialogState'));
    this.dialogs.add(
      new ReferralDialog({
        deps: deps.referrals,
        marking: deps.protectiveMarking,
        principalOf: (turn) => this.principalOf(turn),
        places: this.conversationState.createProperty('referralPlaces'),
        onSubmitted: async (_referral, summary) => {
          // The referral is saved whatever happens here; a failed post is logged for the co-ordinator to chase.
          await postReferralToChannel(deps.referralChannel, summary).catch((e: unknown) =>
            deps.logger.warn({ error: describeError(e) }, 'could not post the referral card'),
          );
        },
      }),
    );

    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const botAdded = (context.activity.membersAdded ?? []).some((m) => m.id === botId);
      if (botAdded) await this.sendWelcome(context);
      await next();
    });

    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
  }

  /**
   * An activity missing what Teams always sends is answered as bad input before anything reads it.
   * A card click that meets an outage (database, Teams connector) gets a card saying so rather than
   * the SDK's bare 500, which Teams shows as "Something went wrong"; messages go to onTurnError.
   */
  override async run(context: TurnContext): Promise<void> {
    const unreadable = unreadableFields(context.activity);
    if (unreadable.length > 0) return this.answerUnreadable(context, unreadable);
    try {
      await this.runTurn(context);
    } catch (e) {
      if (context.activity.type !== ActivityTypes.Invoke || context.activity.name !== 'adaptiveCard/action') throw e;
      this.deps.logger.error({ error: describeError(e) }, 'card action failed');
      const card = renderCard(
        'notice',
        {
          title: 'That did not go through',
          message:
            'I could not finish this just now (a service did not answer). Please try again in a moment; anything already saved will show on the card.',
          facts: [],
        },
        this.deps.protectiveMarking,
      );
      await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body: this.cardReply(card) } });
    }
  }

  private async runTurn(context: TurnContext): Promise<void> {
    const ids = callerIds(context.activity);
    const who = await this.deps.identify(ids);
    if (who.kind === 'foreign_tenant') {
      await this.refuseForeignTenant(context, who.tenantId);
      return;
    }
    context.turnState.set(IDENTITY_KEY, who);
    const target = conversationTargetOf(context.activity);
    if (target) await this.deps.conversations.remember(target);
    await super.run(context);
    await this.conversationState.saveChanges(context, false);
    await this.userState.saveChanges(context, false);
  }

  private async principalOf(context: TurnContext): Promise<Principal | null> {
    const who =
      (context.turnState.get(IDENTITY_KEY) as IdentityResult | undefined) ??
      (await this.deps.identify(callerIds(context.activity)));
    return who.kind === 'principal' ? who.principal : null;
  }

  private handlerContext(context: TurnContext, principal: Principal): HandlerContext {
    return {
      turn: context,
      principal,
      deps: this.deps,
      card: this.card,
    };
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const principal = await this.principalOf(context);
    // A referral in progress gets the user's messages (and its own card buttons) first; `help` and
    // `cancel` still work there, and a user no longer enrolled is not let back in mid-way.
    const dc = await this.dialogs.createContext(context);
    if (dc.activeDialog) {
      if (!principal?.member?.active) {
        await dc.cancelAllDialogs();
      } else if (normaliseCommandText(context.activity.text).toLowerCase() === 'help') {
        await this.sendHelp(context, principal);
        await context.sendActivity(
          'Your referral is still open: answer the last question to carry on, or type **cancel**.',
        );
        return;
      } else {
        const result = await dc.continueDialog();
        if (result.status !== DialogTurnStatus.empty) return;
      }
    }
    const submitted = SubmitValue.safeParse(context.activity.value);
    if (submitted.success) {
      const verb = submitted.data.verb;
      if (verb.startsWith('referral.') && !isCardVerb(verb)) {
        // A review card from a referral that is no longer open in this chat.
        return this.say(context, 'That referral card is out of date. Type **refer** to carry on with your referral.');
      }
      if (!isCardVerb(verb))
        return this.say(context, 'That button is no longer supported. Type **help** to see what I can do.');
      if (verb === 'help') return this.runCommand(context, principal, 'help', '');
      // Other verbs are Action.Execute only: an old Action.Submit card must not act.
      return this.say(context, 'Please use the latest card for that action.');
    }
    const text = normaliseCommandText(context.activity.text);
    const command = matchCommand(text);
    if (!command) return this.say(context, "I didn't recognise that. Type **help** to see what I can do.");
    return this.runCommand(context, principal, command.name, command.args);
  }

  private async runCommand(
    context: TurnContext,
    principal: Principal | null,
    name: CommandName,
    args: string,
  ): Promise<void> {
    if (name === 'help') return this.sendHelp(context, principal);
    const spec = COMMANDS.find((c) => c.name === name)!;
    if (!principal?.member?.active) {
      await this.auditDenied(context, principal, spec.action);
      return this.say(
        context,
        'You are not enrolled in this MAPPA area yet. Ask your MAPPA admin to add you, then try again.',
      );
    }
    // The role gate; case-scoped commands check the case itself inside their handler.
    if (!can(principal, spec.action).allowed) {
      await this.auditDenied(context, principal, spec.action);
      return this.say(context, `Your role does not allow **${name}**. Type **help** to see what you can do.`);
    }
    const conversationType = context.activity.conversation?.conversationType ?? 'personal';
    if (spec.where === 'personal' && conversationType !== 'personal') {
      return this.say(context, `For privacy, **${name}** works only in a personal chat with me.`);
    }
    if (spec.where === 'channel' && conversationType !== 'channel') {
      return this.say(context, `Type **${name}** in the channel you want to use, mentioning me.`);
    }
    const h = this.handlerContext(context, principal);
    switch (name) {
      case 'set coordinator channel':
        return this.setCoordinatorChannel(h);
      case 'members':
      case 'add member':
      case 'remove member':
      case 'set role':
        return memberCommand(h, name);
      case 'audit':
        return auditCommand(h, args);
      case 'retention':
        return retentionCommand(h, this.deps.retention);
      case 'notify':
        return notifyCommand(h, this.deps.notifications);
      case 'sync members': {
        if (!this.deps.memberSync)
          return this.say(context, 'Group sync is not configured for this area (MEMBER_GROUP_MAPPINGS).');
        // Recorded as done by the admin who asked, not by the system.
        const res = await this.deps.memberSync({
          aadObjectId: principal.aadObjectId,
          displayName: principal.member?.displayName ?? 'admin',
          tenantId: principal.tenantId,
        });
        if (!res.ok) return this.say(context, `Nothing was changed: ${res.error.message}`);
        const v = res.value;
        return this.say(
          context,
          `Members updated from Entra groups: ${v.added} added, ${v.updated} updated, ${v.deactivated} removed.` +
            (v.conflicts.length
              ? ` ${v.conflicts.length} person(s) are in groups for different agencies and were left unchanged.`
              : ''),
        );
      }
      case 'refer': {
        const dc = await this.dialogs.createContext(context);
        await dc.beginDialog(REFERRAL_DIALOG_ID, referDialogOptions(args));
        return;
      }
      case 'erase':
        return eraseCommand(h, args);
    }
  }

  /**
   * Card clicks are read here rather than by the SDK, which reads `value.action.type` unchecked (a
   * TypeError for `{}`) and answers other shapes with a bare 400 that Teams shows as an error.
   */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name !== 'adaptiveCard/action') return super.onInvokeActivity(context);
    const parsed = ExecuteValue.safeParse(context.activity.value);
    if (!parsed.success) {
      this.logBadInput(
        context,
        parsed.error.issues.map((i) => ['value', ...i.path.map(String)].join('.')),
      );
      return { status: 200, body: this.cardReply(this.unreadableCard()) };
    }
    const response = await this.cardAction(context, parsed.data);
    return { status: response.statusCode, body: response };
  }

  private async cardAction(context: TurnContext, value: ExecuteValue): Promise<AdaptiveCardInvokeResponse> {
    if (!isCardVerb(value.action.verb)) {
      return this.cardReply(
        renderCard(
          'notice',
          {
            title: 'That action is not available',
            message: 'Please use the latest card, or type **help**.',
            facts: [],
          },
          this.deps.protectiveMarking,
        ),
      );
    }
    const verb: CardVerb = value.action.verb;
    const principal = await this.principalOf(context);
    if (verb === 'notification.refresh' && !(principal && can(principal, CARD_VERBS[verb]).allowed)) {
      // A refresh is a view, not an action: show the minimal card rather than a refusal.
      return this.cardReply(
        await minimalNotificationCard({ card: this.card }, this.deps.notifications, value.action.data),
      );
    }
    if (verb === 'referral.refresh' && !(principal && can(principal, CARD_VERBS[verb]).allowed)) {
      return this.cardReply(await channelReferralCard(this.deps.referralChannel, value.action.data));
    }
    if (!principal || !can(principal, CARD_VERBS[verb]).allowed) {
      await this.auditDenied(context, principal, CARD_VERBS[verb]);
      return this.cardReply(
        renderCard(
          'notice',
          { title: 'Not permitted', message: 'Your role does not allow this action. Nothing was changed.', facts: [] },
          this.deps.protectiveMarking,
        ),
      );
    }
    const h = this.handlerContext(context, principal);
    switch (verb) {
      case 'help':
        return this.cardReply(this.helpCard(principal));
      case 'member.add':
      case 'member.remove':
      case 'member.setRoles':
        return this.cardReply(await memberCardAction(h, verb, value.action.data));
      case 'notification.submit':
      case 'notification.level1':
      case 'notification.awaitReferral':
      case 'notification.askToRefer':
      case 'notification.open':
      case 'notification.refresh':
        return this.cardReply(await notificationCardAction(h, this.deps.notifications, verb, value.action.data));
      case 'referral.approve':
      case 'referral.reject':
      case 'referral.requestInfo':
      case 'referral.export':
      case 'referral.answerInfo':
      case 'referral.refresh': {
        const outcome = await referralCardAction(
          h as Parameters<typeof referralCardAction>[0],
          verb,
          value.action.data,
        );
        // A refused or repeated action changed nothing, so nobody else's copy needs touching.
        const referralId = value.action.data.referralId;
        if (outcome.changed && typeof referralId === 'string') {
          await updateReferralInChannel(this.deps.referralChannel, referralId).catch((e: unknown) =>
            this.deps.logger.warn({ error: describeError(e) }, 'could not update the referral card'),
          );
        }
        return this.cardReply(outcome.card);
      }
      case 'retention.erase':
        return this.cardReply(await eraseCardAction(h, this.deps.retention, value.action.data));
    }
  }

  private async setCoordinatorChannel(h: HandlerContext): Promise<void> {
    const target = conversationTargetOf(h.turn.activity);
    if (!target || target.conversationType !== 'channel') {
      return this.say(h.turn, 'Type this in the channel you want to use, mentioning me.');
    }
    await this.deps.conversations.setCoordinatorChannel(
      this.deps.areaId,
      target.conversationId,
      h.principal.aadObjectId,
    );
    await this.deps.audit.append({
      tenantId: h.principal.tenantId,
      areaId: this.deps.areaId,
      actorAadObjectId: h.principal.aadObjectId,
      action: 'area.changed',
      entity: { type: 'area', id: this.deps.areaId },
      details: { change: 'coordinator_channel' },
    });
    await this.say(
      h.turn,
      'This channel is now the MAPPA co-ordinator channel. New notifications and referrals will be posted here with the minimum identifying detail.',
    );
  }

  /** Refusals inside the tenant are audited too: repeated probing is itself worth seeing. */
  private async auditDenied(context: TurnContext, principal: Principal | null, action: string): Promise<void> {
    const ids = callerIds(context.activity);
    await this.deps.audit
      .append({
        tenantId: ids.tenantId ?? 'unknown',
        areaId: this.deps.areaId,
        actorAadObjectId: principal?.aadObjectId ?? ids.aadObjectId ?? 'unknown',
        action: 'access.denied',
        entity: { type: 'area', id: this.deps.areaId },
        outcome: 'denied',
        details: { reason: 'policy', attempted: action },
      })
      .catch((e: unknown) => this.deps.logger.error({ error: describeError(e) }, 'could not audit a refusal'));
  }

  /**
   * An activity missing what every Teams activity carries: answered where there is somewhere to answer,
   * and logged as bad input (which fields, never their values) rather than as a failure.
   */
  private async answerUnreadable(context: TurnContext, fields: readonly string[]): Promise<void> {
    this.logBadInput(context, fields);
    if (context.activity.type === ActivityTypes.Invoke) {
      await context.sendActivity({
        type: 'invokeResponse',
        value: { status: 200, body: this.cardReply(this.unreadableCard()) },
      });
    } else if (context.activity.type === ActivityTypes.Message && context.activity.conversation?.id) {
      await this.say(
        context,
        'Sorry, I could not read that message, so I did nothing with it. Please send it again, or type **help**.',
      ).catch((e: unknown) => this.deps.logger.warn({ error: describeError(e) }, 'could not answer bad input'));
    }
  }

  private logBadInput(context: TurnContext, fields: readonly string[]): void {
    const type = context.activity.type;
    const known = (Object.values(ActivityTypes) as string[]).includes(type) ? type : 'other';
    this.deps.logger.warn({ badInput: { activityType: known, fields: fields.slice(0, 10) } }, 'bad input');
  }

  private unreadableCard(): AdaptiveCardJson {
    return renderCard(
      'notice',
      {
        title: 'That could not be read',
        message:
          'I could not read what this card sent. Nothing was changed. Please use the latest card, or type **help**.',
        facts: [],
      },
      this.deps.protectiveMarking,
    );
  }

  private cardReply(card: AdaptiveCardJson): AdaptiveCardInvokeResponse {
    return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card };
  }

  private async say(context: TurnContext, text: string): Promise<void> {
    await context.sendActivity(MessageFactory.text(text));
  }

  private async refuseForeignTenant(context: TurnContext, tenantId: string | undefined): Promise<void> {
    // Only the fact of the refusal is logged: the tenant id is an organisation, not a person.
    this.deps.logger.warn(
      { tenantId: tenantId ?? '(none)', activityType: context.activity.type },
      'refused activity from a tenant not on the allow-list',
    );
    if (context.activity.type === ActivityTypes.Message) {
      await this.say(context, 'This assistant is not available to your organisation.');
    } else if (context.activity.type === ActivityTypes.Invoke) {
      await context.sendActivity({
        type: 'invokeResponse',
        value: {
          status: 200,
          body: this.cardReply(
            renderCard(
              'notice',
              { title: 'Not available', message: 'This assistant is not available to your organisation.', facts: [] },
              this.deps.protectiveMarking,
            ),
          ),
        },
      });
    }
    await this.deps.audit
      .append({
        tenantId: tenantId ?? 'unknown',
        areaId: this.deps.areaId,
        actorAadObjectId: context.activity.from?.aadObjectId ?? 'unknown',
        action: 'access.denied',
        entity: { type: 'area', id: this.deps.areaId },
        outcome: 'denied',
        details: { reason: 'tenant_not_allowed', activityType: context.activity.type ?? 'unknown' },
      })
      .catch((e: unknown) => this.deps.logger.error({ error: describeError(e) }, 'could not audit a refused tenant'));
  }

  private async sendWelcome(context: TurnContext): Promise<void> {
    const card = renderCard('welcome', { areaName: this.deps.areaName }, this.deps.protectiveMarking);
    await context.sendActivity(MessageFactory.attachment(cardAttachment(card)));
  }

  private helpCard(principal: Principal | null): AdaptiveCardJson {
    // Show what this caller may do; unenrolled users still see help so they know whom to ask.
    const visible = COMMANDS.filter(
      (c) => c.name === 'help' || (principal !== null && can(principal, c.action).allowed),
    );
    return renderCard(
      'help',
      { commands: visible.map((c) => ({ name: c.name, description: c.description })) },
      this.deps.protectiveMarking,
    );
  }

  private async sendHelp(context: TurnContext, principal: Principal | null): Promise<void> {
    await context.sendActivity(MessageFactory.attachment(cardAttachment(this.helpCard(principal))));
  }
}
