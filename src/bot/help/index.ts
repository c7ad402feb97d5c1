import type { CapabilityHandlers } from '../capability';
import { HELP_CATALOGUE } from './catalogue';
import { helpCommand } from './help.command';
import { helpVerb } from './help.verb';

export const help = {
  commands: { help: { runForAnyone: helpCommand } },
  verbs: { help: { execute: helpVerb, submit: (h) => helpCommand(h, '') } },
} satisfies CapabilityHandlers<typeof HELP_CATALOGUE>;
