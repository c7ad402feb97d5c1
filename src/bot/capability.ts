import type { Dialog } from 'botbuilder-dialogs';
import type { ConversationState, TurnContext } from 'botbuilder';
import type { z } from 'zod';
import type { PolicyAction, Principal } from '../domain/policy';
import type { AdaptiveCardJson } from './cards/render';
import type { BotDeps, HandlerContext, OpenHandlerContext } from './handler-context';

/**
 * How a capability tells the router what it answers. Each capability folder has a `catalogue.ts`
 * (declarations only: cheap to import for help, the manifest and tests) and an `index.ts` that gives
 * every declaration its handler, checked by the mapped types below: a declared command or verb with
 * no handler, or a handler for something not declared, does not compile.
 */

/** Where a command may run: names and case details never go to a shared conversation. */
export type Where = 'any' | 'personal' | 'channel';

/** Whom a command is mainly for: the help card groups commands by it. */
export type Audience = 'everyone' | 'practitioner' | 'coordinator' | 'admin';

export interface CommandDeclaration {
  /**
   * What it does, in words. Say what follows the command in words ("type audit and the case
   * reference"), never as `<case ref>`: Teams takes angle brackets for an HTML tag and drops them.
   */
  readonly description: string;
  readonly audience: Audience;
  /** A typed example, when the command takes something after its name. */
  readonly example?: string;
  /** The role gate, checked by the router before the handler runs. */
  readonly action: PolicyAction;
  readonly where: Where;
  /** Answered for anyone, enrolled or not, with no role check (`help`, so people know whom to ask). */
  readonly forAnyone?: true;
}

export interface VerbDeclaration {
  /**
   * How cards send it. `execute`: Action.Execute, answered with a card in place of the clicked one.
   * `submit`: Action.Submit, a message that an open dialog takes first. `both`: either.
   */
  readonly via: 'execute' | 'submit' | 'both';
  /** The role gate, checked by the router before the payload is read. */
  readonly action: PolicyAction;
  /**
   * Read once at the edge: `action.data` of an Action.Execute, or the whole value of an Action.Submit.
   * Handlers get its output, never the raw data.
   */
  readonly payload: z.ZodType;
}

export interface Catalogue {
  readonly commands: Readonly<Record<string, CommandDeclaration>>;
  readonly verbs: Readonly<Record<string, VerbDeclaration>>;
}

export type CommandHandler = (h: HandlerContext, args: string) => Promise<void>;
export type OpenCommandHandler = (h: OpenHandlerContext, args: string) => Promise<void>;
/** Answers an Action.Execute with the card that replaces the clicked one. */
export type ExecuteHandler<P> = (h: HandlerContext, payload: P) => Promise<AdaptiveCardJson>;
/**
 * What someone not allowed the verb's action sees instead of a refusal (a card refresh is a view,
 * not an action). `payload` is undefined when the data does not fit the schema.
 */
export type ViewHandler<P> = (h: OpenHandlerContext, payload: P | undefined) => Promise<AdaptiveCardJson>;
/*
 * `refused`: what someone refused at the role gate gets instead of a bare "Not permitted" card, which
 * would replace the card they clicked (a shared meeting card) with a dead end. The refusal is still
 * audited; the handler answers with the card they may see and the reason in words.
 */
/** Answers an Action.Submit that no open dialog took (for a dialog's verbs: the dialog is closed). */
export type SubmitHandler = (h: OpenHandlerContext) => Promise<void>;

export type CommandHandlers<C extends Catalogue['commands']> = {
  readonly [N in keyof C]: C[N] extends { readonly forAnyone: true }
    ? { readonly runForAnyone: OpenCommandHandler }
    : { readonly run: CommandHandler };
};

type PayloadOf<D extends VerbDeclaration> = z.output<D['payload']>;

/** The handlers a verb's `via` calls for, and no others. */
export type VerbHandlerSet<D extends VerbDeclaration> = (D['via'] extends 'submit'
  ? { readonly execute?: never; readonly view?: never; readonly refused?: never }
  : {
      readonly execute: ExecuteHandler<PayloadOf<D>>;
      readonly view?: ViewHandler<PayloadOf<D>>;
      readonly refused?: ViewHandler<PayloadOf<D>>;
    }) &
  (D['via'] extends 'execute' ? { readonly submit?: never } : { readonly submit: SubmitHandler });

export type VerbHandlers<V extends Catalogue['verbs']> = { readonly [K in keyof V]: VerbHandlerSet<V[K]> };

/** What a capability's dialogs are built from. */
export interface DialogEnv {
  readonly deps: BotDeps;
  readonly conversationState: ConversationState;
  readonly principalOf: (turn: TurnContext) => Promise<Principal | null>;
}

export interface CapabilityHandlers<C extends Catalogue> {
  readonly commands: CommandHandlers<C['commands']>;
  readonly verbs: VerbHandlers<C['verbs']>;
  /** Dialogs the capability's commands begin (by id, through `HandlerContext.beginDialog`). */
  readonly dialogs?: (env: DialogEnv) => Dialog[];
}
