import { z } from 'zod';
import { MinutesSectionId } from '../../domain/minutes.schema';
import {
  emptySectionRefusal,
  isEmptySectionValue,
  REQUIRED_SECTIONS,
  sectionSchema,
  sectionSpec,
} from '../../domain/minutes-sections';
import type { Minutes } from '../../domain/minutes.schema';
import type { Principal } from '../../domain/policy';
import { redactForReader } from '../../domain/police-only';
import { appError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import { fieldErrorsOf } from '../meetings/shared';
import { loadMinutes, minutesValidation, type MinutesDeps, type MinutesError } from './shared';

export const SectionEditInput = z.object({
  section: MinutesSectionId,
  /** The section's version the editor started from (`sectionVersions[section]`). */
  version: z.coerce.number().int().nonnegative(),
  value: z.unknown(),
});

export const APPROVED_REFUSAL =
  'These minutes are approved and cannot be edited. To change them, start a correction with a reason: ' +
  'a new version is drafted for approval and the approved one is kept in the history.';

/**
 * Replaces one section of a draft (chair or co-ordinator). Each section carries its own version, so
 * two people editing different sections both succeed, while two edits of the same section from the
 * same starting point give the second a conflict with the section as now saved and their own text
 * kept. An editor without ViSOR access cannot see the police-only intelligence, so their edit of the
 * risk section keeps it as stored rather than erasing what they were never shown.
 */
export async function editMinutesSection(
  deps: MinutesDeps,
  principal: Principal,
  minutesId: string,
  input: unknown,
): Promise<Result<Minutes, MinutesError>> {
  const loaded = await loadMinutes(deps, principal, minutesId, 'chair_or_coordinator');
  if (!loaded.ok) return loaded;
  const { minutes, actor, readerHasVisorAccess } = loaded.value;
  if (minutes.status === 'approved') return err(appError('ALREADY_DECIDED', APPROVED_REFUSAL));
  const parsed = SectionEditInput.safeParse(input);
  if (!parsed.success) return err(minutesValidation(fieldErrorsOf(parsed.error)));
  const { section, version } = parsed.data;
  const value = sectionSchema(section).safeParse(parsed.data.value);
  if (!value.success)
    return err(
      minutesValidation({
        [section]: `${sectionSpec(section).title}: ${value.error.issues.map((i) => `${i.path.join('.') || 'value'} ${i.message}`).join('; ')}`,
      }),
    );
  if (REQUIRED_SECTIONS.includes(section) && isEmptySectionValue(value.data))
    return err(minutesValidation({ [section]: emptySectionRefusal(section) }));
  let next: unknown = value.data;
  if (section === 'risk' && !readerHasVisorAccess) {
    const { restrictedIntelligence: _ignored, ...rest } = value.data as Minutes['riskAssessment'];
    const kept = minutes.riskAssessment.restrictedIntelligence;
    next = kept === undefined ? rest : { ...rest, restrictedIntelligence: kept };
  }
  const saved = await deps.minutes.editSection(minutes.id, section, version, next, { by: actor });
  if (saved.ok) return ok(redactForReader('minutes', saved.value, readerHasVisorAccess));
  if (!('current' in saved.error))
    return err(
      saved.error.code === 'ALREADY_DECIDED'
        ? appError('ALREADY_DECIDED', APPROVED_REFUSAL)
        : appError('NOT_FOUND', 'Those minutes were not found.'),
    );
  const current = redactForReader('minutes', saved.error.current, readerHasVisorAccess);
  return err({
    ...appError(
      'VERSION_CONFLICT',
      `Someone saved "${sectionSpec(section).title}" while you were editing it. Your text is kept below; ` +
        'compare it with theirs and save again.',
    ),
    current: { version: current.sectionVersions[section], value: current[sectionSpec(section).field] },
    typed: parsed.data.value,
  });
}
