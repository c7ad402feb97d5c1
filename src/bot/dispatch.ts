import type { Dialog } from 'botbuilder-dialogs';
import type { PolicyAction } from '../domain/policy';
import { actions } from './actions';
import { area } from './area';
import { audit } from './audit';
import type {
  CommandDeclaration,
  CommandHandler,
  CommandHandlers,
  DialogEnv,
  ExecuteHandler,
  OpenCommandHandler,
  SubmitHandler,
  VerbHandlers,
  ViewHandler,
} from './capability';
import type { AdaptiveCardJson } from './cards/render';
import { COMMAND_DECLARATIONS, VERB_DECLARATIONS, type CommandName, type VerbName } from './commands';
import type { HandlerContext, OpenHandlerContext } from './handler-context';
import { cases } from './cases';
import { find } from './find';
import { guide } from './guide';
import { help } from './help';
import { meetings } from './meetings';
import { members } from './members';
import { minutes } from './minutes';
import { notifications } from './notifications';
import { referrals } from './referrals';
import { reminders } from './reminders';
import { retention } from './retention';
import { scheduling } from './scheduling';
import { stats } from './stats';

/**
 * The one dispatch table: every capability's handlers, joined to the declarations in `commands.ts`.
 * The `satisfies` checks fail to compile if a declared command or verb has no handler here.
 */
const COMMAND_HANDLERS = {
  ...help.commands,
  ...guide.commands,
  ...notifications.commands,
  ...referrals.commands,
  ...cases.commands,
  ...find.commands,
  ...reminders.commands,
  ...meetings.commands,
  ...minutes.commands,
  ...scheduling.commands,
  ...members.commands,
  ...audit.commands,
  ...stats.commands,
  ...retention.commands,
  ...area.commands,
} satisfies CommandHandlers<typeof COMMAND_DECLARATIONS>;

const VERB_HANDLERS = {
  ...help.verbs,
  ...notifications.verbs,
  ...referrals.verbs,
  ...meetings.verbs,
  ...actions.verbs,
  ...cases.verbs,
  ...guide.verbs,
  ...find.verbs,
  ...reminders.verbs,
  ...minutes.verbs,
  ...scheduling.verbs,
  ...members.verbs,
  ...audit.verbs,
  ...stats.verbs,
  ...retention.verbs,
  ...area.verbs,
} satisfies VerbHandlers<typeof VERB_DECLARATIONS>;

const CAPABILITIES = [
  help,
  notifications,
  referrals,
  scheduling,
  meetings,
  actions,
  cases,
  guide,
  find,
  reminders,
  minutes,
  members,
  audit,
  stats,
  retention,
  area,
] as const;

/** Dialogs the capabilities' commands begin; the router adds them to its dialog set. */
export function dialogsFor(env: DialogEnv): Dialog[] {
  return CAPABILITIES.flatMap((c) => ('dialogs' in c ? c.dialogs(env) : []));
}

export type CommandEntry = { readonly name: CommandName } & CommandDeclaration &
  ({ readonly run: CommandHandler } | { readonly runForAnyone: OpenCommandHandler });

/** A command as the router runs it: its declaration and its handler, which every command has. */
export function commandEntry(name: CommandName): CommandEntry {
  return { name, ...COMMAND_DECLARATIONS[name], ...COMMAND_HANDLERS[name] };
}

/** A verb as the router dispatches it; the payload schema is applied here, once, before any handler. */
export interface VerbEntry {
  readonly verb: VerbName;
  readonly action: PolicyAction;
  /**
   * For Action.Execute: the handler bound to `data` read with the verb's schema, or null when the
   * data does not fit. Absent for verbs only a dialog takes.
   */
  readonly execute?: (data: unknown) => ((h: HandlerContext) => Promise<AdaptiveCardJson>) | null;
  /** For a caller not allowed the action: a view instead of a refusal (card refreshes). */
  readonly view?: (h: OpenHandlerContext, data: unknown) => Promise<AdaptiveCardJson>;
  /** For a caller refused at the role gate: the card they may see, with the reason (the refusal is audited). */
  readonly refused?: (h: OpenHandlerContext, data: unknown) => Promise<AdaptiveCardJson>;
  /** For an Action.Submit that no open dialog took. */
  readonly submit?: SubmitHandler;
}

const isVerb = (v: string): v is VerbName => Object.prototype.hasOwnProperty.call(VERB_DECLARATIONS, v);

export function verbEntry(verb: string): VerbEntry | undefined {
  if (!isVerb(verb)) return undefined;
  const { action, payload } = VERB_DECLARATIONS[verb];
  // Sound: `VerbHandlers` gave each verb's handlers exactly its own schema's output type, and the
  // payload they get below is that schema's output. TypeScript cannot follow the pairing by key.
  const set = VERB_HANDLERS[verb] as {
    readonly execute?: ExecuteHandler<unknown>;
    readonly view?: ViewHandler<unknown>;
    readonly refused?: ViewHandler<unknown>;
    readonly submit?: SubmitHandler;
  };
  const { execute, view, refused, submit } = set;
  return {
    verb,
    action,
    ...(execute && {
      execute: (data: unknown) => {
        const read = payload.safeParse(data);
        return read.success ? (h: HandlerContext) => execute(h, read.data) : null;
      },
    }),
    ...(view && {
      view: (h: OpenHandlerContext, data: unknown) => {
        const read = payload.safeParse(data);
        return view(h, read.success ? read.data : undefined);
      },
    }),
    ...(refused && {
      refused: (h: OpenHandlerContext, data: unknown) => {
        const read = payload.safeParse(data);
        return refused(h, read.success ? read.data : undefined);
      },
    }),
    ...(submit && { submit }),
  };
}
