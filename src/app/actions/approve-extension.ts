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

export const ApproveExtensionInput = z.object({ version: CardVersion, dueDate: NewDueDate });

/** The co-ordinator approves an extension, with the new due date (the one asked for, or another). */
export function approveExtension(
  deps: ActionDeps,
  principal: Principal,
  actionId: string,
  raw: unknown,
): Promise<Result<ActionOutcome, ActionError>> {
  return runActionCommand(deps, principal, actionId, 'decider', () => {
    const parsed = ApproveExtensionInput.safeParse(raw);
    if (!parsed.success) return err(actionValidation(fieldErrorsOf(parsed.error)));
    return ok({ version: parsed.data.version, cmd: { kind: 'approve_extension', dueDate: parsed.data.dueDate } });
  });
}
