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

export const ProgressInput = z.object({
  version: CardVersion,
  note: z
    .string({ error: 'Write a progress note.' })
    .trim()
    .min(1, 'Write a progress note.')
    .max(2000, 'Keep the progress note under 2,000 characters.'),
});

/** The owner reports progress: the note is kept and the action is marked in progress. */
export function recordProgress(
  deps: ActionDeps,
  principal: Principal,
  actionId: string,
  raw: unknown,
): Promise<Result<ActionOutcome, ActionError>> {
  return runActionCommand(deps, principal, actionId, 'updater', () => {
    const parsed = ProgressInput.safeParse(raw);
    if (!parsed.success) return err(actionValidation(fieldErrorsOf(parsed.error)));
    return ok({ version: parsed.data.version, cmd: { kind: 'progress', note: parsed.data.note } });
  });
}
