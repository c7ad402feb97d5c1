import { can, type Principal } from '../../domain/policy';
import type { AdaptiveCardJson } from '../cards/render';
import { COMMANDS } from '../commands';
import type { CardRenderer } from '../handler-context';

/** Shows what this caller may do; people not enrolled still see help so they know whom to ask. */
export function helpCard(card: CardRenderer, principal: Principal | null): AdaptiveCardJson {
  const visible = COMMANDS.filter((c) => c.forAnyone || (principal !== null && can(principal, c.action).allowed));
  return card('help', { commands: visible.map((c) => ({ name: c.name, description: c.description })) });
}
