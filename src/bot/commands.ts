import { ACTION_CATALOGUE } from './actions/catalogue';
import { AREA_CATALOGUE } from './area/catalogue';
import { AUDIT_CATALOGUE } from './audit/catalogue';
import { CASE_CATALOGUE } from './cases/catalogue';
import { FIND_CATALOGUE } from './find/catalogue';
import { GUIDE_CATALOGUE } from './guide/catalogue';
import { HELP_CATALOGUE } from './help/catalogue';
import { MEETING_CATALOGUE } from './meetings/catalogue';
import { MEMBER_CATALOGUE } from './members/catalogue';
import { MINUTES_CATALOGUE } from './minutes/catalogue';
import { NOTIFICATION_CATALOGUE } from './notifications/catalogue';
import { REFERRAL_CATALOGUE } from './referrals/catalogue';
import { REMINDER_CATALOGUE } from './reminders/catalogue';
import { RETENTION_CATALOGUE } from './retention/catalogue';
import { SCHEDULING_CATALOGUE } from './scheduling/catalogue';
import { STATS_CATALOGUE } from './stats/catalogue';
import type { CommandDeclaration, VerbDeclaration } from './capability';
import type { PolicyAction } from '../domain/policy';

/**
 * Every capability's declarations, without their handlers: the help card, the manifest check and
 * tests read these; `dispatch.ts` joins each to its handler. The order here is the help card's order.
 */
export const COMMAND_DECLARATIONS = {
  ...HELP_CATALOGUE.commands,
  ...GUIDE_CATALOGUE.commands,
  ...NOTIFICATION_CATALOGUE.commands,
  ...REFERRAL_CATALOGUE.commands,
  ...CASE_CATALOGUE.commands,
  ...FIND_CATALOGUE.commands,
  ...REMINDER_CATALOGUE.commands,
  ...MEETING_CATALOGUE.commands,
  ...MINUTES_CATALOGUE.commands,
  ...SCHEDULING_CATALOGUE.commands,
  ...MEMBER_CATALOGUE.commands,
  ...AUDIT_CATALOGUE.commands,
  ...STATS_CATALOGUE.commands,
  ...RETENTION_CATALOGUE.commands,
  ...AREA_CATALOGUE.commands,
} as const satisfies Record<string, CommandDeclaration>;

export const VERB_DECLARATIONS = {
  ...HELP_CATALOGUE.verbs,
  ...NOTIFICATION_CATALOGUE.verbs,
  ...REFERRAL_CATALOGUE.verbs,
  ...MEETING_CATALOGUE.verbs,
  ...ACTION_CATALOGUE.verbs,
  ...CASE_CATALOGUE.verbs,
  ...GUIDE_CATALOGUE.verbs,
  ...FIND_CATALOGUE.verbs,
  ...REMINDER_CATALOGUE.verbs,
  ...MINUTES_CATALOGUE.verbs,
  ...SCHEDULING_CATALOGUE.verbs,
  ...MEMBER_CATALOGUE.verbs,
  ...AUDIT_CATALOGUE.verbs,
  ...STATS_CATALOGUE.verbs,
  ...RETENTION_CATALOGUE.verbs,
  ...AREA_CATALOGUE.verbs,
} as const satisfies Record<string, VerbDeclaration>;

export type CommandName = keyof typeof COMMAND_DECLARATIONS;
export type VerbName = keyof typeof VERB_DECLARATIONS;

const commandNames = Object.keys(COMMAND_DECLARATIONS) as CommandName[];

/** The bot's text commands, in help-card order, each naming the policy action it needs. */
export const COMMANDS: ReadonlyArray<{ readonly name: CommandName } & CommandDeclaration> = commandNames.map(
  (name) => ({ name, ...COMMAND_DECLARATIONS[name] }),
);

type ExecuteVerb = {
  [V in VerbName]: (typeof VERB_DECLARATIONS)[V]['via'] extends 'submit' ? never : V;
}[VerbName];

/** Verbs a card may send as Action.Execute, each with the policy action that guards it. */
export const CARD_VERBS = Object.fromEntries(
  Object.entries(VERB_DECLARATIONS)
    .filter(([, d]) => d.via !== 'submit')
    .map(([verb, d]) => [verb, d.action]),
) as Readonly<Record<ExecuteVerb, PolicyAction>>;

export type CardVerb = ExecuteVerb;

/** Teams prefixes channel messages with the @mention and may add non-breaking spaces. */
export function normaliseCommandText(text: string | undefined): string {
  return (text ?? '')
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/\u00a0/g, ' ')
    .trim()
    .replace(/\s+/g, ' ');
}

/** Longest command name first, so "set role" is not read as something shorter. */
export function matchCommand(text: string): { name: CommandName; args: string } | undefined {
  const lower = text.toLowerCase();
  const sorted = [...commandNames].sort((a, b) => b.length - a.length);
  const found = sorted.find((name) => lower === name || lower.startsWith(`${name} `));
  return found ? { name: found, args: text.slice(found.length).trim() } : undefined;
}
