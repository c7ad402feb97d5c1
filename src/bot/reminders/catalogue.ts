import type { Catalogue } from '../capability';

export const REMINDER_CATALOGUE = {
  commands: {
    'my actions': {
      description: 'Your open actions across cases, soonest due first, each with its buttons',
      audience: 'practitioner',
      action: 'case.read',
      where: 'personal',
    },
    overdue: {
      description: 'Every overdue action and late deadline in the area, by agency',
      audience: 'coordinator',
      action: 'reminders.review',
      where: 'personal',
    },
    reminders: {
      description: 'Reminders due to go out, what went out and anything not delivered',
      audience: 'coordinator',
      action: 'reminders.review',
      where: 'personal',
    },
  },
  verbs: {},
} as const satisfies Catalogue;
