import type { Minutes } from '../../domain/minutes.schema';
import type { Principal } from '../../domain/policy';
import { redactForReader, withheldFields } from '../../domain/police-only';
import { ok, type Result } from '../../lib/result';
import { agencyNamesOf, loadMinutes, readerCopy, type MinutesDeps, type MinutesError } from './shared';

export interface MinutesExport {
  /** Redacted for the reader: a duty-to-co-operate copy never holds police-only text. */
  readonly minutes: Minutes;
  readonly caseRef: string;
  readonly areaName: string;
  readonly readerHasVisorAccess: boolean;
  /** True when police-only text was removed from this reader's copy. */
  readonly withheld: boolean;
  readonly agencyNames: Record<string, string>;
}

/**
 * Everything a minutes document needs, for a reader the minutes' rules allow (members of the invited
 * agencies and the co-ordinator; anyone else is told the minutes do not exist). Called when a link is
 * made and again at download, so a reader removed in between gets nothing; the download audits.
 */
export async function prepareMinutesExport(
  deps: MinutesDeps,
  principal: Principal,
  minutesId: string,
): Promise<Result<MinutesExport, MinutesError>> {
  const loaded = await loadMinutes(deps, principal, minutesId, 'read');
  if (!loaded.ok) return loaded;
  const { caseRef, area, readerHasVisorAccess } = loaded.value;
  // A document is a copy for circulation: the approved version while a correction is drafted.
  const { minutes } = await readerCopy(deps, loaded.value.minutes, loaded.value.heldLevel);
  return ok({
    minutes: redactForReader('minutes', minutes, readerHasVisorAccess),
    caseRef,
    areaName: area.name,
    readerHasVisorAccess,
    withheld: !readerHasVisorAccess && withheldFields('minutes', minutes).length > 0,
    agencyNames: agencyNamesOf(area),
  });
}
