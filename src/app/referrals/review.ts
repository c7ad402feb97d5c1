import type { Area } from '../../domain/area.schema';
import type { CriteriaFailureCode } from '../../domain/levels';
import type { Principal } from '../../domain/policy';
import { REFERRAL_SECTIONS, validateReferralForSubmit } from '../../domain/referral-sections';
import type { Referral, ReferralSectionId } from '../../domain/referral.schema';
import { ok, type Result } from '../../lib/result';
import { sectionAnswers, sectionQuestions } from './referral-form';
import {
  authorise,
  DRAFT_REFUSAL,
  formContext,
  loadArea,
  loadOwnReferral,
  type ReferralDeps,
  type ReferralError,
} from './shared';

/** Level-test failures that asking the co-ordinator to advise lets through. */
const CRITERIA_CODES: ReadonlySet<string> = new Set<CriteriaFailureCode>([
  'CATEGORY_3_LEVEL_1',
  'L2_NO_ADDED_VALUE',
  'L2_NO_CRITERION',
  'L3_NO_SENIOR_OVERSIGHT',
  'L3_LEVEL2_CANNOT_DELIVER_MISSING',
]);

export interface ReviewFailure {
  readonly code: string;
  readonly section: ReferralSectionId | null;
  readonly message: string;
  /** True when asking the co-ordinator to advise lets the referral go anyway. */
  readonly waivedByAdvise: boolean;
}

export interface SectionReview {
  readonly index: number;
  readonly id: ReferralSectionId;
  readonly title: string;
  readonly complete: boolean;
  readonly missing: readonly string[];
  readonly answers: readonly { label: string; value: string }[];
}

export interface ReferralReview {
  readonly referral: Referral;
  readonly sections: readonly SectionReview[];
  readonly failures: readonly ReviewFailure[];
  /** Everything that stops submission as it stands, in words. */
  readonly blocking: readonly string[];
  readonly ready: boolean;
  /** The only obstacles are level criteria, so "ask the co-ordinator to advise" would let it go. */
  readonly adviseAvailable: boolean;
}

export function review(referral: Referral, area: Area, principal: Principal): Omit<ReferralReview, 'referral'> {
  const v = validateReferralForSubmit(referral, area);
  const ctx = formContext(area, referral.sections, principal);
  const advise = referral.sections.reason?.levelRequested === 'advise';
  const failures: ReviewFailure[] = v.failures.map((f) => ({
    code: f.code,
    section: f.section,
    message: f.message,
    waivedByAdvise: CRITERIA_CODES.has(f.code),
  }));
  if (referral.sections.referrer?.managerApproved === false)
    failures.push({
      code: 'MANAGER_NOT_APPROVED',
      section: 'referrer',
      message: 'Your manager must agree the referral before it is submitted.',
      waivedByAdvise: false,
    });
  const labelOf = (section: ReferralSectionId, field: string) =>
    sectionQuestions(section).find((x) => x.field === field)?.label ?? field;
  const sections = REFERRAL_SECTIONS.map((s, index) => {
    const missing = v.missing.filter((m) => m.section === s.id).map((m) => labelOf(s.id, m.field));
    return {
      index,
      id: s.id,
      title: s.title,
      complete: missing.length === 0 && !failures.some((f) => f.section === s.id && !(advise && f.waivedByAdvise)),
      missing,
      answers: sectionAnswers(s.id, ctx).map(({ label, value }) => ({ label, value })),
    };
  });
  const missingText = v.missing.map((m) => `${m.sectionTitle}: ${labelOf(m.section, m.field)} is missing.`);
  const blockingFailures = failures.filter((f) => !(advise && f.waivedByAdvise));
  const blocking = [...missingText, ...blockingFailures.map((f) => f.message)];
  return {
    sections,
    failures,
    blocking,
    ready: blocking.length === 0,
    adviseAvailable:
      !advise && missingText.length === 0 && failures.length > 0 && failures.every((f) => f.waivedByAdvise),
  };
}

/** The whole draft as the referrer will submit it, with what is missing and which tests fail. */
export async function reviewReferral(
  deps: ReferralDeps,
  principal: Principal,
  referralId: string,
): Promise<Result<ReferralReview, ReferralError>> {
  const actor = authorise(principal, 'referral.draft', DRAFT_REFUSAL);
  if (!actor.ok) return actor;
  const loaded = await loadOwnReferral(deps, principal, referralId);
  if (!loaded.ok) return loaded;
  const area = await loadArea(deps);
  return ok({ referral: loaded.value, ...review(loaded.value, area, principal) });
}
