import type { Area } from './area.schema';
import { leadAgencyStatus } from './agency.schema';
import { assessCategory, categoryInfo, factsSupportCategory } from './eligibility';
import { checkRequestedLevel, type CriteriaFailureCode } from './levels';
import type { Referral, ReferralSectionId, ReferralSections } from './referral.schema';

export interface ReferralSectionSpec<K extends ReferralSectionId = ReferralSectionId> {
  readonly id: K;
  readonly title: string;
  readonly required: readonly (keyof ReferralSections[K] & string)[];
  /** Plain-language prompt shown by the dialog. */
  readonly guidance: string;
}

/** Any one section's spec (a union, so each keeps its own field names). */
export type AnyReferralSectionSpec = { [K in ReferralSectionId]: ReferralSectionSpec<K> }[ReferralSectionId];

const spec = <K extends ReferralSectionId>(s: ReferralSectionSpec<K>): ReferralSectionSpec<K> => s;

/** The MAPPA A sections in the order the referral dialog walks them. */
export const REFERRAL_SECTIONS = [
  spec({
    id: 'referrer',
    title: 'Referrer and agency',
    required: ['referrer', 'agencyId', 'jobTitle', 'managerName', 'managerApproved'],
    guidance: 'Any Responsible Authority or Duty to Co-operate agency can refer. Your manager must agree the referral.',
  }),
  spec({
    id: 'subject',
    title: 'The person referred',
    required: ['name', 'dateOfBirth', 'gender', 'ethnicity', 'identifiers', 'status'],
    guidance:
      'Names, aliases and nicknames (say if gang-related), date of birth, ethnicity in words not a code, address or no fixed abode, and ViSOR, PNC and nDelius CRN numbers where known.',
  }),
  spec({
    id: 'category',
    title: 'MAPPA category',
    required: ['category', 'eligibilityFacts'],
    guidance: 'One category only. Answer the eligibility questions; the bot shows which category they support and why.',
  }),
  spec({
    id: 'offence',
    title: 'Offence and sentence',
    required: ['indexOffences', 'sentenceType', 'sentenceDate', 'briefFacts'],
    guidance:
      'Index offence(s) or qualifying caution, sentence type and length, and the brief facts as short bullets in your own words (not pasted from the PSR). Add relevant dates, and mental health review dates where detained in hospital.',
  }),
  spec({
    id: 'risk',
    title: 'Current risk of serious harm',
    required: ['rosh', 'roshSetting', 'assessedOn', 'riskOfHarmFactors'],
    guidance:
      'OASys RoSH (Low, Medium, High, Very High) for the public, known adults, children, staff and, in custody, prisoners; other tool results; and the factors that raise or reduce the risk.',
  }),
  spec({
    id: 'reason',
    title: 'Reason for referral and level requested',
    required: ['reasonForReferral', 'levelRequested', 'levelFacts'],
    guidance:
      'Why the lead agency alone cannot manage the risk. Level 2 needs meetings to add value and High/Very High RoSH, co-ordinated interventions or a step-down from Level 3. Level 3 also needs a reason for senior oversight; in Scotland say which parts of the plan Level 2 cannot deliver.',
  }),
  spec({
    id: 'agencies',
    title: 'Agencies involved',
    required: ['agencies'],
    guidance: 'Each agency involved, what it does now and what it must contribute to the risk management plan.',
  }),
  spec({
    id: 'victims',
    title: 'Victims and victim safety',
    required: ['victimSafetyConcerns'],
    guidance:
      'Identified and potential victims (describe rather than name where you can), their safety concerns, and whether a Victim Liaison Officer or MARAC is involved.',
  }),
  spec({
    id: 'safeguarding',
    title: 'Children and vulnerable adults',
    required: ['children', 'vulnerableAdults'],
    guidance:
      'Children and vulnerable adults in contact with the person or at risk, and which agencies know them. Write "none known" if so.',
  }),
  spec({
    id: 'diversity',
    title: 'Diversity and barriers',
    required: ['diversityNeeds'],
    guidance:
      'Needs that affect how the person is managed or engages (language, disability, faith, age, gender identity) and any barriers to the plan.',
  }),
  spec({
    id: 'disclosure',
    title: 'Disclosure considerations',
    required: ['considerations'],
    guidance:
      'Whether anyone outside MAPPA (victim, employer, partner) may need to be told, and why it would be necessary and proportionate.',
  }),
  spec({
    id: 'attachments',
    title: 'Documents held elsewhere',
    required: [],
    guidance: 'Reference documents held in agency systems (title, agency, reference) rather than attaching them.',
  }),
] as const satisfies readonly AnyReferralSectionSpec[];

export type ReferralFailureCode =
  | CriteriaFailureCode
  | 'NOT_DRAFT'
  | 'NOT_ELIGIBLE'
  | 'CATEGORY_MISMATCH'
  | 'CATEGORY_NOT_IN_JURISDICTION'
  | 'UNKNOWN_AGENCY'
  | 'LEAD_AGENCY_CANNOT_LEAD'
  | 'ADDRESS_MISSING';

export interface ReferralValidation {
  readonly ready: boolean;
  readonly missing: readonly {
    readonly section: ReferralSectionId;
    readonly field: string;
    readonly sectionTitle: string;
  }[];
  readonly failures: readonly {
    readonly code: ReferralFailureCode;
    readonly section: ReferralSectionId | null;
    readonly message: string;
  }[];
}

const isBlank = (v: unknown): boolean =>
  v === undefined || v === null || (typeof v === 'string' && v.trim() === '') || (Array.isArray(v) && v.length === 0);

/**
 * Everything that stops a referral being submitted: required fields left empty, and criteria the
 * stated facts fail (eligibility, level tests, agencies the area does not know). Never throws, so
 * the dialog can show the whole list at once.
 */
export function validateReferralForSubmit(referral: Referral, area: Area): ReferralValidation {
  const s = referral.sections;
  const missing: ReferralValidation['missing'][number][] = [];
  const failures: ReferralValidation['failures'][number][] = [];
  for (const sec of REFERRAL_SECTIONS as readonly {
    id: ReferralSectionId;
    title: string;
    required: readonly string[];
  }[]) {
    const values = (s[sec.id] ?? {}) as Record<string, unknown>;
    for (const field of sec.required)
      if (isBlank(values[field])) missing.push({ section: sec.id, field, sectionTitle: sec.title });
  }
  if (referral.status !== 'draft')
    failures.push({ code: 'NOT_DRAFT', section: null, message: `The referral is already ${referral.status}.` });
  if (s.subject && isBlank(s.subject.address) && !s.subject.noFixedAbode) {
    failures.push({
      code: 'ADDRESS_MISSING',
      section: 'subject',
      message: 'Give an address or mark the person as having no fixed abode.',
    });
  }

  const j = area.jurisdiction;
  const category = s.category?.category;
  if (category && !categoryInfo(j, category)) {
    failures.push({
      code: 'CATEGORY_NOT_IN_JURISDICTION',
      section: 'category',
      message: `That category is not used in ${j === 'scotland' ? 'Scotland' : 'England and Wales'}.`,
    });
  } else if (category && s.category?.eligibilityFacts) {
    const a = assessCategory(j, s.category.eligibilityFacts);
    if (!a.eligible)
      failures.push({
        code: 'NOT_ELIGIBLE',
        section: 'category',
        message: `The answers do not meet any MAPPA category: ${a.reasons.join('; ')}`,
      });
    else if (!factsSupportCategory(a, category))
      failures.push({
        code: 'CATEGORY_MISMATCH',
        section: 'category',
        message: `The answers support ${a.qualifying.map((q) => categoryInfo(j, q.category)?.label ?? q.category).join(' or ')}, not the category chosen.`,
      });
  }

  const reason = s.reason;
  if (reason?.levelRequested !== undefined && reason.levelFacts) {
    const checked = checkRequestedLevel(category ?? null, reason.levelRequested, reason.levelFacts, j);
    if (!checked.ok)
      for (const f of checked.error.failures) failures.push({ code: f.code, section: 'reason', message: f.message });
  }

  const known = new Set(area.agencies.filter((a) => a.active).map((a) => a.id));
  const used: [ReferralSectionId, string | undefined][] = [
    ['referrer', s.referrer?.agencyId],
    ...(s.agencies?.agencies ?? []).map((a): [ReferralSectionId, string] => ['agencies', a.agencyId]),
    ...(s.attachments?.documents ?? []).map((d): [ReferralSectionId, string] => ['attachments', d.heldByAgencyId]),
  ];
  for (const [section, id] of used) {
    if (id !== undefined && !known.has(id))
      failures.push({ code: 'UNKNOWN_AGENCY', section, message: `Agency '${id}' is not configured for this area.` });
  }
  // A referral without a case opens one led by the referrer's agency; on an existing case the lead stays.
  const referrerAgency = s.referrer?.agencyId;
  if (!referral.caseId && referrerAgency && leadAgencyStatus(area.agencies, referrerAgency) === 'cannot_lead') {
    const name = area.agencies.find((a) => a.id === referrerAgency)?.name ?? referrerAgency;
    failures.push({
      code: 'LEAD_AGENCY_CANNOT_LEAD',
      section: 'referrer',
      message: `${name} cannot lead a case, and this referral would open one led by your agency. Start it from the person's case (type refer and the case reference), or ask the lead agency to refer.`,
    });
  }
  return { ready: missing.length === 0 && failures.length === 0, missing, failures };
}
