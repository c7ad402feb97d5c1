import type { Area } from '../../domain/area.schema';
import type { Level } from '../../domain/common.schema';
import { type IsoDate, ukDateOf } from '../../domain/dates';
import { categoryInfo } from '../../domain/eligibility';
import { formatUkDate, roshLabel } from '../../domain/format';
import { checkRequestedLevel } from '../../domain/levels';
import { can, type Principal } from '../../domain/policy';
import type { IdentityCheck, Referral, ReferralDecision, ReferralStatus } from '../../domain/referral.schema';
import { appError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import { decisionDeadline } from './decision-deadline';
import {
  initialsOf,
  loadArea,
  loadAreaReferral,
  referrerOf,
  ukDay,
  type ReferralDeps,
  type ReferralError,
} from './shared';

/** What the co-ordinator's channel card shows: identifying data kept to the minimum. */
export interface ReferralSummary {
  readonly referralId: string;
  readonly version: number;
  readonly status: ReferralStatus;
  readonly caseId: string | null;
  readonly caseRef: string | null;
  /**
   * The case reference for anything the referrer is shown (question cards, the outcome): only for a
   * referral they started from a case they could open, so nothing tells them which case a person
   * they typed belongs to.
   */
  readonly caseRefForReferrer: string | null;
  readonly categoryLabel: string;
  readonly initials: string;
  readonly levelRequested: string;
  readonly referrerName: string;
  readonly referrerAadObjectId: string | null;
  readonly referrerAgency: string;
  readonly submittedOn: IsoDate | null;
  readonly decisionDue: IsoDate | null;
  readonly daysLeft: number | null;
  /** Level tests the facts do not meet, shown when the referrer asked the co-ordinator to advise. */
  readonly advisoryNotes: readonly string[];
  readonly questions: readonly { question: string; answer: string | null; askedOn: IsoDate }[];
  /** Set while the co-ordinator must say which case the referral is about (see IdentityCheck). */
  readonly identityCheck: {
    readonly reason: IdentityCheck['reason'];
    readonly candidates: readonly { caseId: string; ref: string; status: string; leadAgency: string }[];
  } | null;
  /**
   * What the co-ordinator decides from. Free text and risk about the person: only for co-ordinators
   * and the referrer, never on the channel's copy of the card.
   */
  readonly assessment: ReferralAssessment;
  readonly decision: {
    readonly outcome: ReferralDecision['outcome'];
    readonly level: Level;
    readonly rationale: string;
    readonly decidedBy: string;
    readonly decidedAt: string;
  } | null;
}

export interface ReferralAssessment {
  /** The requested level's test on the stated facts: met, with the criteria that hold, or not, with why. */
  readonly levelTest: { readonly summary: string; readonly reasons: readonly string[] } | null;
  readonly rosh: readonly { readonly group: string; readonly level: string }[];
  /** Where and when the RoSH was assessed, e.g. 'Assessed for custody on 10 Jan 2026'. */
  readonly roshContext: string | null;
  /** The conditions of the category that the eligibility facts meet. */
  readonly categoryBasis: readonly string[];
  /** The referrer's reason for referring, in their words. */
  readonly rationale: string | null;
}

const ROSH_GROUPS = [
  ['public', 'Public'],
  ['knownAdult', 'Known adult'],
  ['children', 'Children'],
  ['staff', 'Staff'],
  ['prisoners', 'Prisoners'],
] as const;

function levelTestOf(referral: Referral, area: Area): ReferralAssessment['levelTest'] {
  const reason = referral.sections.reason;
  const requested = reason?.levelRequested;
  if (requested === undefined || !reason?.levelFacts) return null;
  const category = referral.sections.category?.category ?? null;
  const check = checkRequestedLevel(category, requested, reason.levelFacts, area.jurisdiction);
  if (requested === 'advise')
    return check.ok
      ? { summary: `The stated facts support Level ${check.value.level}`, reasons: check.value.reasons }
      : { summary: 'The stated facts meet neither the Level 2 nor the Level 3 test', reasons: [] };
  return check.ok
    ? { summary: `Level ${requested} test met`, reasons: check.value.reasons }
    : { summary: `Level ${requested} test not met`, reasons: check.error.failures.map((f) => f.message) };
}

function assessmentOf(referral: Referral, area: Area): ReferralAssessment {
  const s = referral.sections;
  const rosh = s.risk?.rosh ?? {};
  const setting = s.risk?.roshSetting;
  const on = s.risk?.assessedOn;
  return {
    levelTest: levelTestOf(referral, area),
    rosh: ROSH_GROUPS.flatMap(([key, group]) => {
      const level = (rosh as Partial<Record<(typeof ROSH_GROUPS)[number][0], string>>)[key];
      return level ? [{ group, level: roshLabel(level) }] : [];
    }),
    roshContext:
      setting || on ? `Assessed${setting ? ` for ${setting}` : ''}${on ? ` on ${formatUkDate(on)}` : ''}` : null,
    categoryBasis: s.category?.eligibilityReasons ?? [],
    rationale: s.reason?.reasonForReferral ?? null,
  };
}

const levelText = (l: unknown): string =>
  l === 'advise' ? 'Co-ordinator to advise' : l === undefined ? 'Not stated' : `Level ${String(l)}`;

export async function summarise(deps: ReferralDeps, referral: Referral, area: Area): Promise<ReferralSummary> {
  const s = referral.sections;
  const c = referral.caseId ? await deps.cases.get(referral.caseId) : null;
  const category = s.category?.category;
  const deadline =
    referral.status === 'submitted' ? decisionDeadline(referral, area, ukDateOf(deps.clock.now())) : null;
  const advise =
    s.reason?.levelRequested === 'advise' && s.reason.levelFacts
      ? checkRequestedLevel(category ?? null, 'advise', s.reason.levelFacts, area.jurisdiction)
      : null;
  const questions = await deps.questions.listForReferral(referral.id);
  const agencyName = (id: string) => area.agencies.find((a) => a.id === id)?.name ?? id;
  const candidates = [];
  for (const id of referral.identityCheck?.candidateCaseIds ?? []) {
    const k = await deps.cases.get(id);
    if (k.ok)
      candidates.push({
        caseId: k.value.id,
        ref: k.value.ref,
        status: k.value.status.replace(/_/g, ' '),
        leadAgency: agencyName(k.value.leadAgencyId),
      });
  }
  return {
    referralId: referral.id,
    version: referral.version,
    status: referral.status,
    caseId: c?.ok ? c.value.id : null,
    caseRef: c?.ok ? c.value.ref : null,
    caseRefForReferrer: c?.ok && referral.startedFromCase === true ? c.value.ref : null,
    categoryLabel: category ? (categoryInfo(area.jurisdiction, category)?.label ?? category) : 'Not stated',
    initials: initialsOf(referral),
    levelRequested: levelText(s.reason?.levelRequested),
    referrerName: s.referrer?.referrer?.displayName ?? 'Unknown',
    referrerAadObjectId: s.referrer?.referrer?.aadObjectId ?? null,
    referrerAgency: area.agencies.find((a) => a.id === s.referrer?.agencyId)?.name ?? s.referrer?.agencyId ?? 'Unknown',
    submittedOn: referral.submittedAt ? ukDay(referral.submittedAt) : null,
    decisionDue: deadline?.due ?? null,
    daysLeft: deadline?.daysLeft ?? null,
    advisoryNotes: advise && !advise.ok ? advise.error.failures.map((f) => f.message) : [],
    questions: questions.map((q) => ({ question: q.question, answer: q.answer ?? null, askedOn: ukDay(q.askedAt) })),
    identityCheck: referral.identityCheck ? { reason: referral.identityCheck.reason, candidates } : null,
    assessment: assessmentOf(referral, area),
    decision: referral.decision
      ? {
          outcome: referral.decision.outcome,
          level: referral.decision.level,
          rationale: referral.decision.rationale,
          decidedBy: referral.decision.decidedBy.displayName,
          decidedAt: referral.decision.decidedAt,
        }
      : null,
  };
}

/** The co-ordinator card's data for one referral (co-ordinators, or the referrer following it). */
export async function referralSummary(
  deps: ReferralDeps,
  principal: Principal,
  referralId: string,
): Promise<Result<ReferralSummary, ReferralError>> {
  const loaded = await loadAreaReferral(deps, referralId);
  if (!loaded.ok) return loaded;
  const mine = referrerOf(loaded.value) === principal.aadObjectId;
  if (!mine && !can(principal, 'referral.decide').allowed)
    return err(appError('NOT_FOUND', 'That referral was not found.'));
  return ok(await summarise(deps, loaded.value, await loadArea(deps)));
}

/**
 * The summary behind the card everyone in the co-ordinator channel sees. No reader check: callers
 * must render it with the channel view (references, initials and status only, no free text).
 */
export async function referralSummaryForChannel(
  deps: ReferralDeps,
  referralId: string,
): Promise<Result<ReferralSummary, ReferralError>> {
  const loaded = await loadAreaReferral(deps, referralId);
  if (!loaded.ok) return loaded;
  return ok(await summarise(deps, loaded.value, await loadArea(deps)));
}
