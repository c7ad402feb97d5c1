// The labels and value wordings of the MAPPA A document: data the renderer looks up by field path.

export type Json = Record<string, unknown>;

const LABELS: Readonly<Record<string, string>> = {
  'referrer.referrer': 'Referrer',
  agencyId: 'Agency',
  managerName: "Manager's name",
  managerApproved: 'Manager has agreed the referral',
  'subject.name': 'Name',
  aliases: 'Aliases and nicknames',
  noFixedAbode: 'No fixed abode',
  'subject.status': 'Current status',
  'identifiers.pnc': 'PNC ID',
  'identifiers.crn': 'nDelius CRN',
  'identifiers.visor': 'ViSOR reference',
  'identifiers.prisonNumber': 'Prison number',
  'identifiers.chi': 'CHI number',
  'category.category': 'MAPPA category',
  eligibilityFacts: 'Eligibility facts stated',
  eligibilityReasons: 'Why the category applies',
  indexOffences: 'Index offence(s)',
  briefFacts: 'Brief facts',
  'hospitalDetention.hospital': 'Detained in hospital',
  'hospitalDetention.legalBasis': 'Legal basis for detention',
  'hospitalDetention.responsibleClinician': 'Responsible clinician',
  rosh: 'RoSH',
  'rosh.public': 'RoSH to the public',
  'rosh.knownAdult': 'RoSH to a known adult',
  'rosh.children': 'RoSH to children',
  'rosh.staff': 'RoSH to staff',
  'rosh.prisoners': 'RoSH to prisoners',
  roshSetting: 'RoSH setting',
  tools: 'Other assessment tools',
  riskOfHarmFactors: 'Risk of harm factors',
  visorIntelligence: 'ViSOR / police-only intelligence',
  levelRequested: 'Level requested',
  levelFacts: 'Level test facts stated',
  highestRosh: 'Highest RoSH',
  roshToPublic: 'RoSH to the public',
  'agencies.agencies': 'Agencies',
  contributionRequired: 'Contribution required',
  victimLiaisonInvolved: 'Victim Liaison Officer involved',
  maracInvolved: 'MARAC involved',
  'safeguarding.children': 'Children',
  disclosureToDiscuss: 'Disclosure to discuss at the meeting',
  'attachments.documents': 'Documents',
  heldByAgencyId: 'Held by',
  raBelievesTerrorismRisk: 'Responsible Authority believes there is a terrorism risk',
  raBelievesMayCauseSeriousHarm: 'Responsible Authority believes the person may cause serious harm',
  murderOrSchedule15Offence: 'Murder or Schedule 15 offence',
  multiAgencyMeetingsAddValue: 'Multi-agency meetings would add value',
  needsActiveMultiAgencyManagement: 'Needs active multi-agency management',
  unresolvedMultiAgencyBarrier: 'A multi-agency barrier line management cannot resolve',
  steppingDownFromLevel3: 'Stepping down from Level 3',
  seniorOversightOther: 'Other reason for senior oversight',
  level2CannotDeliver: 'What Level 2 cannot deliver',
};

/* Internal ids mean nothing on paper. */
export const HIDDEN = new Set(['subject.subjectId']);

/* Objects printed on one line rather than flattened into rows. */
export const INLINE: Readonly<Record<string, (v: Json) => string>> = {
  'referrer.referrer': (v) => String(v.displayName ?? ''),
  'subject.name': (v) => `${String(v.given ?? '')} ${String(v.family ?? '')}`.trim(),
};

/*
 * Fact sheets whose unstated facts default to false: listing only what was stated keeps fifteen
 * "No" rows from burying the answers that matter.
 */
export const FACT_LISTS = new Set(['category.eligibilityFacts', 'reason.levelFacts']);

const ROSH: Readonly<Record<string, string>> = { LOW: 'Low', MEDIUM: 'Medium', HIGH: 'High', VERY_HIGH: 'Very high' };

/* Code values made readable, looked up like labels so they also apply inside fact lists and items. */
export const VALUE_LABELS: Readonly<Record<string, (v: string) => string>> = {
  category: (v) =>
    ({
      cat1: 'Category 1',
      cat2: 'Category 2',
      cat3: 'Category 3',
      cat4: 'Category 4',
      restricted_patient: 'Restricted patient',
    })[v] ?? v,
  'subject.status': (v) => ({ custody: 'In custody', community: 'In the community', hospital: 'In hospital' })[v] ?? v,
  roshSetting: (v) => ({ custody: 'Custody', community: 'Community' })[v] ?? v,
  'rosh.public': (v) => ROSH[v] ?? v,
  'rosh.knownAdult': (v) => ROSH[v] ?? v,
  'rosh.children': (v) => ROSH[v] ?? v,
  'rosh.staff': (v) => ROSH[v] ?? v,
  'rosh.prisoners': (v) => ROSH[v] ?? v,
  highestRosh: (v) => ROSH[v] ?? v,
  roshToPublic: (v) => ROSH[v] ?? v,
  qualifyingDisposal: (v) =>
    ({
      custody_12m_plus: 'Custody of 12 months or more',
      suspended_12m_plus: 'Suspended sentence of 12 months or more',
      yoi_12m_plus: 'Young offender institution, 12 months or more',
      dto_12m_plus: 'Detention and training order of 12 months or more',
      hm_pleasure: "Detention at His Majesty's pleasure",
      detention_12m_plus: 'Detention of 12 months or more',
      hospital_order: 'Hospital order',
      guardianship_order: 'Guardianship order',
    })[v] ?? humaniseCode(v),
  seniorOversightReasons: humaniseCode,
  levelRequested: (v) => (v === 'advise' ? 'Advice on level requested' : v),
};

export const AGENCY_KEYS = new Set(['agencyId', 'heldByAgencyId']);

/** 'dateOfBirth' → 'Date of birth'; 'roshSetting' → 'Rosh setting' (hence the explicit labels). */
export function humaniseKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([a-zA-Z])(\d)/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function humaniseCode(code: string): string {
  return humaniseKey(code.toLowerCase());
}

export const lastKey = (path: string): string => path.slice(path.lastIndexOf('.') + 1);

/* Most specific entry wins: 'risk.rosh.public', then 'rosh.public', then 'public'. */
export function lookup<T>(table: Readonly<Record<string, T>>, path: string): T | undefined {
  return table[path] ?? table[path.split('.').slice(-2).join('.')] ?? table[lastKey(path)];
}

export function labelFor(path: string): string {
  return lookup(LABELS, path) ?? humaniseKey(lastKey(path));
}

/* Word refuses a file holding characters XML 1.0 forbids, and free text can carry them from pasted content. */
