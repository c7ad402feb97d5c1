import type { CapabilityHandlers } from '../capability';
import { askToReferVerb } from './ask-to-refer.verb';
import { awaitReferralVerb } from './await-referral.verb';
import { NOTIFICATION_CATALOGUE } from './catalogue';
import { level1Verb } from './level1.verb';
import { notifyCommand } from './notify.command';
import { openVerb } from './open.verb';
import { refreshVerb, refreshView } from './refresh.verb';
import { submitVerb } from './submit.verb';

export const notifications = {
  commands: { notify: { run: notifyCommand } },
  verbs: {
    'notification.submit': { execute: submitVerb },
    'notification.level1': { execute: level1Verb },
    'notification.awaitReferral': { execute: awaitReferralVerb },
    'notification.askToRefer': { execute: askToReferVerb },
    'notification.open': { execute: openVerb },
    'notification.refresh': { execute: refreshVerb, view: refreshView },
  },
} satisfies CapabilityHandlers<typeof NOTIFICATION_CATALOGUE>;
