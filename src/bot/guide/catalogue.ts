import type { Catalogue } from '../capability';

export const GUIDE_CATALOGUE = {
  commands: {
    guide: {
      description:
        'MAPPA guidance in short: type guide for the topics, or guide and a question, for example guide what is level 2?',
      audience: 'everyone',
      action: 'guide.read',
      where: 'any',
    },
  },
  verbs: {},
} as const satisfies Catalogue;
