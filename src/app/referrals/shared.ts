import type { Area } from '../../domain/area.schema';
import { Id } from '../../domain/common.schema';
import { type IsoDate, ukDateOf } from '../../domain/dates';
import { personInitials } from '../../domain/format';
import { can, type Principal, type PolicyAction } from '../../domain/policy';
import type { Referral } from '../../domain/referral.schema';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import type { CaseRepository } from '../ports/case-repository.port';
import type { Clock } from '../ports/clock.port';
import type { IntakeClaimRepository } from '../ports/intake-claim.port';
import type { MemberRepository } from '../ports/member-repository.port';
import type { ReferralQuestionRepository } from '../ports/referral-questions.port';
import type { ReferralRepository } from '../ports/referral-repository.port';
import type { SubjectRepository } from '../ports/subject-repository.port';
import type { RequestActor } from '../ports/write-context.port';
import { actorOf } from '../shared/actor';
import { requireArea } from '../shared/area';
import type { FieldErrors } from '../shared/field-errors';
import type { DraftSections, FormContext } from './referral-form';

/** What the referral use cases need; the composition root passes the MongoDB adapters. */
export interface ReferralDeps {
  readonly referrals: ReferralRepository;
  readonly cases: CaseRepository;
  readonly subjects: SubjectRepository;
  /** Per-person leases, so two referrals of one new person open one record and one case. */
  readonly claims: IntakeClaimRepository;
  readonly members: Pick<MemberRepository, 'getArea'>;
  readonly questions: ReferralQuestionRepository;
  readonly clock: Clock;
  readonly areaId: string;
}

export type ReferralError =
  | AppError<'NOT_PERMITTED' | 'NOT_FOUND' | 'VERSION_CONFLICT' | 'ILLEGAL_TRANSITION' | 'ALREADY_DECIDED'>
  | (AppError<'VALIDATION_FAILED'> & { readonly fieldErrors: FieldErrors; readonly input?: string })
  | (AppError<'REFERRAL_INCOMPLETE'> & { readonly reasons: readonly string[]; readonly adviseAvailable: boolean });

export const DRAFT_REFUSAL = 'Only practitioners and co-ordinators can make referrals.';

export function authorise(
  principal: Principal,
  action: PolicyAction,
  message: string,
): Result<RequestActor, ReferralError> {
  return can(principal, action).allowed ? ok(actorOf(principal)) : err(appError('NOT_PERMITTED', message));
}

export const validation = (field: string, message: string, input?: string): ReferralError => ({
  ...appError('VALIDATION_FAILED', message),
  fieldErrors: { [field]: message },
  ...(input === undefined ? {} : { input }),
});

export const referrerOf = (r: Referral) => r.sections.referrer?.referrer?.aadObjectId;

export const loadArea = (deps: ReferralDeps): Promise<Area> => requireArea(deps.members, deps.areaId);

/** A draft the caller wrote, in this area; anyone else's answers NOT_FOUND so ids reveal nothing. */
export async function loadOwnReferral(
  deps: ReferralDeps,
  principal: Principal,
  referralId: string,
): Promise<Result<Referral, ReferralError>> {
  const id = Id.safeParse(referralId);
  if (!id.success) return err(appError('NOT_FOUND', 'That referral was not found.'));
  const found = await deps.referrals.get(id.data);
  if (!found.ok || found.value.areaId !== deps.areaId || referrerOf(found.value) !== principal.aadObjectId)
    return err(appError('NOT_FOUND', 'That referral was not found.'));
  return ok(found.value);
}

export async function loadAreaReferral(
  deps: ReferralDeps,
  referralId: string,
): Promise<Result<Referral, ReferralError>> {
  const id = Id.safeParse(referralId);
  if (!id.success) return err(appError('NOT_FOUND', 'That referral was not found.'));
  const found = await deps.referrals.get(id.data);
  if (!found.ok || found.value.areaId !== deps.areaId)
    return err(appError('NOT_FOUND', 'That referral was not found.'));
  return ok(found.value);
}

export function formContext(area: Area, sections: DraftSections, principal: Principal, today?: string): FormContext {
  const agencies = area.agencies.filter((a) => a.active);
  const own = agencies.find((a) => a.id === (sections.referrer?.agencyId ?? principal.member?.agencyId));
  return {
    jurisdiction: area.jurisdiction,
    agencies,
    sections,
    referrerHasVisorAccess: own?.visorAccess ?? false,
    ...(today !== undefined ? { today } : {}),
  };
}

/** Initials only: the minimum that lets a co-ordinator tell two referrals apart on a channel card. */
export function initialsOf(referral: Referral): string {
  return personInitials(referral.sections.subject?.name);
}

/** The UK calendar day of a stored instant. */
export const ukDay = (iso: string): IsoDate => ukDateOf(new Date(iso));
