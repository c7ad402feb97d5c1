import type { CapabilityHandlers } from '../capability';
import { RETENTION_CATALOGUE } from './catalogue';
import { eraseCommand } from './erase.command';
import { eraseVerb } from './erase.verb';
import { retentionCommand } from './retention.command';

export const retention = {
  commands: { retention: { run: retentionCommand }, erase: { run: eraseCommand } },
  verbs: { 'retention.erase': { execute: eraseVerb } },
} satisfies CapabilityHandlers<typeof RETENTION_CATALOGUE>;
