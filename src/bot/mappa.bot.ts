import {
  ConversationState,
  MessageFactory,
  TeamsActivityHandler,
  UserState,
  type Storage,
  type TurnContext,
} from 'botbuilder';
import { cardAttachment, renderCard } from './cards/render';
import { COMMANDS, matchCommand, normaliseCommandText } from './commands';

export interface BotDeps {
  readonly storage: Storage;
  readonly protectiveMarking: string;
  readonly areaName: string;
}

/** Routes activities to handlers; holds no MAPPA rules and makes no database calls of its own. */
export class MappaBot extends TeamsActivityHandler {
  readonly conversationState: ConversationState;
  readonly userState: UserState;

  constructor(private readonly deps: BotDeps) {
    super();
    this.conversationState = new ConversationState(deps.storage);
    this.userState = new UserState(deps.storage);

    this.onMembersAdded(async (context, next) => {
      const botId = context.activity.recipient?.id;
      const botAdded = (context.activity.membersAdded ?? []).some((m) => m.id === botId);
      if (botAdded) await this.sendWelcome(context);
      await next();
    });

    this.onMessage(async (context, next) => {
      const submittedVerb = readSubmitVerb(context.activity.value);
      const text = submittedVerb ?? normaliseCommandText(context.activity.text);
      const command = matchCommand(text);
      switch (command) {
        case 'help':
          await this.sendHelp(context);
          break;
        case undefined:
          await context.sendActivity(
            MessageFactory.text("I didn't recognise that. Type **help** to see what I can do."),
          );
          break;
      }
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context);
    await this.conversationState.saveChanges(context, false);
    await this.userState.saveChanges(context, false);
  }

  private async sendWelcome(context: TurnContext): Promise<void> {
    const card = renderCard('welcome', { areaName: this.deps.areaName }, this.deps.protectiveMarking);
    await context.sendActivity(MessageFactory.attachment(cardAttachment(card)));
  }

  private async sendHelp(context: TurnContext): Promise<void> {
    const card = renderCard(
      'help',
      { commands: COMMANDS.map((c) => ({ name: c.name, description: c.description })) },
      this.deps.protectiveMarking,
    );
    await context.sendActivity(MessageFactory.attachment(cardAttachment(card)));
  }
}

function readSubmitVerb(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const verb = (value as { verb?: unknown }).verb;
  return typeof verb === 'string' ? normaliseCommandText(verb) : undefined;
}
