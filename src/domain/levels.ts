import { z } from 'zod';
import { type AppError, appError } from '../lib/errors';
import { err, ok, type Result } from '../lib/result';
import type { Category, Jurisdiction, Level } from './common.schema';
import { RoshLevel } from './common.schema';

export const SeniorOversightReason = z.enum([
  'significant_resources_short_notice',
  'media_scrutiny_public_interest',
  'public_confidence',
]);
export type SeniorOversightReason = z.infer<typeof SeniorOversightReason>;

/** The facts the Level 2 and Level 3 tests look at; unstated facts count as not met. */
export const LevelFacts = z.object({
  /** Lead agency's RMP is robust on its own (Level 1 test). */
  leadAgencyPlanRobust: z.boolean().optional(),
  /** A barrier to multi-agency actions that line management cannot clear (pushes towards Level 2). */
  unresolvedMultiAgencyBarrier: z.boolean().default(false),
  multiAgencyMeetingsAddValue: z.boolean().default(false),
  /** Highest current OASys RoSH across groups. */
  highestRosh: RoshLevel.optional(),
  /** Exceptionally, lower risk but active co-ordinated interventions from other agencies are needed. */
  needsCoordinatedInterventions: z.boolean().default(false),
  steppingDownFromLevel3: z.boolean().default(false),
  seniorOversightReasons: z.array(SeniorOversightReason).default([]),
  /** Any other reason senior RA and DTC oversight is needed, in words. */
  seniorOversightOther: z.string().trim().max(2000).optional(),
  /** Which parts of the RMP Level 2 cannot deliver (required for Level 3 in Scotland). */
  level2CannotDeliver: z.string().trim().max(4000).optional(),
});
export type LevelFacts = z.infer<typeof LevelFacts>;
export type LevelFactsInput = z.input<typeof LevelFacts>;

export type CriterionLevel = 2 | 3;
export interface Criterion {
  readonly id: string;
  readonly level: CriterionLevel;
  /** 'gate' criteria must all hold; at least one 'any' criterion of the level must hold. */
  readonly kind: 'gate' | 'any';
  readonly text: string;
  readonly holds: (f: LevelFacts) => boolean;
  /** Set when the criterion applies in one jurisdiction only. */
  readonly onlyIn?: Jurisdiction;
}

/** Each reason for senior oversight in the words of the Level 3 test; the referral walk offers these. */
export const SENIOR_OVERSIGHT_TEXT: Readonly<Record<SeniorOversightReason, string>> = {
  significant_resources_short_notice: 'significant resources may be needed at short notice',
  media_scrutiny_public_interest: 'high likelihood of media scrutiny or public interest',
  public_confidence: 'public confidence in the criminal justice system must be preserved',
};

/** The Level 2 and Level 3 tests as a checklist (domain brief section 3). */
export const LEVEL_CRITERIA: readonly Criterion[] = [
  {
    id: 'l2_adds_value',
    level: 2,
    kind: 'gate',
    text: 'formal multi-agency meetings would add value',
    holds: (f) => f.multiAgencyMeetingsAddValue,
  },
  {
    id: 'l2_high_rosh',
    level: 2,
    kind: 'any',
    text: 'assessed as High or Very High risk of serious harm',
    holds: (f) => f.highestRosh === 'HIGH' || f.highestRosh === 'VERY_HIGH',
  },
  {
    id: 'l2_coordinated_interventions',
    level: 2,
    kind: 'any',
    text: 'needs active, co-ordinated interventions from other agencies',
    holds: (f) => f.needsCoordinatedInterventions,
  },
  {
    id: 'l2_step_down',
    level: 2,
    kind: 'any',
    text: 'stepping down from Level 3',
    holds: (f) => f.steppingDownFromLevel3,
  },
  ...SeniorOversightReason.options.map((r): Criterion => ({
    id: `l3_${r}`,
    level: 3,
    kind: 'any',
    text: `senior oversight needed: ${SENIOR_OVERSIGHT_TEXT[r]}`,
    holds: (f) => f.seniorOversightReasons.includes(r),
  })),
  {
    id: 'l3_other',
    level: 3,
    kind: 'any',
    text: 'senior oversight needed for another stated reason',
    holds: (f) => (f.seniorOversightOther ?? '') !== '',
  },
  {
    id: 'l3_level2_cannot_deliver',
    level: 3,
    kind: 'gate',
    text: 'states which parts of the RMP Level 2 cannot deliver',
    holds: (f) => (f.level2CannotDeliver ?? '') !== '',
    onlyIn: 'scotland',
  },
];

/** The checklist that applies in a jurisdiction. */
export function levelCriteriaFor(jurisdiction: Jurisdiction): readonly Criterion[] {
  return LEVEL_CRITERIA.filter((c) => c.onlyIn === undefined || c.onlyIn === jurisdiction);
}

export type CriteriaFailureCode =
  | 'CATEGORY_3_LEVEL_1'
  | 'L2_NO_ADDED_VALUE'
  | 'L2_NO_CRITERION'
  | 'L3_NO_SENIOR_OVERSIGHT'
  | 'L3_LEVEL2_CANNOT_DELIVER_MISSING';
export interface CriteriaFailure {
  readonly code: CriteriaFailureCode;
  readonly message: string;
}

const FAILURE_TEXT: Readonly<Record<CriteriaFailureCode, string>> = {
  CATEGORY_3_LEVEL_1: 'Category 3 cases can only be managed at Level 2 or 3.',
  L2_NO_ADDED_VALUE: 'Level 2 needs formal multi-agency meetings to add value.',
  L2_NO_CRITERION:
    'Level 2 needs at least one of: High/Very High RoSH, co-ordinated interventions from other agencies, stepping down from Level 3.',
  L3_NO_SENIOR_OVERSIGHT:
    'Level 3 needs the Level 2 test plus a reason for senior oversight (resources at short notice, media/public interest, public confidence, or another stated reason).',
  L3_LEVEL2_CANNOT_DELIVER_MISSING:
    'A Level 3 referral in Scotland must say which parts of the RMP cannot be delivered at Level 2.',
};
const failure = (code: CriteriaFailureCode): CriteriaFailure => ({ code, message: FAILURE_TEXT[code] });

function levelFailures(level: CriterionLevel, f: LevelFacts, j: Jurisdiction): CriteriaFailure[] {
  const of = (lvl: CriterionLevel, kind: Criterion['kind']) =>
    levelCriteriaFor(j).filter((c) => c.level === lvl && c.kind === kind);
  const out: CriteriaFailure[] = [];
  if (!of(2, 'gate').every((c) => c.holds(f))) out.push(failure('L2_NO_ADDED_VALUE'));
  if (!of(2, 'any').some((c) => c.holds(f))) out.push(failure('L2_NO_CRITERION'));
  if (level === 3) {
    if (!of(3, 'any').some((c) => c.holds(f))) out.push(failure('L3_NO_SENIOR_OVERSIGHT'));
    if (!of(3, 'gate').every((c) => c.holds(f))) out.push(failure('L3_LEVEL2_CANNOT_DELIVER_MISSING'));
  }
  return out;
}

export interface LevelAssessment {
  /** The lowest level the facts support, or null for a Category 3 case that meets neither test (so is not Category 3). */
  readonly level: Level | null;
  readonly reasons: readonly string[];
  /** Escalation prompts for the human; never block anything. */
  readonly warnings: readonly string[];
  readonly checklist: readonly {
    readonly id: string;
    readonly level: CriterionLevel;
    readonly text: string;
    readonly met: boolean;
  }[];
}

/**
 * Applies the Level 2 and Level 3 tests and returns the lowest level that still gives a defensible
 * plan: Level 3 only when senior oversight is needed on top of the Level 2 test, Level 1 otherwise
 * (never for Category 3).
 */
export function assessLevel(
  jurisdiction: Jurisdiction,
  category: Category | null,
  input: LevelFactsInput,
): LevelAssessment {
  const f = LevelFacts.parse(input);
  const checklist = levelCriteriaFor(jurisdiction).map((c) => ({
    id: c.id,
    level: c.level,
    text: c.text,
    met: c.holds(f),
  }));
  const met = (lvl: CriterionLevel) => checklist.filter((c) => c.level === lvl && c.met).map((c) => c.text);
  const l2 = levelFailures(2, f, jurisdiction).length === 0;
  const l3 = l2 && levelFailures(3, f, jurisdiction).length === 0;
  const warnings: string[] = [];
  if (!l2 && (f.leadAgencyPlanRobust === false || f.unresolvedMultiAgencyBarrier)) {
    warnings.push(
      'The lead agency plan is not robust or a barrier cannot be cleared through line management: consider a Level 2 referral.',
    );
  }
  if (!l2 && met(3).length > 0)
    warnings.push('A senior-oversight reason is stated but the Level 2 test is not met, so Level 3 is not available.');
  if (l3) return { level: 3, reasons: [...met(2), ...met(3)], warnings, checklist };
  if (l2) return { level: 2, reasons: met(2), warnings, checklist };
  const notMet = levelFailures(2, f, jurisdiction).map((x) => x.message);
  if (category === 'cat3') {
    warnings.push(
      'Category 3 requires Level 2 or 3; without the Level 2 test the person does not qualify for Category 3.',
    );
    return { level: null, reasons: notMet, warnings, checklist };
  }
  return {
    level: 1,
    reasons: ['Manage at the lowest level that gives a defensible plan.', ...notMet],
    warnings,
    checklist,
  };
}

export type LevelCheckError = AppError<'LEVEL_CRITERIA_NOT_MET'> & { readonly failures: readonly CriteriaFailure[] };

/**
 * The referral flow's gate: does a requested level (or 'advise', asking the co-ordinator to pick)
 * pass the tests? Category 3 must be Level 2 or 3; Level 2 needs the Level 2 test; Level 3 needs
 * the Level 2 test plus a senior-oversight reason and, in Scotland, what Level 2 cannot deliver.
 */
export function checkRequestedLevel(
  category: Category | null,
  requested: Level | 'advise',
  input: LevelFactsInput,
  jurisdiction: Jurisdiction = 'england-wales',
): Result<{ level: Level; reasons: readonly string[] }, LevelCheckError> {
  const f = LevelFacts.parse(input);
  const fail = (failures: CriteriaFailure[]): Result<never, LevelCheckError> =>
    err({ ...appError('LEVEL_CRITERIA_NOT_MET', undefined, { failures: failures.map((x) => x.code) }), failures });
  if (requested === 'advise') {
    const a = assessLevel(jurisdiction, category, f);
    return a.level === null
      ? fail([failure('CATEGORY_3_LEVEL_1'), ...levelFailures(2, f, jurisdiction)])
      : ok({ level: a.level, reasons: a.reasons });
  }
  if (requested === 1)
    return category === 'cat3'
      ? fail([failure('CATEGORY_3_LEVEL_1')])
      : ok({ level: 1, reasons: ['Lead agency management is requested.'] });
  const failures = levelFailures(requested, f, jurisdiction);
  if (failures.length > 0) return fail(failures);
  return ok({
    level: requested,
    reasons: levelCriteriaFor(jurisdiction)
      .filter((c) => c.level <= requested && c.holds(f))
      .map((c) => c.text),
  });
}
