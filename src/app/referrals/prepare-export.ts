import { can, type Principal } from '../../domain/policy';
import type { Referral } from '../../domain/referral.schema';
import { appError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import { loadArea, loadAreaReferral, referrerOf, type ReferralDeps, type ReferralError } from './shared';

/**
 * Everything `renderMappaADocx` needs, for the co-ordinator or the referrer. Police-only fields are
 * withheld from readers whose agency has no ViSOR access (the renderer redacts on this flag).
 */
export async function prepareMappaAExport(
  deps: ReferralDeps,
  principal: Principal,
  referralId: string,
): Promise<
  Result<
    {
      referral: Referral;
      caseRef?: string;
      areaName: string;
      formLabel: string;
      readerHasVisorAccess: boolean;
      agencyNames: Record<string, string>;
    },
    ReferralError
  >
> {
  const loaded = await loadAreaReferral(deps, referralId);
  if (!loaded.ok) return loaded;
  const mine = referrerOf(loaded.value) === principal.aadObjectId;
  if (!mine && !can(principal, 'referral.decide').allowed)
    return err(appError('NOT_FOUND', 'That referral was not found.'));
  const area = await loadArea(deps);
  const c = loaded.value.caseId ? await deps.cases.get(loaded.value.caseId) : null;
  const reader = area.agencies.find((a) => a.id === principal.member?.agencyId);
  return ok({
    referral: loaded.value,
    ...(c?.ok ? { caseRef: c.value.ref } : {}),
    areaName: area.name,
    formLabel: area.labels.referralForm,
    readerHasVisorAccess: reader?.visorAccess ?? false,
    agencyNames: Object.fromEntries(area.agencies.map((a) => [a.id, a.name])),
  });
}
