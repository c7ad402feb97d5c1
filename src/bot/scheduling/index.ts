import type { CapabilityHandlers } from '../capability';
import { SCHEDULING_CATALOGUE } from './catalogue';
import { scheduleCommand } from './schedule.command';
import { submitVerb } from './submit.verb';
import { substituteVerb } from './substitute.verb';

export const scheduling = {
  commands: { 'schedule meeting': { run: scheduleCommand } },
  verbs: {
    'schedule.submit': { execute: submitVerb },
    'invitation.substitute': { execute: substituteVerb },
  },
} satisfies CapabilityHandlers<typeof SCHEDULING_CATALOGUE>;
