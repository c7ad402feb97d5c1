import type { CapabilityHandlers } from '../capability';
import { approveVerb } from './approve.verb';
import { MINUTES_CATALOGUE } from './catalogue';
import { correctVerb } from './correct.verb';
import { downloadVerb } from './download.verb';
import { historyVerb } from './history.verb';
import { minutesCommand } from './minutes.command';
import { openVerb } from './open.verb';
import { refreshVerb, refreshView } from './refresh.verb';
import { reviewVerb } from './review.verb';
import { sectionOpenVerb } from './section-open.verb';
import { sectionSaveVerb } from './section-save.verb';

export { postMinutesCard } from './minutes.card';
export type { MinutesBotDeps } from './deps';

export const minutes = {
  commands: { minutes: { run: minutesCommand } },
  verbs: {
    'minutes.refresh': { execute: refreshVerb, view: refreshView },
    'minutes.open': { execute: openVerb },
    'minutes.download': { execute: downloadVerb },
    'minutes.history': { execute: historyVerb },
    'minutes.review': { execute: reviewVerb },
    'minutes.section.open': { execute: sectionOpenVerb },
    'minutes.section.save': { execute: sectionSaveVerb },
    'minutes.approve': { execute: approveVerb },
    'minutes.correct': { execute: correctVerb },
  },
} satisfies CapabilityHandlers<typeof MINUTES_CATALOGUE>;
