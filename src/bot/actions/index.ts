import type { CapabilityHandlers } from '../capability';
import { approveVerb } from './approve.verb';
import { ACTION_CATALOGUE } from './catalogue';
import { doneVerb } from './done.verb';
import { extendVerb } from './extend.verb';
import { openVerb } from './open.verb';
import { progressVerb } from './progress.verb';
import { refreshVerb, refreshView } from './refresh.verb';
import { refuseVerb } from './refuse.verb';

export const actions = {
  commands: {},
  verbs: {
    'action.open': { execute: openVerb },
    'action.progress': { execute: progressVerb },
    'action.done': { execute: doneVerb },
    'action.extend': { execute: extendVerb },
    'action.extension.approve': { execute: approveVerb },
    'action.extension.refuse': { execute: refuseVerb },
    'action.extension.refresh': { execute: refreshVerb, view: refreshView },
  },
} satisfies CapabilityHandlers<typeof ACTION_CATALOGUE>;
