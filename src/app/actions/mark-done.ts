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

const NOTE_REQUIRED = 'Say what was done: a note is required to mark the action done.';

export const DoneInput = z.object({
  version: CardVersion,
  note: z
    .string({ error: NOTE_REQUIRED })
    .trim()
    .min(1, NOTE_REQUIRED)
    .max(2000, 'Keep the note under 2,000 characters.'),
});

/** The owner closes the action; a note saying what was done is required, for the next meeting's review. */
export function markDone(
  deps: ActionDeps,
  principal: Principal,
  actionId: string,
  raw: unknown,
): Promise<Result<ActionOutcome, ActionError>> {
  return runActionCommand(deps, principal, actionId, 'updater', () => {
    const parsed = DoneInput.safeParse(raw);
    if (!parsed.success) return err(actionValidation(fieldErrorsOf(parsed.error)));
    return ok({ version: parsed.data.version, cmd: { kind: 'done', note: parsed.data.note } });
  });
}
