import type { Area } from '../../domain/area.schema';
import { transition } from '../../domain/case-lifecycle';
import { ukDateOf } from '../../domain/dates';
import type { IdentityCheck, Referral } from '../../domain/referral.schema';
import { appError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import { ensureOpenCase, ensurePerson } from '../cases';
import type { CaseRecord } from '../ports/case-repository.port';
import type { RequestActor } from '../ports/write-context.port';
import { newCaseFor, newSubjectFor, saveCase } from './case-link';
import { validation, type ReferralDeps, type ReferralError } from './shared';

const IDENTITY_NEEDED =
  'Say which case this referral belongs to: the same person as an existing case, or a new person.';

/**
 * The co-ordinator's answer to an identity check, applied before approval: the chosen candidate case
 * or a new person and case, moved to 'referral pending' on this referral, then the referral linked in
 * one conditional write. A retry after a crash finds the case already pending on this referral and
 * the new person already made (the identity rule matches them), so it completes without duplicates.
 */
export async function resolveIdentity(
  deps: ReferralDeps,
  actor: RequestActor,
  referral: Referral,
  check: IdentityCheck,
  area: Area,
  choice: string | undefined,
): Promise<Result<Referral, ReferralError>> {
  if (!choice) return err(validation('identity', IDENTITY_NEEDED));
  let target: CaseRecord;
  if (choice === 'new') {
    const subj = referral.sections.subject!;
    const wanted = { name: subj.name!, dateOfBirth: subj.dateOfBirth, identifiers: subj.identifiers ?? {} };
    const person = await ensurePerson({ subjects: deps.subjects, claims: deps.claims }, deps.areaId, wanted, () =>
      deps.subjects.create(newSubjectFor(deps, referral), { by: actor }),
    );
    const opened = await ensureOpenCase(
      { cases: deps.cases, claims: deps.claims },
      deps.areaId,
      person.subject.id,
      () => newCaseFor(deps, area, actor, referral, person.subject.id),
      { by: actor },
    );
    target = opened.caseRecord;
  } else {
    if (!check.candidateCaseIds.includes(choice)) return err(validation('identity', IDENTITY_NEEDED));
    const found = await deps.cases.get(choice);
    if (!found.ok) return err(validation('identity', 'That case no longer exists. Choose again.'));
    target = found.value;
  }
  const today = ukDateOf(deps.clock.now());
  if (!(target.status === 'referral_pending' && target.pendingReferralId === referral.id)) {
    const moved = await saveCase(
      deps,
      actor,
      target.id,
      (c) =>
        c.status === 'referral_pending' && c.pendingReferralId === referral.id
          ? ok(c)
          : transition(c, { type: 'REFERRAL_SUBMITTED', referralId: referral.id, on: today }),
      'case.updated',
    );
    if (!moved.ok)
      return err(
        validation(
          'identity',
          `Case ${target.ref} cannot take this referral while it is ${target.status.replace(/_/g, ' ')}. Choose another, or reject the referral.`,
        ),
      );
  }
  const linked = await deps.referrals.resolveIdentity(referral.id, referral.version, target.id, { by: actor });
  if (!linked.ok) {
    const again = await deps.referrals.get(referral.id);
    if (again.ok && again.value.caseId === target.id && !again.value.identityCheck) return ok(again.value);
    return err(appError('VERSION_CONFLICT', 'The referral changed while you were deciding. Please try again.'));
  }
  return ok(linked.value);
}
