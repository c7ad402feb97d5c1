import type { CapabilityHandlers } from '../capability';
import { FIND_CATALOGUE } from './catalogue';
import { findCommand } from './find.command';

export const find = {
  commands: { find: { run: findCommand } },
  verbs: {},
} satisfies CapabilityHandlers<typeof FIND_CATALOGUE>;
