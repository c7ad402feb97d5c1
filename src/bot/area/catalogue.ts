import type { Catalogue } from '../capability';

export const AREA_CATALOGUE = {
  commands: {
    'set coordinator channel': {
      description: 'Post MAPPA notifications and referrals in this channel',
      action: 'channel.setCoordinator',
      where: 'channel',
    },
  },
  verbs: {},
} as const satisfies Catalogue;
