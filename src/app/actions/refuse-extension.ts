import { z } from 'zod';
import type { Principal } from '../../domain/policy';
import { err, ok, type Result } from '../../lib/result';
import {
  actionValidation,
  CardVersion,
  fieldErrorsOf,
  runActionCommand,
  type ActionDeps,
  type ActionError,
  type ActionOutcome,
} from './shared';

const REASON_NEEDED = 'Give the reason for refusing the extension.';

export const RefuseExtensionInput = z.object({
  version: CardVersion,
  reason: z
    .string({ error: REASON_NEEDED })
    .trim()
    .min(1, REASON_NEEDED)
    .max(2000, 'Keep the reason under 2,000 characters.'),
});

/** The co-ordinator refuses an extension; the reason is required and the due date stays. */
export function refuseExtension(
  deps: ActionDeps,
  principal: Principal,
  actionId: string,
  raw: unknown,
): Promise<Result<ActionOutcome, ActionError>> {
  return runActionCommand(deps, principal, actionId, 'decider', () => {
    const parsed = RefuseExtensionInput.safeParse(raw);
    if (!parsed.success) return err(actionValidation(fieldErrorsOf(parsed.error)));
    return ok({ version: parsed.data.version, cmd: { kind: 'refuse_extension', reason: parsed.data.reason } });
  });
}
