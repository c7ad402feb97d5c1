import { z } from 'zod';
import { Category, type Jurisdiction, type Level, RoshLevel } from './common.schema';

/** Disposals that make a murder or CJA 2003 Sch 15 conviction a Category 2 case (E&W). */
export const QualifyingDisposal = z.enum([
  'custody_12m_plus',
  'suspended_12m_plus',
  'yoi_12m_plus',
  'dto_12m_plus',
  'hm_pleasure',
  'detention_12m_plus',
  'hospital_order',
  'guardianship_order',
]);
export type QualifyingDisposal = z.infer<typeof QualifyingDisposal>;

/**
 * What the referrer or co-ordinator states about the person. Every fact defaults to "not stated",
 * so a partly completed form is assessed on what is known.
 */
export const EligibilityFacts = z.object({
  subjectToNotificationRequirements: z.boolean().default(false),
  convicted: z.boolean().default(false),
  /** Caution, reprimand/warning, not guilty by reason of insanity, or unfit to plead but did the act. */
  cautionedOrEquivalent: z.boolean().default(false),
  murderOrSchedule15Offence: z.boolean().default(false),
  qualifyingDisposal: QualifyingDisposal.optional(),
  nonRegistrableSexualOffender: z.boolean().default(false),
  disqualifiedFromWorkingWithChildren: z.boolean().default(false),
  terrorismOffenceOrConnection: z.boolean().default(false),
  raBelievesTerrorismRisk: z.boolean().default(false),
  offenceShowsCapacityForSeriousHarm: z.boolean().default(false),
  raBelievesMayCauseSeriousHarm: z.boolean().default(false),
  needsActiveMultiAgencyManagement: z.boolean().default(false),
  restrictedPatient: z.boolean().default(false),
  subjectToCommunitySupervision: z.boolean().default(false),
  roshToPublic: RoshLevel.optional(),
});
export type EligibilityFacts = z.infer<typeof EligibilityFacts>;
export type EligibilityFactsInput = z.input<typeof EligibilityFacts>;

export interface CategoryInfo {
  readonly category: Category;
  readonly label: string;
  readonly allowedLevels: readonly Level[];
}

/* Scotland's category 2 (violent offenders) is in the 2005 Act but not in use, so it is absent here. */
const CATEGORY_INFO: Readonly<Record<Jurisdiction, readonly CategoryInfo[]>> = {
  'england-wales': [
    { category: 'cat1', label: 'Category 1: registered sexual offenders', allowedLevels: [1, 2, 3] },
    { category: 'cat2', label: 'Category 2: violent and other sexual offenders', allowedLevels: [1, 2, 3] },
    { category: 'cat3', label: 'Category 3: other dangerous offenders', allowedLevels: [2, 3] },
    {
      category: 'cat4',
      label: 'Category 4: terrorism, terrorism-connected or terrorism-risk offenders',
      allowedLevels: [1, 2, 3],
    },
  ],
  scotland: [
    { category: 'cat1', label: 'Category 1: registered sex offenders', allowedLevels: [1, 2, 3] },
    { category: 'restricted_patient', label: 'Mentally disordered restricted patients', allowedLevels: [1, 2, 3] },
    { category: 'cat3', label: 'Category 3: other risk of serious harm offenders (ORoSH)', allowedLevels: [2, 3] },
  ],
};

/** The categories in use in a jurisdiction, with the levels each may be managed at. */
export function categoriesFor(jurisdiction: Jurisdiction): readonly CategoryInfo[] {
  return CATEGORY_INFO[jurisdiction];
}

/** The category's entry for the jurisdiction, or undefined when it is not in use there. */
export function categoryInfo(jurisdiction: Jurisdiction, category: Category): CategoryInfo | undefined {
  return CATEGORY_INFO[jurisdiction].find((c) => c.category === category);
}

interface Condition {
  readonly text: string;
  readonly holds: (f: EligibilityFacts) => boolean;
}
interface CategoryRule {
  readonly category: Category;
  readonly basis: 'automatic' | 'discretionary';
  readonly conditions: readonly Condition[];
}

const c = (text: string, holds: (f: EligibilityFacts) => boolean): Condition => ({ text, holds });
const SONR = c('subject to sex offender notification requirements', (f) => f.subjectToNotificationRequirements);
const CONVICTED_OR_CAUTIONED = c(
  'convicted, cautioned, found not guilty by insanity or unfit but did the act',
  (f) => f.convicted || f.cautionedOrEquivalent,
);
const HIGH_ROSH = new Set<RoshLevel>(['HIGH', 'VERY_HIGH']);

const QUALIFYING_DISPOSAL_TEXT = 'a 12-month-plus custodial, hospital or guardianship disposal';

/*
 * Ordered: the first rule whose conditions all hold is the suggested category, because a person is
 * recorded in exactly one category. E&W order follows the brief (1, 2, 4, 3). Category 3 is "other
 * persons" (CJA 2003 s.325(2)(b)), so it never stands beside another category; the order of 4
 * against 1 and 2 is not settled (see UNSETTLED_PRECEDENCE).
 */
const RULES: Readonly<Record<Jurisdiction, readonly CategoryRule[]>> = {
  'england-wales': [
    { category: 'cat1', basis: 'automatic', conditions: [SONR] },
    {
      category: 'cat2',
      basis: 'automatic',
      conditions: [
        c(
          `murder or CJA 2003 Schedule 15 offence with ${QUALIFYING_DISPOSAL_TEXT}`,
          (f) => f.murderOrSchedule15Offence && f.qualifyingDisposal !== undefined,
        ),
      ],
    },
    {
      // Their offences are Schedule 15 Part 2 offences, so the s.327(3)-(4) sentence or disposal test applies.
      category: 'cat2',
      basis: 'automatic',
      conditions: [
        c('non-registrable sexual offender', (f) => f.nonRegistrableSexualOffender),
        c(QUALIFYING_DISPOSAL_TEXT, (f) => f.qualifyingDisposal !== undefined),
      ],
    },
    {
      category: 'cat2',
      basis: 'automatic',
      conditions: [c('disqualified from working with children', (f) => f.disqualifiedFromWorkingWithChildren)],
    },
    {
      category: 'cat4',
      basis: 'automatic',
      conditions: [
        c(
          'convicted of a relevant terrorism offence or a court-found terrorism connection',
          (f) => f.terrorismOffenceOrConnection,
        ),
      ],
    },
    {
      category: 'cat4',
      basis: 'discretionary',
      conditions: [
        CONVICTED_OR_CAUTIONED,
        c(
          'the Responsible Authority believes they may be or become involved in terrorism-related activity',
          (f) => f.raBelievesTerrorismRisk,
        ),
      ],
    },
    {
      category: 'cat3',
      basis: 'discretionary',
      conditions: [
        CONVICTED_OR_CAUTIONED,
        c('the offence shows a capacity to cause serious harm', (f) => f.offenceShowsCapacityForSeriousHarm),
        c(
          'the Responsible Authority reasonably believes they may cause serious harm',
          (f) => f.raBelievesMayCauseSeriousHarm,
        ),
        c('active multi-agency management at Level 2 or 3 is needed', (f) => f.needsActiveMultiAgencyManagement),
      ],
    },
  ],
  scotland: [
    { category: 'cat1', basis: 'automatic', conditions: [SONR] },
    {
      category: 'restricted_patient',
      basis: 'automatic',
      conditions: [c('a restricted patient', (f) => f.restrictedPatient)],
    },
    {
      category: 'cat3',
      basis: 'discretionary',
      conditions: [
        c('convicted', (f) => f.convicted),
        c(
          'subject to supervision in the community by enactment, order or licence',
          (f) => f.subjectToCommunitySupervision,
        ),
        c(
          'assessed as High or Very High risk of serious harm to the public',
          (f) => f.roshToPublic !== undefined && HIGH_ROSH.has(f.roshToPublic),
        ),
        c('active multi-agency management at Level 2 or 3 is needed', (f) => f.needsActiveMultiAgencyManagement),
      ],
    },
  ],
};

/*
 * Pairs of categories neither of which is known to take precedence. No current MAPPA Guidance text
 * was found that says whether a terrorism (Category 4) case that also qualifies for Category 1 or 2
 * is recorded in Category 4 or in the lower category, so both are offered and the co-ordinator
 * chooses. Everything else follows the rule order.
 */
const UNSETTLED_PRECEDENCE: Readonly<Record<Jurisdiction, readonly (readonly [Category, Category])[]>> = {
  'england-wales': [
    ['cat1', 'cat4'],
    ['cat2', 'cat4'],
  ],
  scotland: [],
};

const unsettled = (j: Jurisdiction, a: Category, b: Category) =>
  UNSETTLED_PRECEDENCE[j].some(([x, y]) => (x === a && y === b) || (x === b && y === a));

/** One category the facts meet, with the conditions met. */
export interface QualifyingCategory {
  readonly category: Category;
  readonly basis: 'automatic' | 'discretionary';
  readonly reasons: readonly string[];
}

export type CategoryAssessment =
  | {
      readonly eligible: true;
      /** The suggested category: the first in `qualifying`. */
      readonly category: Category;
      readonly basis: 'automatic' | 'discretionary';
      /**
       * The conditions the suggested category meets; when another category also applies, a last
       * line names it and says the co-ordinator chooses, so every card that shows reasons shows that.
       */
      readonly reasons: readonly string[];
      /** Every category the facts meet whose precedence over the suggestion is not settled, suggestion first. */
      readonly qualifying: readonly QualifyingCategory[];
      /** More than one category applies: the co-ordinator chooses which to record. */
      readonly coordinatorChooses: boolean;
    }
  | {
      readonly eligible: false;
      readonly category: null;
      readonly reasons: readonly string[];
      readonly qualifying: readonly [];
      readonly coordinatorChooses: false;
    };

const labelOf = (j: Jurisdiction, category: Category) => categoryInfo(j, category)?.label ?? category;

/**
 * The MAPPA categories the stated facts support in a jurisdiction: the suggested one, and any other
 * whose precedence over it is not settled. Reasons list the conditions met, or, when not eligible,
 * the first unmet condition of every category considered.
 */
export function assessCategory(jurisdiction: Jurisdiction, input: EligibilityFactsInput): CategoryAssessment {
  const facts = EligibilityFacts.parse(input);
  const misses: string[] = [];
  const hits: QualifyingCategory[] = [];
  for (const rule of RULES[jurisdiction]) {
    const unmet = rule.conditions.find((cond) => !cond.holds(facts));
    if (unmet) {
      misses.push(`Not ${labelOf(jurisdiction, rule.category)} (${rule.basis}): not ${unmet.text}`);
    } else if (!hits.some((h) => h.category === rule.category)) {
      hits.push({ category: rule.category, basis: rule.basis, reasons: rule.conditions.map((x) => x.text) });
    }
  }
  const [suggested, ...others] = hits;
  if (!suggested)
    return { eligible: false, category: null, reasons: misses, qualifying: [], coordinatorChooses: false };
  const also = others.filter((h) => unsettled(jurisdiction, suggested.category, h.category));
  const alsoLines = also.map(
    (h) =>
      `Also meets ${labelOf(jurisdiction, h.category)} (${h.basis}): ${h.reasons.join('; ')}. ` +
      'Guidance does not settle which category comes first, so the co-ordinator chooses.',
  );
  return {
    eligible: true,
    category: suggested.category,
    basis: suggested.basis,
    reasons: [...suggested.reasons, ...alsoLines],
    qualifying: [suggested, ...also],
    coordinatorChooses: also.length > 0,
  };
}

/** Whether the facts support `category`, either as the suggestion or as a category the co-ordinator may choose. */
export function factsSupportCategory(assessment: CategoryAssessment, category: Category): boolean {
  return assessment.qualifying.some((q) => q.category === category);
}
