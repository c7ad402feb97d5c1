import type { CapabilityHandlers } from '../capability';
import { AREA_CATALOGUE } from './catalogue';
import { setCoordinatorChannelCommand } from './set-coordinator-channel.command';

export const area = {
  commands: { 'set coordinator channel': { run: setCoordinatorChannelCommand } },
  verbs: {},
} satisfies CapabilityHandlers<typeof AREA_CATALOGUE>;
