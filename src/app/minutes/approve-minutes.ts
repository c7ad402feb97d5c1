import { z } from 'zod';
import type { Minutes } from '../../domain/minutes.schema';
import type { Principal } from '../../domain/policy';
import { appError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import { fieldErrorsOf } from '../meetings/shared';
import { loadMinutes, minutesValidation, type MinutesDeps, type MinutesError } from './shared';

export const ApproveInput = z.object({ version: z.coerce.number().int().nonnegative() });

/**
 * Approves the draft exactly as the approver read it (its version): the store keeps its canonical
 * content hash and an immutable copy. Chair or co-ordinator only.
 */
export async function approveMinutes(
  deps: MinutesDeps,
  principal: Principal,
  minutesId: string,
  input: unknown,
): Promise<Result<Minutes, MinutesError>> {
  const loaded = await loadMinutes(deps, principal, minutesId, 'chair_or_coordinator');
  if (!loaded.ok) return loaded;
  const parsed = ApproveInput.safeParse(input);
  if (!parsed.success) return err(minutesValidation(fieldErrorsOf(parsed.error)));
  const { minutes, actor } = loaded.value;
  const approved = await deps.minutes.approve(
    minutes.id,
    parsed.data.version,
    { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
    { by: actor },
  );
  if (approved.ok) return ok(approved.value);
  switch (approved.error.code) {
    case 'ALREADY_DECIDED':
      return err(appError('ALREADY_DECIDED', `Version ${minutes.revision} of these minutes is already approved.`));
    case 'VERSION_CONFLICT':
      return err(appError('VERSION_CONFLICT', 'The minutes changed since you read them: open them again and approve.'));
    case 'NOT_FOUND':
      return err(appError('NOT_FOUND', 'Those minutes were not found.'));
    default:
      return err(appError('ILLEGAL_TRANSITION', 'These minutes cannot be approved now.'));
  }
}
