import type { CapabilityHandlers } from '../capability';
import { auditCommand } from './audit.command';
import { AUDIT_CATALOGUE } from './catalogue';

export const audit = {
  commands: { audit: { run: auditCommand } },
  verbs: {},
} satisfies CapabilityHandlers<typeof AUDIT_CATALOGUE>;
