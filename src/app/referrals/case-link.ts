import type { Area } from '../../domain/area.schema';
import type { Case } from '../../domain/case.schema';
import type { IdentityCheck, Referral } from '../../domain/referral.schema';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import { conflictingOpenCaseIds, ensureOpenCase, ensurePerson, matchPerson } from '../cases';
import type { CaseRecord } from '../ports/case-repository.port';
import type { RequestActor } from '../ports/write-context.port';
import type { ReferralDeps, ReferralError } from './shared';

/*
 * Linking a referral to its person and case, shared by submission and by the co-ordinator's answer
 * to an identity check.
 */

export async function saveCase(
  deps: ReferralDeps,
  actor: RequestActor,
  caseId: string,
  step: (c: Case) => Result<Case, AppError>,
  action: 'case.updated' | 'case.decision_recorded',
): Promise<Result<CaseRecord, AppError>> {
  // One retry: the case may have been touched (e.g. a key date) between our read and write.
  for (let attempt = 0; ; attempt += 1) {
    const current = await deps.cases.get(caseId);
    if (!current.ok) return current;
    const next = step(current.value);
    if (!next.ok) return next;
    const saved = await deps.cases.save(next.value, { by: actor, action });
    if (saved.ok || saved.error.code !== 'VERSION_CONFLICT' || attempt >= 1) return saved;
  }
}

export type Linked =
  | { readonly kind: 'linked'; readonly caseRecord: CaseRecord; readonly referral: Referral }
  | { readonly kind: 'check'; readonly referral: Referral; readonly check: IdentityCheck };

export function newCaseFor(deps: ReferralDeps, area: Area, actor: RequestActor, referral: Referral, subjectId: string) {
  const s = referral.sections;
  return {
    areaId: deps.areaId,
    jurisdiction: area.jurisdiction,
    subjectId,
    status: 'notified' as const,
    category: s.category!.category!,
    level: null,
    leadAgencyId: s.referrer!.agencyId!,
    leadOfficer: { name: actor.displayName, aadObjectId: actor.aadObjectId },
    keyDates: {
      ...(s.offence?.sentenceDate ? { sentenceDate: s.offence.sentenceDate } : {}),
      ...(s.offence?.releaseDate ? { releaseDate: s.offence.releaseDate } : {}),
      ...(s.offence?.licenceEndDate ? { licenceEndDate: s.offence.licenceEndDate } : {}),
    },
    history: [],
  };
}

/** The person in the referral as a new subject record (only called when nobody matches). */
export function newSubjectFor(deps: ReferralDeps, referral: Referral) {
  const subj = referral.sections.subject!;
  return {
    areaId: deps.areaId,
    name: subj.name!,
    aliases: subj.aliases ?? [],
    dateOfBirth: subj.dateOfBirth!,
    ...(subj.gender ? { gender: subj.gender } : {}),
    ...(subj.ethnicity ? { ethnicity: subj.ethnicity } : {}),
    identifiers: subj.identifiers ?? {},
    status: subj.status!,
  };
}

/**
 * The case the referral is about, by the domain's one identity rule: the linked case; else the open
 * case of the same person (name, date of birth and a reference number all agreeing), or a new person
 * and case. A reference number shared with someone of another name or date of birth links nothing:
 * the referral goes to the co-ordinator with an identity check. Each step is recorded on the referral
 * (subject id, then case id) so a retry after a crash resumes instead of duplicating.
 */
export async function caseForReferral(
  deps: ReferralDeps,
  actor: RequestActor,
  referral: Referral,
  area: Area,
): Promise<Result<Linked, ReferralError>> {
  if (referral.caseId) {
    const c = await deps.cases.get(referral.caseId);
    if (!c.ok) return err(appError('NOT_FOUND', 'The case this referral belongs to no longer exists.'));
    return ok({ kind: 'linked', caseRecord: c.value, referral });
  }
  const subj = referral.sections.subject!;
  const wanted = { name: subj.name!, dateOfBirth: subj.dateOfBirth, identifiers: subj.identifiers ?? {} };
  let current = referral;
  let subjectId = subj.subjectId;
  if (!subjectId) {
    const matches = await matchPerson(deps.subjects, deps.areaId, wanted);
    if (matches.conflicting.length > 0) {
      const candidateCaseIds = await conflictingOpenCaseIds(deps.cases, deps.areaId, matches.conflicting);
      return ok({ kind: 'check', referral, check: { reason: 'identifier_conflict', candidateCaseIds } });
    }
    const person = await ensurePerson({ subjects: deps.subjects, claims: deps.claims }, deps.areaId, wanted, () =>
      deps.subjects.create(newSubjectFor(deps, referral), { by: actor }),
    );
    subjectId = person.subject.id;
    const recorded = await deps.referrals.update(
      referral.id,
      referral.version,
      { sections: { ...referral.sections, subject: { ...subj, subjectId } } },
      { by: actor, details: { section: 'subject' } },
    );
    if (!recorded.ok) return err(recorded.error);
    current = recorded.value;
  }
  const { caseRecord } = await ensureOpenCase(
    { cases: deps.cases, claims: deps.claims },
    deps.areaId,
    subjectId,
    () => newCaseFor(deps, area, actor, current, subjectId),
    { by: actor },
  );
  return ok({ kind: 'linked', caseRecord, referral: current });
}
