import type { Catalogue } from '../capability';

export const AREA_CATALOGUE = {
  commands: {
    'set coordinator channel': {
      description: "Type it in the co-ordinators' channel, mentioning me, to post notifications and referrals there",
      audience: 'admin',
      action: 'channel.setCoordinator',
      where: 'channel',
    },
  },
  verbs: {},
} as const satisfies Catalogue;
