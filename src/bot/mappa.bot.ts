import {
  ActivityTypes,
  ConversationState,
  type StatePropertyAccessor,
  MessageFactory,
  TeamsActivityHandler,
  UserState,
  type AdaptiveCardInvokeResponse,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import type * as Dialogs from 'botbuilder-dialogs';
import { z } from 'zod';
import type { IdentityResult } from '../app/members';
import { can, type Principal } from '../domain/policy';
import { describeError } from '../config/logger';
import { callerIds, conversationTargetOf, unreadableFields } from './activity-identity';
import { cardAttachment, type AdaptiveCardJson } from './cards/render';
import { matchCommand, normaliseCommandText, type CommandName } from './commands';
import { commandEntry, dialogsFor, verbEntry } from './dispatch';
import { onMeetingEvent } from './meeting-events/meeting-event';
import { cardRendererFor, type BotDeps, type HandlerContext, type OpenHandlerContext } from './handler-context';
import { noteTurn } from './turn-telemetry';

const NOT_ENROLLED = 'You are not enrolled in this MAPPA area yet. Ask your MAPPA admin to add you, then try again.';

export type { BotDeps } from './handler-context';

const ExecuteValue = z.object({
  action: z.object({
    type: z.literal('Action.Execute'),
    verb: z.string().max(100),
    data: z.record(z.string(), z.unknown()).default({}),
  }),
});
type ExecuteValue = z.infer<typeof ExecuteValue>;
const IDENTITY_KEY = Symbol('identity');

let dialogsModule: typeof Dialogs | undefined;
/** botbuilder-dialogs, loaded at first use: see `MappaBot.dialogs()`. */
function loadDialogs(): typeof Dialogs {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous load at first use, typed by the import above
  return (dialogsModule ??= require('botbuilder-dialogs') as typeof Dialogs);
}
const SubmitValue = z.object({ verb: z.string().max(100) }).loose();

/** Routes activities to handlers; holds no MAPPA rules and makes no database calls of its own. */
export class MappaBot extends TeamsActivityHandler {
  readonly conversationState: ConversationState;
  readonly userState: UserState;
  private readonly dialogState: StatePropertyAccessor<Dialogs.DialogState>;
  /** Built when a dialog is first begun or continued: see `dialogs()`. */
  private dialogSet: Dialogs.DialogSet | undefined;
  /** Renders a card template with this deployment's protective marking. */
  private readonly card: HandlerContext['card'];
  private readonly pendingAudits = new Set<Promise<void>>();

  constructor(private readonly deps: BotDeps) {
    super();
    this.card = cardRendererFor(deps.protectiveMarking);
    this.conversationState = new ConversationState(deps.storage);
    this.userState = new UserState(deps.storage);
    this.dialogState = this.conversationState.createProperty('dialogState');

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
    if (unreadable.length > 0) {
      noteTurn(context, { outcome: 'bad_input' });
      return this.answerUnreadable(context, unreadable);
    }
    try {
      await this.runTurn(context);
    } catch (e) {
      if (context.activity.type !== ActivityTypes.Invoke || context.activity.name !== 'adaptiveCard/action') throw e;
      this.deps.logger.error({ error: describeError(e) }, 'card action failed');
      const card = this.notice(
        'That did not go through',
        'I could not finish this just now (a service did not answer). Please try again in a moment; anything already saved will show on the card.',
      );
      await context.sendActivity({ type: 'invokeResponse', value: { status: 200, body: this.cardReply(card) } });
    }
  }

  private async runTurn(context: TurnContext): Promise<void> {
    const ids = callerIds(context.activity);
    const who = await this.deps.identify(ids);
    if (who.kind === 'foreign_tenant') {
      noteTurn(context, { outcome: 'refused' });
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

  /**
   * botbuilder-dialogs and the referral dialog are loaded, and the set built, the first time a dialog
   * is begun or is open: most turns never need them, and an idle bot need not hold them
   * (docs/performance.md, Memory). The state key is the one DialogSet uses, so open dialogs carry on.
   */
  private dialogs(): Dialogs.DialogSet {
    if (!this.dialogSet) {
      const { DialogSet } = loadDialogs();
      const set = new DialogSet(this.dialogState);
      for (const dialog of dialogsFor({
        deps: this.deps,
        conversationState: this.conversationState,
        principalOf: (turn) => this.principalOf(turn),
      }))
        set.add(dialog);
      this.dialogSet = set;
    }
    return this.dialogSet;
  }

  private async principalOf(context: TurnContext): Promise<Principal | null> {
    const who =
      (context.turnState.get(IDENTITY_KEY) as IdentityResult | undefined) ??
      (await this.deps.identify(callerIds(context.activity)));
    return who.kind === 'principal' ? who.principal : null;
  }

  private openContext(turn: TurnContext, principal: Principal | null): OpenHandlerContext {
    return {
      turn,
      principal,
      deps: this.deps,
      card: this.card,
      beginDialog: async (dialogId, options) => {
        const dc = await this.dialogs().createContext(turn);
        await dc.beginDialog(dialogId, options);
      },
    };
  }

  private handlerContext(turn: TurnContext, principal: Principal): HandlerContext {
    return { ...this.openContext(turn, principal), principal };
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const principal = await this.principalOf(context);
    // A referral in progress gets the user's messages (and its own card buttons) first; `help` and
    // `cancel` still work there, and a user no longer enrolled is not let back in mid-way.
    // The dialog stack is read from the state already loaded for this turn; a dialog context is made
    // only when a dialog is open (the same test as DialogContext.activeDialog: a non-empty stack).
    const open = ((await this.dialogState.get(context))?.dialogStack?.length ?? 0) > 0;
    if (open) {
      const dc = await this.dialogs().createContext(context);
      if (!principal?.member?.active) {
        await dc.cancelAllDialogs();
      } else if (normaliseCommandText(context.activity.text).toLowerCase() === 'help') {
        await this.runCommand(context, principal, 'help', '');
        await context.sendActivity(
          'Your referral is still open: answer the last question to carry on, or type **cancel**.',
        );
        return;
      } else {
        const result = await dc.continueDialog();
        if (result.status !== loadDialogs().DialogTurnStatus.empty) return;
      }
    }
    const submitted = SubmitValue.safeParse(context.activity.value);
    if (submitted.success) {
      const entry = verbEntry(submitted.data.verb);
      noteTurn(context, entry ? { verb: submitted.data.verb } : { outcome: 'unknown' });
      if (!entry) return this.say(context, 'That button is no longer supported. Type **help** to see what I can do.');
      // Card actions are Action.Execute only: an old Action.Submit card must not act.
      if (!entry.submit) return this.say(context, 'Please use the latest card for that action.');
      return entry.submit(this.openContext(context, principal));
    }
    const text = normaliseCommandText(context.activity.text);
    const command = matchCommand(text);
    if (!command) noteTurn(context, { outcome: 'unknown' });
    if (!command) return this.say(context, "I didn't recognise that. Type **help** to see what I can do.");
    return this.runCommand(context, principal, command.name, command.args);
  }

  private async runCommand(
    context: TurnContext,
    principal: Principal | null,
    name: CommandName,
    args: string,
  ): Promise<void> {
    const spec = commandEntry(name);
    noteTurn(context, { command: name });
    if ('runForAnyone' in spec) return spec.runForAnyone(this.openContext(context, principal), args);
    if (!principal?.member?.active) {
      this.auditDenied(context, principal, spec.action);
      noteTurn(context, { outcome: 'denied' });
      return this.say(context, NOT_ENROLLED);
    }
    // The role gate; case-scoped commands check the case itself inside their handler.
    if (!can(principal, spec.action).allowed) {
      this.auditDenied(context, principal, spec.action);
      noteTurn(context, { outcome: 'denied' });
      return this.say(context, `Your role does not allow **${name}**. Type **help** to see what you can do.`);
    }
    const conversationType = context.activity.conversation?.conversationType ?? 'personal';
    if (spec.where === 'personal' && conversationType !== 'personal') {
      return this.say(context, `For privacy, **${name}** works only in a personal chat with me.`);
    }
    if (spec.where === 'channel' && conversationType !== 'channel') {
      return this.say(context, `Type **${name}** in the channel you want to use, mentioning me.`);
    }
    return spec.run(this.handlerContext(context, principal), args);
  }

  /** A Teams meeting in a chat the bot is in started or ended (the router has checked the tenant). */
  protected override async onTeamsMeetingStart(context: TurnContext): Promise<void> {
    await onMeetingEvent(context, this.deps, 'start');
  }

  protected override async onTeamsMeetingEnd(context: TurnContext): Promise<void> {
    await onMeetingEvent(context, this.deps, 'end');
  }

  /**
   * Card clicks are read here rather than by the SDK, which reads `value.action.type` unchecked (a
   * TypeError for `{}`) and answers other shapes with a bare 400 that Teams shows as an error.
   */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name !== 'adaptiveCard/action') return super.onInvokeActivity(context);
    const parsed = ExecuteValue.safeParse(context.activity.value);
    if (!parsed.success) {
      noteTurn(context, { outcome: 'bad_input' });
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
    const entry = verbEntry(value.action.verb);
    noteTurn(context, entry ? { verb: value.action.verb } : { outcome: 'unknown' });
    if (!entry?.execute) {
      return this.cardReply(
        this.notice('That action is not available', 'Please use the latest card, or type **help**.'),
      );
    }
    const principal = await this.principalOf(context);
    if (!principal || !can(principal, entry.action).allowed) {
      // A refresh is a view, not an action: show what this reader may see rather than a refusal.
      if (entry.view) return this.cardReply(await entry.view(this.openContext(context, principal), value.action.data));
      this.auditDenied(context, principal, entry.action);
      noteTurn(context, { outcome: 'denied' });
      // Someone not enrolled gets the plain refusal: the meeting card is for the area's members.
      if (entry.refused && principal?.member?.active)
        return this.cardReply(await entry.refused(this.openContext(context, principal), value.action.data));
      return this.cardReply(
        this.notice(
          'Not permitted',
          principal?.member?.active
            ? 'Your role does not allow this action. Nothing was changed.'
            : `${NOT_ENROLLED} Nothing was changed.`,
        ),
      );
    }
    const handle = entry.execute(value.action.data);
    if (!handle) return this.cardReply(this.notice('That card is out of date', 'Please use the latest card.'));
    return this.cardReply(await handle(this.handlerContext(context, principal)));
  }

  /**
   * Refusals inside the tenant are audited too: repeated probing is itself worth seeing. The answer
   * does not wait for the audit (a failure is logged), so refusals cost the caller nothing extra.
   */
  private auditDenied(context: TurnContext, principal: Principal | null, action: string): void {
    const ids = callerIds(context.activity);
    const written = this.deps.audit
      .append({
        tenantId: ids.tenantId ?? 'unknown',
        areaId: this.deps.areaId,
        actorAadObjectId: principal?.aadObjectId ?? ids.aadObjectId ?? 'unknown',
        action: 'access.denied',
        entity: { type: 'area', id: this.deps.areaId },
        outcome: 'denied',
        details: { reason: 'policy', attempted: action },
      })
      .then(
        () => undefined,
        (e: unknown) => this.deps.logger.error({ error: describeError(e) }, 'could not audit a refusal'),
      );
    this.pendingAudits.add(written);
    void written.finally(() => this.pendingAudits.delete(written));
  }

  /** Resolves once the refusals audited off the request path so far are written (before shutdown). */
  async settled(): Promise<void> {
    while (this.pendingAudits.size > 0) await Promise.all([...this.pendingAudits]);
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
    return this.notice(
      'That could not be read',
      'I could not read what this card sent. Nothing was changed. Please use the latest card, or type **help**.',
    );
  }

  private cardReply(card: AdaptiveCardJson): AdaptiveCardInvokeResponse {
    return { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card };
  }

  private async say(context: TurnContext, text: string): Promise<void> {
    await context.sendActivity(MessageFactory.text(text));
  }

  /**
   * No database work per refused activity: the refusal goes to the in-memory tally, which audits the
   * first one from each tenant in full and the rest as a count per interval.
   */
  private async refuseForeignTenant(context: TurnContext, tenantId: string | undefined): Promise<void> {
    this.deps.refusals.refused({
      tenantId,
      actorAadObjectId: context.activity.from?.aadObjectId,
      activityType: context.activity.type,
    });
    if (context.activity.type === ActivityTypes.Message) {
      await this.say(context, 'This assistant is not available to your organisation.');
    } else if (context.activity.type === ActivityTypes.Invoke) {
      await context.sendActivity({
        type: 'invokeResponse',
        value: {
          status: 200,
          body: this.cardReply(this.notice('Not available', 'This assistant is not available to your organisation.')),
        },
      });
    }
  }

  private async sendWelcome(context: TurnContext): Promise<void> {
    const card = this.card('welcome', { areaName: this.deps.areaName });
    await context.sendActivity(MessageFactory.attachment(cardAttachment(card)));
  }

  private notice(title: string, message: string): AdaptiveCardJson {
    return this.card('notice', { title, message, facts: [] });
  }
}
