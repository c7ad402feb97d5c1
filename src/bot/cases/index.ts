import type { CapabilityHandlers } from '../capability';
import { caseCommand } from './case.command';
import { CASE_CATALOGUE } from './catalogue';

export const cases = {
  commands: { case: { run: caseCommand } },
  verbs: {},
} satisfies CapabilityHandlers<typeof CASE_CATALOGUE>;
