import { z } from 'zod';
import type { Principal } from '../../domain/policy';
import { err, ok, type Result } from '../../lib/result';
import {
  actionValidation,
  CardVersion,
  fieldErrorsOf,
  NewDueDate,
  runActionCommand,
  type ActionDeps,
  type ActionError,
  type ActionOutcome,
} from './shared';

export const ExtensionInput = z.object({
  version: CardVersion,
  dueDate: NewDueDate,
  reason: z
    .string({ error: 'Give the reason for the extension.' })
    .trim()
    .min(1, 'Give the reason for the extension.')
    .max(2000, 'Keep the reason under 2,000 characters.'),
});

/**
 * The owner asks for a later due date, with a reason. The date must be after today and after the
 * current due date; the request then waits for the co-ordinator, who approves or refuses it.
 */
export function requestExtension(
  deps: ActionDeps,
  principal: Principal,
  actionId: string,
  raw: unknown,
): Promise<Result<ActionOutcome, ActionError>> {
  return runActionCommand(deps, principal, actionId, 'updater', () => {
    const parsed = ExtensionInput.safeParse(raw);
    if (!parsed.success) return err(actionValidation(fieldErrorsOf(parsed.error)));
    const { version, dueDate, reason } = parsed.data;
    return ok({ version, cmd: { kind: 'request_extension', dueDate, reason } });
  });
}
