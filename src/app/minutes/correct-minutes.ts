import { z } from 'zod';
import type { Minutes } from '../../domain/minutes.schema';
import type { Principal } from '../../domain/policy';
import { appError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import { fieldErrorsOf } from '../meetings/shared';
import { loadMinutes, minutesValidation, type MinutesDeps, type MinutesError } from './shared';

export const CORRECTION_REASON_MAX = 2000;

export const CorrectionInput = z.object({
  version: z.coerce.number().int().nonnegative(),
  reason: z
    .string()
    .trim()
    .min(1, 'Say why the approved minutes need correcting.')
    .max(
      CORRECTION_REASON_MAX,
      `Reason is too long: at most ${CORRECTION_REASON_MAX.toLocaleString('en-GB')} characters. Shorten it.`,
    ),
});

/**
 * The correction path for approved minutes: the next revision opens as a draft carrying the reason
 * and who asked, to be edited and approved again; the approved revision stays, unchanged, in the
 * history. Chair or co-ordinator only.
 */
export async function correctMinutes(
  deps: MinutesDeps,
  principal: Principal,
  minutesId: string,
  input: unknown,
): Promise<Result<Minutes, MinutesError>> {
  const loaded = await loadMinutes(deps, principal, minutesId, 'chair_or_coordinator');
  if (!loaded.ok) return loaded;
  const parsed = CorrectionInput.safeParse(input);
  if (!parsed.success) return err(minutesValidation(fieldErrorsOf(parsed.error)));
  const { minutes, actor } = loaded.value;
  if (minutes.status !== 'approved')
    return err(
      appError(
        'ILLEGAL_TRANSITION',
        `Version ${minutes.revision} is a draft, not approved yet: a draft is edited directly, section by section; a correction is for approved minutes.`,
      ),
    );
  const opened = await deps.minutes.startCorrection(
    minutes.id,
    parsed.data.version,
    { reason: parsed.data.reason, by: { aadObjectId: actor.aadObjectId, displayName: actor.displayName } },
    { by: actor },
  );
  if (opened.ok) return ok(opened.value);
  if (opened.error.code === 'VERSION_CONFLICT')
    return err(appError('VERSION_CONFLICT', 'The minutes changed since you read them: open them again.'));
  if (opened.error.code === 'NOT_FOUND') return err(appError('NOT_FOUND', 'Those minutes were not found.'));
  return err(appError('ILLEGAL_TRANSITION', 'A correction is already open for these minutes.'));
}
