import type { CapabilityHandlers } from '../capability';
import { STATS_CATALOGUE } from './catalogue';
import { downloadVerb } from './download.verb';
import { reportCommand } from './report.command';

export const stats = {
  commands: { report: { run: reportCommand } },
  verbs: { 'stats.download': { execute: downloadVerb } },
} satisfies CapabilityHandlers<typeof STATS_CATALOGUE>;
