import type { CapabilityHandlers } from '../capability';
import { REMINDER_CATALOGUE } from './catalogue';
import { myActionsCommand } from './my-actions.command';
import { overdueCommand } from './overdue.command';
import { remindersCommand } from './reminders.command';

export const reminders = {
  commands: {
    'my actions': { run: myActionsCommand },
    overdue: { run: overdueCommand },
    reminders: { run: remindersCommand },
  },
  verbs: {},
} satisfies CapabilityHandlers<typeof REMINDER_CATALOGUE>;
