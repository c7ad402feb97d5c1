import { z } from 'zod';
import { Category } from '../../domain/common.schema';
import type { Meeting } from '../../domain/meeting.schema';
import { recordView } from '../../domain/meeting-run';
import type { Principal } from '../../domain/policy';
import { err, type Result } from '../../lib/result';
import { changeRun, fieldErrorsOf, loadMeeting, validation } from './shared';
import type { MeetingDeps, MeetingError } from './shared';

const level = z.coerce.number().pipe(z.literal([1, 2, 3], { error: 'Choose Level 1, 2 or 3.' }));
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Keep it under ${max.toLocaleString('en-GB')} characters.`)
    .optional()
    .transform((v) => (v === '' ? undefined : v));

export const ViewInput = z.object({
  level,
  category: z.enum(Category.options, { error: 'Choose the category.' }),
  comment: optionalText(2000),
});

/** A present agency's view on level and category for the closing round; a later view replaces it. */
export async function giveClosingView(
  deps: MeetingDeps,
  principal: Principal,
  meetingId: string,
  raw: unknown,
): Promise<Result<Meeting, MeetingError>> {
  const loaded = await loadMeeting(deps, principal, meetingId, 'contribute');
  if (!loaded.ok) return loaded;
  const { meeting, actor } = loaded.value;
  const parsed = ViewInput.safeParse(raw);
  if (!parsed.success) return err(validation(fieldErrorsOf(parsed.error)));
  const agencyId = principal.member!.agencyId;
  const { comment, ...rest } = parsed.data;
  return changeRun(deps, meeting, actor, (run) =>
    recordView(run, {
      agencyId,
      ...rest,
      ...(comment ? { comment } : {}),
      by: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
    }),
  );
}
