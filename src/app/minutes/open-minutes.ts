import type { Minutes } from '../../domain/minutes.schema';
import type { Principal } from '../../domain/policy';
import { redactForReader, withheldFields } from '../../domain/police-only';
import { ok, type Result } from '../../lib/result';
import {
  agencyNamesOf,
  auditMinutesRead,
  loadMinutes,
  readerCopy,
  type MinutesDeps,
  type MinutesError,
} from './shared';

export interface MinutesView {
  /** As this reader may see them: police-only text removed for duty-to-co-operate readers. */
  readonly minutes: Minutes;
  readonly caseRef: string;
  /** True when police-only text was withheld from this reader. */
  readonly withheld: boolean;
  readonly agencyNames: Readonly<Record<string, string>>;
  /** The revision of a correction still in draft when these are the approved minutes shown instead. */
  readonly correctionInProgress: number | null;
}

/**
 * The full minutes, for members of the meeting's invited agencies and the co-ordinator only; anyone
 * else is told they do not exist. Every opening is audited before anything is returned. While a
 * correction is open, readers get the approved version; `editing` gives the chair or co-ordinator the draft.
 */
export async function openMinutes(
  deps: MinutesDeps,
  principal: Principal,
  minutesId: string,
  opts: { readonly editing?: boolean } = {},
): Promise<Result<MinutesView, MinutesError>> {
  const loaded = await loadMinutes(deps, principal, minutesId, 'read');
  if (!loaded.ok) return loaded;
  const { actor, readerHasVisorAccess, caseRef, area, mayEdit, heldLevel } = loaded.value;
  // Only the chair or co-ordinator, editing, reads a correction's draft; everyone else the approved version.
  const { minutes, correctionInProgress } =
    opts.editing === true && mayEdit
      ? { minutes: loaded.value.minutes, correctionInProgress: null }
      : await readerCopy(deps, loaded.value.minutes, heldLevel);
  const withheld = !readerHasVisorAccess && withheldFields('minutes', minutes).length > 0;
  await auditMinutesRead(deps, actor, minutes, { withheld });
  return ok({
    minutes: redactForReader('minutes', minutes, readerHasVisorAccess),
    caseRef,
    withheld,
    agencyNames: agencyNamesOf(area),
    correctionInProgress,
  });
}
