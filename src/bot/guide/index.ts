import type { CapabilityHandlers } from '../capability';
import { GUIDE_CATALOGUE } from './catalogue';
import { guideCommand } from './guide.command';

export const guide = {
  commands: { guide: { run: guideCommand } },
  verbs: {},
} satisfies CapabilityHandlers<typeof GUIDE_CATALOGUE>;
