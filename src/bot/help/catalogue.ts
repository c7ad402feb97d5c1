import { z } from 'zod';
import type { Catalogue } from '../capability';

export const HELP_CATALOGUE = {
  commands: {
    help: {
      description: 'Show what I can do',
      audience: 'everyone',
      action: 'help.show',
      where: 'any',
      forAnyone: true,
    },
  },
  verbs: {
    // The welcome card's button is an Action.Submit; other cards send help as an Action.Execute.
    help: { via: 'both', action: 'help.show', payload: z.unknown() },
  },
} as const satisfies Catalogue;
