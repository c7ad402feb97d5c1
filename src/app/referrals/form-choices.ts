import type { z } from 'zod';
import type { Jurisdiction } from '../../domain/common.schema';
import { QualifyingDisposal } from '../../domain/eligibility';
import { SENIOR_OVERSIGHT_TEXT, SeniorOversightReason } from '../../domain/levels';
import { err, ok, type Result } from '../../lib/result';
import { nested, type RowColumn, rowsFrom } from './form-builders';
import { agencyChoices } from './form-parse';
import type { CardValues, Choice, FormContext } from './form-types';

/* ---------- facts asked as lists of choices ---------- */

export type EligibilityFlag =
  | 'subjectToNotificationRequirements'
  | 'convicted'
  | 'cautionedOrEquivalent'
  | 'murderOrSchedule15Offence'
  | 'nonRegistrableSexualOffender'
  | 'disqualifiedFromWorkingWithChildren'
  | 'terrorismOffenceOrConnection'
  | 'raBelievesTerrorismRisk'
  | 'offenceShowsCapacityForSeriousHarm'
  | 'raBelievesMayCauseSeriousHarm'
  | 'needsActiveMultiAgencyManagement'
  | 'restrictedPatient'
  | 'subjectToCommunitySupervision';

export const FLAG_TEXT: Readonly<Record<EligibilityFlag, string>> = {
  subjectToNotificationRequirements: 'Subject to sex offender notification requirements (registered)',
  convicted: 'Convicted of an offence',
  cautionedOrEquivalent: 'Cautioned, or found not guilty by insanity / unfit to plead but did the act',
  murderOrSchedule15Offence: 'Murder or a CJA 2003 Schedule 15 offence',
  nonRegistrableSexualOffender: 'A sexual offender who does not have to register',
  disqualifiedFromWorkingWithChildren: 'Disqualified from working with children',
  terrorismOffenceOrConnection: 'A terrorism offence, or a court found a terrorist connection',
  raBelievesTerrorismRisk: 'You believe they may be involved in terrorism-related activity',
  offenceShowsCapacityForSeriousHarm: 'The offence shows they can cause serious harm',
  raBelievesMayCauseSeriousHarm: 'You reasonably believe they may cause serious harm',
  needsActiveMultiAgencyManagement: 'Active multi-agency management is needed',
  restrictedPatient: 'A restricted patient',
  subjectToCommunitySupervision: 'Supervised in the community by an order or licence',
};

export const FLAGS_FOR: Readonly<Record<Jurisdiction, readonly EligibilityFlag[]>> = {
  'england-wales': [
    'subjectToNotificationRequirements',
    'convicted',
    'cautionedOrEquivalent',
    'murderOrSchedule15Offence',
    'nonRegistrableSexualOffender',
    'disqualifiedFromWorkingWithChildren',
    'terrorismOffenceOrConnection',
    'raBelievesTerrorismRisk',
    'offenceShowsCapacityForSeriousHarm',
    'raBelievesMayCauseSeriousHarm',
    'needsActiveMultiAgencyManagement',
  ],
  scotland: [
    'subjectToNotificationRequirements',
    'convicted',
    'restrictedPatient',
    'subjectToCommunitySupervision',
    'needsActiveMultiAgencyManagement',
  ],
};

export const flagChoices = (ctx: FormContext): Choice[] =>
  FLAGS_FOR[ctx.jurisdiction].map((f) => ({ value: f, title: FLAG_TEXT[f] }));

export const DISPOSAL_TEXT: Readonly<Record<z.infer<typeof QualifyingDisposal>, string>> = {
  custody_12m_plus: 'Custody of 12 months or more',
  suspended_12m_plus: 'Suspended sentence of 12 months or more',
  yoi_12m_plus: 'Young offender institution, 12 months or more',
  dto_12m_plus: 'Detention and training order, 12 months or more',
  hm_pleasure: "Detention at His Majesty's pleasure",
  detention_12m_plus: 'Detention of 12 months or more',
  hospital_order: 'Hospital order',
  guardianship_order: 'Guardianship order',
};
export const disposalChoices: Choice[] = QualifyingDisposal.options.map((d) => ({ value: d, title: DISPOSAL_TEXT[d] }));

export const L2_FLAGS = [
  { value: 'needsCoordinatedInterventions', title: 'Needs active, co-ordinated interventions from other agencies' },
  { value: 'steppingDownFromLevel3', title: 'Stepping down from Level 3' },
] as const;

// The Level 3 test's own words, so what the referrer picks reads as the decision will record it.
export const seniorChoices: Choice[] = SeniorOversightReason.options.map((r) => ({
  value: r,
  title: SENIOR_OVERSIGHT_TEXT[r].charAt(0).toUpperCase() + SENIOR_OVERSIGHT_TEXT[r].slice(1),
}));

export const levelRequestedOf = (ctx: FormContext) => ctx.sections.reason?.levelRequested;

export const disposalKey = nested('eligibilityFacts', 'qualifyingDisposal');
export const roshToPublicKey = nested('eligibilityFacts', 'roshToPublic');
export const seniorOtherKey = nested('levelFacts', 'seniorOversightOther');
export const cannotDeliverKey = nested('levelFacts', 'level2CannotDeliver');

export const IDENTIFIER_PARTS = [
  { key: 'pnc', label: 'PNC number', placeholder: 'For example 2001/0123456X' },
  { key: 'crn', label: 'nDelius CRN', placeholder: 'For example X123456' },
  { key: 'visor', label: 'ViSOR number' },
  { key: 'prisonNumber', label: 'Prison number' },
  { key: 'chi', label: 'CHI number', scotlandOnly: true },
] as const;

export const ROSH_GROUPS = [
  { key: 'public', label: 'Risk of serious harm to the public' },
  { key: 'knownAdult', label: 'Risk of serious harm to a known adult' },
  { key: 'children', label: 'Risk of serious harm to children' },
  { key: 'staff', label: 'Risk of serious harm to staff' },
  { key: 'prisoners', label: 'Risk of serious harm to prisoners (in custody only)', optional: true },
] as const;

export const AGENCY_COLUMNS: readonly RowColumn[] = [
  {
    key: 'agencyId',
    label: (n) => `Agency ${n}: which agency`,
    name: 'the agency',
    kind: 'choice',
    choices: agencyChoices,
    max: 100,
    needed: true,
  },
  {
    key: 'involvement',
    label: (n) => `What agency ${n} does now`,
    name: 'what it does now',
    kind: 'text',
    max: 2000,
    placeholder: 'For example Housing options',
    needed: true,
  },
  {
    key: 'contributionRequired',
    label: (n) => `What agency ${n} must contribute`,
    name: 'what it must contribute',
    kind: 'text',
    max: 2000,
    placeholder: 'For example An address away from the victim',
    needed: true,
  },
];

export const VICTIM_COLUMNS: readonly RowColumn[] = [
  {
    key: 'description',
    label: (n) => `Victim ${n}: who they are (describe rather than name)`,
    name: 'who they are',
    kind: 'text',
    max: 500,
    placeholder: 'For example Former partner',
    needed: true,
  },
  {
    key: 'relationship',
    label: (n) => `Victim ${n}: relationship to the person`,
    name: 'the relationship',
    kind: 'text',
    max: 200,
    needed: false,
  },
  {
    key: 'concerns',
    label: (n) => `Victim ${n}: concerns`,
    name: 'the concerns',
    kind: 'text',
    max: 4000,
    needed: false,
  },
];

export const DOCUMENT_COLUMNS: readonly RowColumn[] = [
  {
    key: 'title',
    label: (n) => `Document ${n}: title`,
    name: 'the title',
    kind: 'text',
    max: 200,
    placeholder: 'For example OASys',
    needed: true,
  },
  {
    key: 'heldByAgencyId',
    label: (n) => `Document ${n}: held by`,
    name: 'the agency holding it',
    kind: 'choice',
    choices: agencyChoices,
    max: 100,
    needed: true,
  },
  {
    key: 'reference',
    label: (n) => `Document ${n}: reference`,
    name: 'the reference',
    kind: 'text',
    max: 200,
    needed: false,
  },
];

/** The entries of rows read from a card, or what to fix on which row. */
export function readRows(
  values: CardValues,
  id: string,
  columns: readonly RowColumn[],
  noun: string,
  ctx: FormContext,
): Result<Record<string, string>[], string> {
  const out: Record<string, string>[] = [];
  for (const { n, cells } of rowsFrom(values, id, columns)) {
    const missing = columns.filter((c) => c.needed && cells[c.key] === '').map((c) => c.name);
    if (missing.length > 0) return err(`${noun} ${n}: fill in ${missing.join(' and ')}, or clear the whole row.`);
    for (const c of columns) {
      const v = cells[c.key]!;
      if (c.kind === 'choice' && v !== '' && !c.choices?.(ctx).some((x) => x.value === v))
        return err(`${noun} ${n}: choose ${c.name} from the list.`);
    }
    out.push(Object.fromEntries(Object.entries(cells).filter(([, v]) => v !== '')));
  }
  return ok(out);
}
