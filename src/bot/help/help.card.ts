import type { TurnContext } from 'botbuilder';
import { can, type Principal } from '../../domain/policy';
import type { Audience } from '../capability';
import type { AdaptiveCardJson } from '../cards/render';
import { COMMANDS } from '../commands';
import type { CardRenderer } from '../handler-context';

const GROUPS: ReadonlyArray<readonly [Audience, string]> = [
  ['everyone', 'For everyone'],
  ['practitioner', 'For practitioners'],
  ['coordinator', 'For co-ordinators'],
  ['admin', 'For admins'],
];

/**
 * Shows what this caller may do, grouped by whom each command is for, with buttons for the common
 * starts (in personal chat, where those commands run). People not enrolled still see help, so they
 * know whom to ask.
 */
export function helpCard(
  card: CardRenderer,
  principal: Principal | null,
  opts: { personalChat: boolean } = { personalChat: true },
): AdaptiveCardJson {
  const enrolled = principal?.member?.active === true;
  const allowed = (action: Parameters<typeof can>[1]) =>
    enrolled && principal !== null && can(principal, action).allowed;
  // Commands answered for anyone (help itself) are not listed: the card is their answer.
  const visible = COMMANDS.filter((c) => !c.forAnyone && allowed(c.action));
  return card('help', {
    enrolled,
    groups: GROUPS.map(([audience, title]) => ({
      title,
      commands: visible
        .filter((c) => c.audience === audience)
        .map((c) => ({
          name: c.name,
          description: c.example ? `${c.description}, for example ${c.example}.` : `${c.description}.`,
        })),
    })).filter((g) => g.commands.length > 0),
    canNotify: opts.personalChat && allowed('notification.create'),
    canRefer: opts.personalChat && allowed('referral.draft'),
  });
}

/** A personal chat with the bot: Teams marks it, and an unmarked conversation is one too. */
export const isPersonal = (turn: TurnContext): boolean =>
  (turn.activity.conversation?.conversationType ?? 'personal') === 'personal';
