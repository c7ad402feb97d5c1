import { transition } from '../../domain/case-lifecycle';
import { ukDateOf } from '../../domain/dates';
import { can, type Principal } from '../../domain/policy';
import type { IdentityCheck, Referral } from '../../domain/referral.schema';
import { appError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import { caseForReferral, saveCase } from './case-link';
import { review } from './review';
import { authorise, DRAFT_REFUSAL, loadArea, loadOwnReferral, type ReferralDeps, type ReferralError } from './shared';
import { summarise, type ReferralSummary } from './summary';

export interface SubmittedReferral {
  readonly referral: Referral;
  readonly summary: ReferralSummary;
  /** The case reference to tell the referrer: only for a referral they started from a case they could see. */
  readonly caseRefForReferrer: string | null;
}

/**
 * Submits the version the referrer reviewed. Refused, with every reason in words, while required
 * answers are missing or the facts fail the requested level's test; asking the co-ordinator to advise
 * (`askCoordinatorToAdvise`, or 'advise' as the level) lets a referral with only level-test gaps go.
 * A referral with no case yet gets one (and its person) so the co-ordinator always decides on a case.
 */
export async function submitReferral(
  deps: ReferralDeps,
  principal: Principal,
  referralId: string,
  expectedVersion: number,
  opts: { askCoordinatorToAdvise?: boolean } = {},
): Promise<Result<SubmittedReferral, ReferralError>> {
  const actor = authorise(principal, 'referral.draft', DRAFT_REFUSAL);
  if (!actor.ok) return actor;
  const loaded = await loadOwnReferral(deps, principal, referralId);
  if (!loaded.ok) return loaded;
  let referral = loaded.value;
  if (referral.status !== 'draft')
    return err(
      appError('ILLEGAL_TRANSITION', `The referral is already ${referral.status}.`, { status: referral.status }),
    );
  if (referral.version !== expectedVersion)
    return err(appError('VERSION_CONFLICT', 'The referral changed since you reviewed it. Please review it again.'));
  const area = await loadArea(deps);

  if (opts.askCoordinatorToAdvise && referral.sections.reason?.levelRequested !== 'advise') {
    const reason = { ...referral.sections.reason, levelRequested: 'advise' as const };
    const saved = await deps.referrals.update(
      referral.id,
      referral.version,
      { sections: { ...referral.sections, reason } },
      { by: actor.value, details: { section: 'reason' } },
    );
    if (!saved.ok) return err(saved.error);
    referral = saved.value;
  }

  const checked = review(referral, area, principal);
  if (!checked.ready)
    return err({
      ...appError('REFERRAL_INCOMPLETE', 'The referral cannot be submitted yet.', { count: checked.blocking.length }),
      reasons: checked.blocking,
      adviseAvailable: checked.adviseAvailable,
    });

  const today = ukDateOf(deps.clock.now());
  // Named back to the referrer only when they started from a case they could already see: a case
  // found from what they typed may be one they cannot see, and naming it would say the person is known.
  const startedFromCase = referral.startedFromCase === true;
  const linked = await caseForReferral(deps, actor.value, referral, area);
  if (!linked.ok) return linked;
  referral = linked.value.referral;
  let check: IdentityCheck | null = linked.value.kind === 'check' ? linked.value.check : null;
  const target = linked.value.kind === 'linked' ? linked.value.caseRecord : null;
  if (target) {
    const legal = transition(target, { type: 'REFERRAL_SUBMITTED', referralId: referral.id, on: today });
    if (!legal.ok) {
      const visible = can(principal, 'case.read', {
        case: { areaId: target.areaId, leadAgencyId: target.leadAgencyId, involvedAgencyIds: [] },
      }).allowed;
      if (startedFromCase || visible) {
        const why =
          target.status === 'referral_pending'
            ? `A referral for this person is already with the co-ordinator (case ${target.ref}).`
            : `Case ${target.ref} cannot be referred while it is ${target.status.replace(/_/g, ' ')}.`;
        return err(appError('ILLEGAL_TRANSITION', why, { status: target.status }));
      }
      // The referrer cannot see this case: the co-ordinator sorts it out, and the reply says nothing of it.
      check = { reason: 'case_not_open_to_referral', candidateCaseIds: [target.id] };
    }
  }
  if (check) {
    const flagged = await deps.referrals.update(
      referral.id,
      referral.version,
      { identityCheck: check },
      { by: actor.value, details: { identity: check.reason } },
    );
    if (!flagged.ok) return err(flagged.error);
    referral = flagged.value;
  } else if (target && referral.caseId !== target.id) {
    const linkedNow = await deps.referrals.update(
      referral.id,
      referral.version,
      { caseId: target.id },
      { by: actor.value },
    );
    if (!linkedNow.ok) return err(linkedNow.error);
    referral = linkedNow.value;
  }

  const submitted = await deps.referrals.submit(referral.id, referral.version, deps.clock.now().toISOString(), {
    by: actor.value,
  });
  if (!submitted.ok)
    return err(
      submitted.error.code === 'ALREADY_DECIDED'
        ? appError('ILLEGAL_TRANSITION', 'The referral has already been decided.')
        : submitted.error,
    );
  if (target && !check) {
    // Checked legal above; a lost race here leaves the referral with the co-ordinator regardless, and
    // the decision step only touches a case that is pending on this referral.
    await saveCase(
      deps,
      actor.value,
      target.id,
      (c) => transition(c, { type: 'REFERRAL_SUBMITTED', referralId: referral.id, on: today }),
      'case.updated',
    );
  }
  const summary = await summarise(deps, submitted.value, area);
  return ok({ referral: submitted.value, summary, caseRefForReferrer: summary.caseRefForReferrer });
}
