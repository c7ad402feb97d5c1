import type { PolicyAction } from '../domain/policy';
import { REFERRAL_VERBS } from './handlers/referral.handler';

/**
 * The bot's text commands. One catalogue feeds the router, the help card and the manifest's command
 * list, and names the policy action each needs, so a command cannot skip authorisation.
 */
export const COMMANDS = [
  { name: 'help', description: 'Show what I can do', action: 'help.show', where: 'any' },
  {
    name: 'notify',
    description: 'Notify the co-ordinator of a MAPPA-eligible person',
    action: 'notification.create',
    where: 'personal',
  },
  {
    name: 'refer',
    description: 'refer [case ref | initials | new]: start or carry on a MAPPA A referral',
    action: 'referral.draft',
    where: 'personal',
  },
  { name: 'members', description: 'List the members of this MAPPA area', action: 'member.list', where: 'personal' },
  {
    name: 'add member',
    description: 'Enrol a colleague with their agency and roles',
    action: 'member.manage',
    where: 'personal',
  },
  { name: 'remove member', description: "Remove a colleague's access", action: 'member.manage', where: 'personal' },
  { name: 'set role', description: "Change a member's roles", action: 'member.manage', where: 'personal' },
  {
    name: 'sync members',
    description: 'Update members from the mapped Entra security groups now',
    action: 'member.manage',
    where: 'personal',
  },
  {
    name: 'audit',
    description: 'audit <case ref>: who saw or changed a case',
    action: 'case.audit.read',
    where: 'personal',
  },
  {
    name: 'retention',
    description: 'Exited cases due for retention review',
    action: 'retention.review',
    where: 'personal',
  },
  {
    name: 'erase',
    description: 'erase <case ref>: remove personal data from a case due for review',
    action: 'retention.erase',
    where: 'personal',
  },
  {
    name: 'set coordinator channel',
    description: 'Post MAPPA notifications and referrals in this channel',
    action: 'channel.setCoordinator',
    where: 'channel',
  },
] as const satisfies ReadonlyArray<{
  name: string;
  description: string;
  action: PolicyAction;
  /** Where the command may run: names and case details never go to a shared conversation. */
  where: 'any' | 'personal' | 'channel';
}>;

export type CommandName = (typeof COMMANDS)[number]['name'];

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
  const sorted = [...COMMANDS].sort((a, b) => b.name.length - a.name.length);
  const found = sorted.find((c) => lower === c.name || lower.startsWith(`${c.name} `));
  return found ? { name: found.name, args: text.slice(found.name.length).trim() } : undefined;
}

/**
 * Card verbs (Action.Execute / Action.Submit). A `const` map so a verb a card sends and the router
 * handles cannot drift apart, and every verb names the policy action that guards it.
 */
export const CARD_VERBS = {
  help: 'help.show',
  'member.add': 'member.manage',
  'member.remove': 'member.manage',
  'member.setRoles': 'member.manage',
  'retention.erase': 'retention.erase',
  'notification.submit': 'notification.create',
  'notification.level1': 'notification.decide',
  'notification.awaitReferral': 'notification.decide',
  'notification.askToRefer': 'notification.decide',
  'notification.open': 'notification.decide',
  // Anyone enrolled may refresh; what they then see depends on their role.
  'notification.refresh': 'help.show',
  ...REFERRAL_VERBS,
} as const satisfies Record<string, PolicyAction>;

export type CardVerb = keyof typeof CARD_VERBS;

export function isCardVerb(v: string): v is CardVerb {
  return Object.prototype.hasOwnProperty.call(CARD_VERBS, v);
}
