import type { z } from 'zod';
import { matchAgency } from '../../domain/agency-match';
import type { Agency } from '../../domain/agency.schema';
import { Category, RoshLevel, type Jurisdiction } from '../../domain/common.schema';
import { isIsoDate } from '../../domain/dates';
import { formatUkDate } from '../../domain/format';
import {
  assessCategory,
  categoriesFor,
  categoryInfo,
  factsSupportCategory,
  QualifyingDisposal,
} from '../../domain/eligibility';
import { SENIOR_OVERSIGHT_TEXT, SeniorOversightReason } from '../../domain/levels';
import { REFERRAL_SECTIONS } from '../../domain/referral-sections';
import { ReferralSections, type Referral, type ReferralSectionId } from '../../domain/referral.schema';
import { SubjectStatus } from '../../domain/subject.schema';
import { err, ok, type Result } from '../../lib/result';

/*
 * The MAPPA A as a list of plain-language questions. Each question turns a typed answer into a patch
 * of one section; the patch is then checked against the domain's section schema, so the rules live
 * in one place (src/domain) and this file only knows how people write things down.
 */

export type DraftSections = Referral['sections'];
type SectionValue = Record<string, unknown>;

/** What answering a question may depend on: the area and what the draft already says. */
export interface FormContext {
  readonly jurisdiction: Jurisdiction;
  /** The area's active agencies, for matching names typed by the referrer. */
  readonly agencies: readonly Agency[];
  readonly sections: DraftSections;
  /** Police-only questions (ViSOR intelligence) are only asked of agencies with ViSOR access. */
  readonly referrerHasVisorAccess: boolean;
}

export interface Choice {
  readonly value: string;
  readonly title: string;
}

export type QuestionKind = 'text' | 'list' | 'date' | 'yesno' | 'choice' | 'multi' | 'compound';

export interface ReferralQuestion {
  readonly section: ReferralSectionId;
  /** Unique within the section; the section field it fills, or `field.part` for one part of it. */
  readonly id: string;
  /** The section field the answer lands in (a key of the section schema). */
  readonly field: string;
  readonly kind: QuestionKind;
  /** Short label for the review card. */
  readonly label: string;
  readonly prompt: (ctx: FormContext) => string;
  /** An example answer, shown under the question. */
  readonly hint?: string;
  /** Offered as buttons and accepted by number, value or title. */
  readonly choices?: (ctx: FormContext) => readonly Choice[];
  /** False for questions that only refine a required field someone else fills. */
  readonly required: boolean;
  readonly appliesTo?: (ctx: FormContext) => boolean;
  /** The typed answer as a patch of the section, or a message saying what to change. */
  readonly toPatch: (raw: string, ctx: FormContext, current: SectionValue) => Result<SectionValue, string>;
  /** The current answer in words, or undefined when not answered. */
  readonly show: (current: SectionValue, ctx: FormContext) => string | undefined;
}

/* ---------- parsing helpers: words in, values out ---------- */

const NONE = /^(none|n\/a|na|nil|no|nothing|none known)\.?$/i;
const cleaned = (raw: string) => raw.trim();

/** Accepts 2024-03-04, 4/3/2024, 04-03-2024 and 04.03.2024 (UK day-first). */
export function parseUkDate(raw: string): string | null {
  const s = raw.trim();
  if (isIsoDate(s)) return s;
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (!m) return null;
  const iso = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}

export function parseYesNo(raw: string): boolean | null {
  const s = raw.trim().toLowerCase().replace(/[.!]$/, '');
  if (['yes', 'y', 'true', 'agreed', 'approved', 'yes please'].includes(s)) return true;
  if (['no', 'n', 'false', 'not yet'].includes(s)) return false;
  return null;
}

function splitLines(raw: string, separators = /\r?\n|;/): string[] {
  return raw
    .split(separators)
    .map((s) => s.replace(/^\s*[-*•]\s*/, '').trim())
    .filter(Boolean);
}

function pickChoice(raw: string, choices: readonly Choice[]): Choice | undefined {
  const s = raw.trim().toLowerCase();
  const n = Number(s);
  if (Number.isInteger(n) && n >= 1 && n <= choices.length && String(n) === s) return choices[n - 1];
  return choices.find((c) => c.value.toLowerCase() === s || c.title.toLowerCase() === s);
}

/** "1, 3" or "none" against a numbered list. */
function pickMany(raw: string, choices: readonly Choice[]): Result<string[], string> {
  if (NONE.test(raw.trim())) return ok([]);
  const parts = raw
    .split(/[,;\s]+|\band\b/)
    .map((s) => s.trim())
    .filter(Boolean);
  const out: string[] = [];
  for (const p of parts) {
    const c = pickChoice(p, choices);
    if (!c) return err(`"${p}" is not one of the numbers listed. Reply with numbers such as 1, 3 or "none".`);
    if (!out.includes(c.value)) out.push(c.value);
  }
  return out.length > 0 ? ok(out) : err('Reply with the numbers that apply, or "none".');
}

const ROSH_WORDS: Readonly<Record<string, z.infer<typeof RoshLevel>>> = {
  l: 'LOW',
  low: 'LOW',
  m: 'MEDIUM',
  med: 'MEDIUM',
  medium: 'MEDIUM',
  h: 'HIGH',
  high: 'HIGH',
  vh: 'VERY_HIGH',
  'very high': 'VERY_HIGH',
  very_high: 'VERY_HIGH',
};
const ROSH_TEXT: Readonly<Record<z.infer<typeof RoshLevel>, string>> = {
  LOW: 'Low',
  MEDIUM: 'Medium',
  HIGH: 'High',
  VERY_HIGH: 'Very high',
};
const roshOf = (word: string) => ROSH_WORDS[word.trim().toLowerCase().replace(/\s+/g, ' ')];

/** The agency a typed name means, or a message naming the candidates (or the list) to choose from. */
function agencyFor(typed: string, agencies: readonly Agency[]): Result<Agency, string> {
  const m = matchAgency(typed, agencies);
  if (m.kind === 'one') return ok(m.agency);
  if (m.kind === 'several')
    return err(`"${typed.trim()}" could be ${m.candidates.map((a) => a.name).join(', or ')}. Write the one you mean.`);
  return err(
    `I do not know the agency "${typed.trim()}". Use one of: ${agencies
      .slice(0, 20)
      .map((a) => a.name)
      .join(', ')}.`,
  );
}

const bar = (line: string) => line.split('|').map((s) => s.trim());

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const yesNoText = (v: unknown) => (v === true ? 'Yes' : v === false ? 'No' : undefined);
const listText = (v: unknown) => (Array.isArray(v) && v.length > 0 ? v.map(String).join('; ') : undefined);
const asRecord = (v: unknown): SectionValue =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as SectionValue) : {};

/* ---------- question builders ---------- */

type Spec = Omit<ReferralQuestion, 'required' | 'show' | 'toPatch' | 'field' | 'kind'> &
  Partial<Pick<ReferralQuestion, 'show' | 'toPatch' | 'field' | 'kind'>> & { optional?: boolean };

function requiredFieldsOf(section: ReferralSectionId): readonly string[] {
  return REFERRAL_SECTIONS.find((s) => s.id === section)!.required;
}

function q(spec: Spec): ReferralQuestion {
  const field = spec.field ?? spec.id;
  const kind = spec.kind ?? 'text';
  const { optional, ...rest } = spec;
  return {
    ...rest,
    field,
    kind,
    required: !optional && requiredFieldsOf(spec.section).includes(field),
    toPatch: spec.toPatch ?? ((raw) => ok({ [field]: cleaned(raw) })),
    show: spec.show ?? ((cur) => str(cur[field])),
  };
}

const text = (section: ReferralSectionId, id: string, label: string, prompt: string, extra: Partial<Spec> = {}) =>
  q({ section, id, label, prompt: () => prompt, ...extra });

const list = (section: ReferralSectionId, id: string, label: string, prompt: string, extra: Partial<Spec> = {}) =>
  q({
    section,
    id,
    label,
    kind: 'list',
    prompt: () => `${prompt} Put each one on its own line or separate them with semicolons.`,
    toPatch: (raw) => ok({ [id]: NONE.test(raw.trim()) ? [] : splitLines(raw) }),
    show: (cur) => listText(cur[id]),
    ...extra,
  });

const date = (section: ReferralSectionId, id: string, label: string, prompt: string, extra: Partial<Spec> = {}) =>
  q({
    section,
    id,
    label,
    kind: 'date',
    prompt: () => prompt,
    hint: 'For example 04/03/2024',
    toPatch: (raw) => {
      const d = parseUkDate(raw);
      return d ? ok({ [id]: d }) : err('Give a real date as day/month/year, for example 04/03/2024.');
    },
    show: (cur) => (typeof cur[id] === 'string' ? formatUkDate(cur[id]) : undefined),
    ...extra,
  });

const yesNo = (section: ReferralSectionId, id: string, label: string, prompt: string, extra: Partial<Spec> = {}) =>
  q({
    section,
    id,
    label,
    kind: 'yesno',
    prompt: () => prompt,
    choices: () => [
      { value: 'yes', title: 'Yes' },
      { value: 'no', title: 'No' },
    ],
    toPatch: (raw) => {
      const b = parseYesNo(raw);
      return b === null ? err('Please answer yes or no.') : ok({ [id]: b });
    },
    show: (cur) => yesNoText(cur[id]),
    ...extra,
  });

function choice(
  section: ReferralSectionId,
  id: string,
  label: string,
  prompt: string,
  choices: (ctx: FormContext) => readonly Choice[],
  extra: Partial<Spec> = {},
) {
  return q({
    section,
    id,
    label,
    kind: 'choice',
    prompt: () => prompt,
    choices,
    toPatch: (raw, ctx) => {
      const c = pickChoice(raw, choices(ctx));
      return c
        ? ok({ [id]: c.value })
        : err(
            `Choose one of: ${choices(ctx)
              .map((x) => x.title)
              .join(', ')}.`,
          );
    },
    show: (cur, ctx) => {
      const v = cur[id];
      return v === undefined ? undefined : (choices(ctx).find((c) => c.value === String(v))?.title ?? String(v));
    },
    ...extra,
  });
}

const numbered = (choices: readonly Choice[]) => choices.map((c, i) => `${i + 1}. ${c.title}`).join('\n');

/* ---------- facts asked as numbered lists ---------- */

type EligibilityFlag =
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

const FLAG_TEXT: Readonly<Record<EligibilityFlag, string>> = {
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

const FLAGS_FOR: Readonly<Record<Jurisdiction, readonly EligibilityFlag[]>> = {
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

const flagChoices = (ctx: FormContext): Choice[] =>
  FLAGS_FOR[ctx.jurisdiction].map((f) => ({ value: f, title: FLAG_TEXT[f] }));

const DISPOSAL_TEXT: Readonly<Record<z.infer<typeof QualifyingDisposal>, string>> = {
  custody_12m_plus: 'Custody of 12 months or more',
  suspended_12m_plus: 'Suspended sentence of 12 months or more',
  yoi_12m_plus: 'Young offender institution, 12 months or more',
  dto_12m_plus: 'Detention and training order, 12 months or more',
  hm_pleasure: "Detention at His Majesty's pleasure",
  detention_12m_plus: 'Detention of 12 months or more',
  hospital_order: 'Hospital order',
  guardianship_order: 'Guardianship order',
};

const L2_FLAGS = [
  { value: 'needsCoordinatedInterventions', title: 'Needs active, co-ordinated interventions from other agencies' },
  { value: 'steppingDownFromLevel3', title: 'Stepping down from Level 3' },
] as const;

// The Level 3 test's own words, so what the referrer picks reads as the decision will record it.
const seniorChoices: Choice[] = SeniorOversightReason.options.map((r) => ({
  value: r,
  title: SENIOR_OVERSIGHT_TEXT[r].charAt(0).toUpperCase() + SENIOR_OVERSIGHT_TEXT[r].slice(1),
}));

const levelRequestedOf = (ctx: FormContext) => ctx.sections.reason?.levelRequested;

/* ---------- the questions, section by section ---------- */

const QUESTIONS: readonly ReferralQuestion[] = [
  // Referrer: who and which agency are filled in from the member record when the draft starts.
  text('referrer', 'jobTitle', 'Your job title', 'What is your job title?', { hint: 'For example Probation Officer' }),
  text('referrer', 'managerName', 'Manager', 'Who is your manager signing this referral off?'),
  yesNo('referrer', 'managerApproved', 'Manager agreed', 'Has your manager agreed this referral?'),

  q({
    section: 'subject',
    id: 'name',
    label: 'Name',
    prompt: () => "What is the person's name? Give first name(s) then family name.",
    hint: 'For example Terry Imaginary',
    toPatch: (raw) => {
      const s = cleaned(raw);
      const comma = /^([^,]+),\s*(.+)$/.exec(s);
      if (comma) return ok({ name: { given: comma[2]!.trim(), family: comma[1]!.trim() } });
      const words = s.split(/\s+/).filter(Boolean);
      if (words.length < 2) return err('Give both a first name and a family name, for example Terry Imaginary.');
      return ok({ name: { given: words.slice(0, -1).join(' '), family: words[words.length - 1] } });
    },
    show: (cur) => {
      const n = asRecord(cur.name);
      return str(n.given) && str(n.family) ? `${String(n.given)} ${String(n.family)}` : undefined;
    },
  }),
  list(
    'subject',
    'aliases',
    'Aliases',
    'Any aliases or nicknames? Say if they are gang-related. Reply "none" if none.',
    {
      optional: true,
      toPatch: (raw) => ok({ aliases: NONE.test(raw.trim()) ? [] : splitLines(raw, /\r?\n|;|,/) }),
    },
  ),
  date('subject', 'dateOfBirth', 'Date of birth', 'What is their date of birth?'),
  text('subject', 'gender', 'Gender', 'What is their gender?'),
  text('subject', 'ethnicity', 'Ethnicity', 'What is their ethnicity, in words (not a code)?', {
    hint: 'For example White British',
  }),
  q({
    section: 'subject',
    id: 'address',
    label: 'Address',
    prompt: () => 'What is their current address? Reply "NFA" if they have no fixed abode.',
    toPatch: (raw) => {
      const s = cleaned(raw);
      return /^(nfa|no fixed abode|no fixed address)$/i.test(s)
        ? ok({ address: undefined, noFixedAbode: true })
        : ok({ address: s, noFixedAbode: false });
    },
    show: (cur) => (cur.noFixedAbode === true ? 'No fixed abode' : str(cur.address)),
  }),
  text('subject', 'areaOfClosestLinks', 'Area of closest links', 'Which area do they have the closest links to?', {
    appliesTo: (ctx) => ctx.sections.subject?.noFixedAbode === true,
  }),
  text(
    'subject',
    'approvedReleaseAddress',
    'Approved release address',
    'If in custody, what is the approved release address? Skip if not known yet.',
    { appliesTo: (ctx) => ctx.sections.subject?.status !== 'community' },
  ),
  q({
    section: 'subject',
    id: 'identifiers',
    label: 'Reference numbers',
    kind: 'compound',
    prompt: () =>
      'Which reference numbers do you know? Write each with its name: PNC, CRN, ViSOR, prison number' +
      ' (and CHI in Scotland). Reply "none" if you have none.',
    hint: 'For example PNC 2001/0123456X; CRN X123456',
    toPatch: (raw) => {
      if (NONE.test(raw.trim())) return ok({ identifiers: {} });
      const keys: Record<string, string> = {
        pnc: 'pnc',
        crn: 'crn',
        visor: 'visor',
        prison: 'prisonNumber',
        'prison number': 'prisonNumber',
        'prison no': 'prisonNumber',
        chi: 'chi',
      };
      const out: Record<string, string> = {};
      for (const part of splitLines(raw, /\r?\n|;|,/)) {
        const m = /^(pnc|crn|visor|prison(?: number| no)?|chi)\s*[:=-]?\s*(.+)$/i.exec(part);
        if (!m)
          return err(`Start each number with its name, for example "PNC 2001/0123456X". I could not read "${part}".`);
        out[keys[m[1]!.toLowerCase()]!] = m[2]!.trim().toUpperCase();
      }
      return ok({ identifiers: out });
    },
    show: (cur) => {
      const ids = asRecord(cur.identifiers);
      if (!cur.identifiers) return undefined;
      const parts = Object.entries(ids).map(
        ([k, v]) => `${k === 'prisonNumber' ? 'Prison' : k.toUpperCase()} ${String(v)}`,
      );
      return parts.length > 0 ? parts.join('; ') : 'None known';
    },
  }),
  choice('subject', 'status', 'Where they are now', 'Where is the person now?', () =>
    SubjectStatus.options.map((s) => ({ value: s, title: s[0]!.toUpperCase() + s.slice(1) })),
  ),

  choice('category', 'category', 'Category', 'Which MAPPA category do you think applies?', (ctx) =>
    categoriesFor(ctx.jurisdiction).map((c) => ({ value: c.category, title: c.label })),
  ),
  q({
    section: 'category',
    id: 'eligibilityFacts',
    label: 'Eligibility',
    kind: 'multi',
    prompt: (ctx) =>
      `Which of these are true? Reply with the numbers, for example 2, 4.\n\n${numbered(flagChoices(ctx))}`,
    choices: flagChoices,
    toPatch: (raw, ctx, cur) => {
      const picked = pickMany(raw, flagChoices(ctx));
      if (!picked.ok) return picked;
      const base = asRecord(cur.eligibilityFacts);
      const flags = Object.fromEntries(FLAGS_FOR[ctx.jurisdiction].map((f) => [f, picked.value.includes(f)]));
      return ok({ eligibilityFacts: { ...base, ...flags } });
    },
    show: (cur, ctx) => {
      if (!cur.eligibilityFacts) return undefined;
      const f = asRecord(cur.eligibilityFacts);
      const yes = FLAGS_FOR[ctx.jurisdiction].filter((k) => f[k] === true).map((k) => FLAG_TEXT[k]);
      return yes.length > 0 ? yes.join('; ') : 'None of the listed facts';
    },
  }),
  q({
    section: 'category',
    id: 'eligibilityFacts.qualifyingDisposal',
    field: 'eligibilityFacts',
    label: 'Sentence or disposal',
    kind: 'choice',
    optional: true,
    prompt: () => 'Which sentence or disposal did they receive for that offence?',
    choices: () => QualifyingDisposal.options.map((d) => ({ value: d, title: DISPOSAL_TEXT[d] })),
    // The disposal test applies to non-registrable sexual offenders too (CJA 2003 s.327(3)-(4)).
    appliesTo: (ctx) =>
      ctx.jurisdiction === 'england-wales' &&
      (ctx.sections.category?.eligibilityFacts?.murderOrSchedule15Offence === true ||
        ctx.sections.category?.eligibilityFacts?.nonRegistrableSexualOffender === true),
    toPatch: (raw, _ctx, cur) => {
      const choices = QualifyingDisposal.options.map((d) => ({ value: d, title: DISPOSAL_TEXT[d] }));
      const c = pickChoice(raw, choices);
      return c
        ? ok({ eligibilityFacts: { ...asRecord(cur.eligibilityFacts), qualifyingDisposal: c.value } })
        : err(`Choose one of: ${choices.map((x) => x.title).join(', ')}.`);
    },
    show: (cur) => {
      const d = asRecord(cur.eligibilityFacts).qualifyingDisposal;
      return typeof d === 'string' ? (DISPOSAL_TEXT[d as keyof typeof DISPOSAL_TEXT] ?? d) : undefined;
    },
  }),
  q({
    section: 'category',
    id: 'eligibilityFacts.roshToPublic',
    field: 'eligibilityFacts',
    label: 'RoSH to the public',
    kind: 'choice',
    optional: true,
    prompt: () => 'What is their assessed risk of serious harm to the public?',
    choices: () => RoshLevel.options.map((r) => ({ value: r, title: ROSH_TEXT[r] })),
    appliesTo: (ctx) => ctx.jurisdiction === 'scotland',
    toPatch: (raw, _ctx, cur) => {
      const r =
        roshOf(raw) ??
        pickChoice(
          raw,
          RoshLevel.options.map((x) => ({ value: x, title: ROSH_TEXT[x] })),
        )?.value;
      return r
        ? ok({ eligibilityFacts: { ...asRecord(cur.eligibilityFacts), roshToPublic: r } })
        : err('Answer Low, Medium, High or Very high.');
    },
    show: (cur) => {
      const r = asRecord(cur.eligibilityFacts).roshToPublic;
      return typeof r === 'string' ? ROSH_TEXT[r as keyof typeof ROSH_TEXT] : undefined;
    },
  }),

  list('offence', 'indexOffences', 'Index offence(s)', 'What is the index offence, or offences?'),
  text('offence', 'qualifyingCaution', 'Qualifying caution', 'Is there a qualifying caution instead of a conviction?', {
    appliesTo: (ctx) => ctx.sections.category?.category === 'cat3',
  }),
  text('offence', 'sentenceType', 'Sentence type', 'What type of sentence was given?', {
    hint: 'For example Determinate custody',
  }),
  text('offence', 'sentenceLength', 'Sentence length', 'How long is the sentence?', { hint: 'For example 4 years' }),
  date('offence', 'sentenceDate', 'Sentence date', 'On what date were they sentenced?'),
  list('offence', 'briefFacts', 'Brief facts', 'Give the brief facts as short points, in your own words.'),
  text(
    'offence',
    'previousRelevantOffences',
    'Previous relevant offences',
    'Any previous offences relevant to the risk? Reply "none" if none.',
  ),
  date('offence', 'releaseDate', 'Release date', 'If in custody, when are they due for release?', {
    appliesTo: (ctx) => ctx.sections.subject?.status !== 'community',
  }),
  date('offence', 'licenceEndDate', 'Licence end date', 'When does the licence or order end?'),
  date('offence', 'mentalHealthReviewDate', 'Mental health review date', 'When is the next mental health review?', {
    appliesTo: (ctx) => ctx.sections.subject?.status === 'hospital',
  }),
  q({
    section: 'offence',
    id: 'hospitalDetention',
    label: 'Hospital detention',
    kind: 'compound',
    prompt: () => 'Hospital details: hospital | legal basis | responsible clinician (separate them with |).',
    hint: 'For example Testshire Secure Unit | s.37/41 MHA | Dr Kim Notreal',
    appliesTo: (ctx) => ctx.sections.subject?.status === 'hospital',
    toPatch: (raw) => {
      const [hospital, legalBasis, responsibleClinician] = bar(raw);
      if (!hospital || !legalBasis) return err('Give at least the hospital and the legal basis, separated by |.');
      return ok({
        hospitalDetention: { hospital, legalBasis, ...(responsibleClinician ? { responsibleClinician } : {}) },
      });
    },
    show: (cur) => {
      const h = asRecord(cur.hospitalDetention);
      return h.hospital
        ? [h.hospital, h.legalBasis, h.responsibleClinician].filter(Boolean).map(String).join(' | ')
        : undefined;
    },
  }),

  q({
    section: 'risk',
    id: 'rosh',
    label: 'RoSH',
    kind: 'compound',
    prompt: () =>
      'What is their OASys risk of serious harm to the public, known adults, children and staff, in that order' +
      ' (add a fifth for prisoners if in custody)? Use L, M, H or VH.',
    hint: 'For example M, H, L, L',
    toPatch: (raw) => {
      const parts = raw
        .split(/[,;/]/)
        .map((s) => s.trim())
        .filter(Boolean);
      const levels = parts.map(roshOf);
      if (parts.length < 4 || parts.length > 5 || levels.some((l) => l === undefined))
        return err(
          'Give four or five levels in order (public, known adult, children, staff, prisoners) using L, M, H or VH.',
        );
      const [pub, knownAdult, children, staff, prisoners] = levels;
      return ok({ rosh: { public: pub, knownAdult, children, staff, ...(prisoners ? { prisoners } : {}) } });
    },
    show: (cur) => {
      const r = asRecord(cur.rosh);
      if (!r.public) return undefined;
      const name = (k: string, label: string) =>
        r[k] ? `${label} ${ROSH_TEXT[r[k] as keyof typeof ROSH_TEXT]}` : null;
      return [
        name('public', 'Public'),
        name('knownAdult', 'Known adult'),
        name('children', 'Children'),
        name('staff', 'Staff'),
        name('prisoners', 'Prisoners'),
      ]
        .filter(Boolean)
        .join(', ');
    },
  }),
  choice('risk', 'roshSetting', 'Assessed in', 'Was the RoSH assessed for the community or custody?', () => [
    { value: 'community', title: 'Community' },
    { value: 'custody', title: 'Custody' },
  ]),
  date('risk', 'assessedOn', 'Assessed on', 'When was the risk last assessed?'),
  q({
    section: 'risk',
    id: 'tools',
    label: 'Other tools',
    kind: 'list',
    prompt: () => 'Any other risk tools and their results? One per line as tool: result. Reply "none" if none.',
    hint: 'For example RM2000: High',
    toPatch: (raw) => {
      if (NONE.test(raw.trim())) return ok({ tools: [] });
      const tools = [];
      for (const line of splitLines(raw)) {
        const i = line.indexOf(':');
        if (i <= 0) return err(`Write each as tool: result. I could not read "${line}".`);
        tools.push({ name: line.slice(0, i).trim(), result: line.slice(i + 1).trim() });
      }
      return ok({ tools });
    },
    show: (cur) =>
      Array.isArray(cur.tools) && cur.tools.length > 0
        ? (cur.tools as { name: string; result: string }[]).map((t) => `${t.name}: ${t.result}`).join('; ')
        : undefined,
  }),
  list('risk', 'riskOfHarmFactors', 'Risk factors', 'What factors raise or reduce the risk?'),
  text(
    'risk',
    'visorIntelligence',
    'ViSOR / police-only intelligence',
    'Any ViSOR or police-only intelligence? Only agencies with ViSOR access will see it.',
    { appliesTo: (ctx) => ctx.referrerHasVisorAccess },
  ),

  text('reason', 'reasonForReferral', 'Reason for referral', 'Why can your agency not manage the risk alone?'),
  q({
    section: 'reason',
    id: 'levelRequested',
    label: 'Level requested',
    kind: 'choice',
    prompt: () => 'Which level are you asking for: Level 2, Level 3, or ask the co-ordinator to advise?',
    choices: () => [
      { value: '2', title: 'Level 2' },
      { value: '3', title: 'Level 3' },
      { value: 'advise', title: 'Co-ordinator to advise' },
    ],
    toPatch: (raw) => {
      const s = raw
        .trim()
        .toLowerCase()
        .replace(/^level\s*/, '');
      if (s === '2' || s === '3') return ok({ levelRequested: Number(s) });
      if (/^(advise|co-?ordinator to advise|not sure|unsure)$/.test(s)) return ok({ levelRequested: 'advise' });
      if (s === '1')
        return err(
          'A referral asks for Level 2 or 3. Level 1 is managed by your agency without a referral, and Category 3 cases can only be managed at Level 2 or 3.',
        );
      return err('Answer 2, 3 or "advise".');
    },
    show: (cur) =>
      cur.levelRequested === 'advise'
        ? 'Co-ordinator to advise'
        : cur.levelRequested === undefined
          ? undefined
          : `Level ${String(cur.levelRequested)}`,
  }),
  yesNo(
    'reason',
    'levelFacts.addValue',
    'Meetings add value',
    'Would formal multi-agency meetings add value to managing the risk?',
    {
      field: 'levelFacts',
      toPatch: (raw, _ctx, cur) => {
        const b = parseYesNo(raw);
        return b === null
          ? err('Please answer yes or no.')
          : ok({ levelFacts: { ...asRecord(cur.levelFacts), multiAgencyMeetingsAddValue: b } });
      },
      show: (cur) => yesNoText(asRecord(cur.levelFacts).multiAgencyMeetingsAddValue),
    },
  ),
  q({
    section: 'reason',
    id: 'levelFacts.level2',
    field: 'levelFacts',
    label: 'Other Level 2 reasons',
    kind: 'multi',
    optional: true,
    prompt: () =>
      `High or Very High RoSH is taken from the risk section. Do any of these also apply? Reply with the numbers or "none".\n\n${numbered(L2_FLAGS)}`,
    choices: () => L2_FLAGS,
    toPatch: (raw, _ctx, cur) => {
      const picked = pickMany(raw, L2_FLAGS);
      if (!picked.ok) return picked;
      const flags = Object.fromEntries(L2_FLAGS.map((f) => [f.value, picked.value.includes(f.value)]));
      return ok({ levelFacts: { ...asRecord(cur.levelFacts), ...flags } });
    },
    show: (cur) => {
      const f = asRecord(cur.levelFacts);
      const yes = L2_FLAGS.filter((x) => f[x.value] === true).map((x) => x.title);
      return yes.length > 0 ? yes.join('; ') : undefined;
    },
  }),
  q({
    section: 'reason',
    id: 'levelFacts.senior',
    field: 'levelFacts',
    label: 'Senior oversight',
    kind: 'multi',
    optional: true,
    prompt: () =>
      `Level 3 needs senior oversight. Which of these apply? Reply with the numbers or "none".\n\n${numbered(seniorChoices)}`,
    choices: () => seniorChoices,
    appliesTo: (ctx) => levelRequestedOf(ctx) === 3 || levelRequestedOf(ctx) === 'advise',
    toPatch: (raw, _ctx, cur) => {
      const picked = pickMany(raw, seniorChoices);
      return picked.ok
        ? ok({ levelFacts: { ...asRecord(cur.levelFacts), seniorOversightReasons: picked.value } })
        : picked;
    },
    show: (cur) => {
      const r = asRecord(cur.levelFacts).seniorOversightReasons;
      return Array.isArray(r) && r.length > 0
        ? r.map((x) => seniorChoices.find((c) => c.value === x)?.title ?? String(x)).join('; ')
        : undefined;
    },
  }),
  text(
    'reason',
    'levelFacts.seniorOther',
    'Other reason for senior oversight',
    'Any other reason senior managers must oversee the case?',
    {
      field: 'levelFacts',
      optional: true,
      appliesTo: (ctx) => levelRequestedOf(ctx) === 3,
      toPatch: (raw, _ctx, cur) =>
        ok({ levelFacts: { ...asRecord(cur.levelFacts), seniorOversightOther: cleaned(raw) } }),
      show: (cur) => str(asRecord(cur.levelFacts).seniorOversightOther),
    },
  ),
  text(
    'reason',
    'levelFacts.level2CannotDeliver',
    'What Level 2 cannot deliver',
    'Which parts of the risk management plan could not be delivered at Level 2?',
    {
      field: 'levelFacts',
      optional: true,
      appliesTo: (ctx) => levelRequestedOf(ctx) === 3,
      toPatch: (raw, _ctx, cur) =>
        ok({ levelFacts: { ...asRecord(cur.levelFacts), level2CannotDeliver: cleaned(raw) } }),
      show: (cur) => str(asRecord(cur.levelFacts).level2CannotDeliver),
    },
  ),

  q({
    section: 'agencies',
    id: 'agencies',
    label: 'Agencies',
    kind: 'compound',
    prompt: () => 'Which agencies are involved? One per line as agency | what it does now | what it must contribute.',
    hint: 'For example Housing | Housing options | An address away from the victim',
    toPatch: (raw, ctx) => {
      const out = [];
      for (const line of splitLines(raw, /\r?\n/)) {
        const [name = '', involvement, contributionRequired] = bar(line);
        const found = agencyFor(name, ctx.agencies);
        if (!found.ok) return found;
        const agency = found.value;
        if (!involvement || !contributionRequired)
          return err(`For ${agency.name}, say what it does now and what it must contribute, separated by |.`);
        out.push({ agencyId: agency.id, involvement, contributionRequired });
      }
      return out.length > 0 ? ok({ agencies: out }) : err('Name at least one agency.');
    },
    show: (cur, ctx) =>
      Array.isArray(cur.agencies) && cur.agencies.length > 0
        ? (cur.agencies as { agencyId: string; contributionRequired: string }[])
            .map(
              (a) => `${ctx.agencies.find((x) => x.id === a.agencyId)?.name ?? a.agencyId}: ${a.contributionRequired}`,
            )
            .join('; ')
        : undefined,
  }),

  q({
    section: 'victims',
    id: 'victims',
    label: 'Victims',
    kind: 'compound',
    prompt: () =>
      'Who are the identified or potential victims? Describe rather than name them. One per line as description | relationship | concerns, or "none".',
    hint: 'For example Former partner | ex-partner | lives nearby',
    toPatch: (raw) => {
      if (NONE.test(raw.trim())) return ok({ victims: [] });
      return ok({
        victims: splitLines(raw, /\r?\n/).map((line) => {
          const [description, relationship, concerns] = bar(line);
          return { description, ...(relationship ? { relationship } : {}), ...(concerns ? { concerns } : {}) };
        }),
      });
    },
    show: (cur) =>
      Array.isArray(cur.victims) && cur.victims.length > 0
        ? (cur.victims as { description: string }[]).map((v) => v.description).join('; ')
        : undefined,
  }),
  text('victims', 'victimSafetyConcerns', 'Victim safety', 'What are the concerns for victim safety?'),
  yesNo('victims', 'victimLiaisonInvolved', 'Victim Liaison Officer', 'Is a Victim Liaison Officer involved?'),
  yesNo('victims', 'maracInvolved', 'MARAC', 'Is MARAC involved?'),

  text(
    'safeguarding',
    'children',
    'Children',
    'Which children are in contact with the person or at risk? Write "none known" if so.',
  ),
  text(
    'safeguarding',
    'vulnerableAdults',
    'Vulnerable adults',
    'Which vulnerable adults are in contact with the person or at risk? Write "none known" if so.',
  ),

  text(
    'diversity',
    'diversityNeeds',
    'Diversity needs',
    'Any needs that affect how the person is managed (language, disability, faith, age, gender identity)? Write "none identified" if so.',
  ),
  text('diversity', 'barriers', 'Barriers', 'Any barriers to the plan?'),

  text(
    'disclosure',
    'considerations',
    'Disclosure considerations',
    'Might anyone outside MAPPA (victim, employer, partner) need to be told, and why would it be necessary and proportionate?',
  ),
  yesNo('disclosure', 'disclosureToDiscuss', 'Disclosure to discuss', 'Should the meeting discuss disclosure?'),

  q({
    section: 'attachments',
    id: 'documents',
    label: 'Documents',
    kind: 'compound',
    prompt: () => 'Any documents held in agency systems? One per line as title | agency | reference, or "none".',
    hint: 'For example OASys | Probation | OASYS-1',
    toPatch: (raw, ctx) => {
      if (NONE.test(raw.trim())) return ok({ documents: [] });
      const out = [];
      for (const line of splitLines(raw, /\r?\n/)) {
        const [title, agencyName = '', reference] = bar(line);
        if (!title || !agencyName) return err(`Write each as title | agency | reference. I could not read "${line}".`);
        const agency = agencyFor(agencyName, ctx.agencies);
        if (!agency.ok) return agency;
        out.push({ title, heldByAgencyId: agency.value.id, ...(reference ? { reference } : {}) });
      }
      return ok({ documents: out });
    },
    show: (cur) =>
      Array.isArray(cur.documents) && cur.documents.length > 0
        ? (cur.documents as { title: string; reference?: string }[])
            .map((d) => (d.reference ? `${d.title} (${d.reference})` : d.title))
            .join('; ')
        : undefined,
  }),
];

/** The questions of one section, in the order the dialog asks them (some may not apply). */
export function sectionQuestions(section: ReferralSectionId): readonly ReferralQuestion[] {
  return QUESTIONS.filter((x) => x.section === section);
}

export function findQuestion(section: string, id: string): ReferralQuestion | undefined {
  return QUESTIONS.find((x) => x.section === section && x.id === id);
}

export const questionApplies = (question: ReferralQuestion, ctx: FormContext): boolean =>
  question.appliesTo?.(ctx) ?? true;

/** Has the field this question fills already got a value? */
export function isAnswered(question: ReferralQuestion, sections: DraftSections, ctx: FormContext): boolean {
  return question.show(asRecord(sections[question.section]), ctx) !== undefined;
}

/** The highest RoSH across groups, which the Level 2 test reads. */
export function highestRosh(rosh: SectionValue): z.infer<typeof RoshLevel> | undefined {
  const order = RoshLevel.options;
  const levels = Object.values(rosh).filter((v): v is z.infer<typeof RoshLevel> => order.includes(v as never));
  return levels.sort((a, b) => order.indexOf(b) - order.indexOf(a))[0];
}

/** A schema issue as a sentence naming the question, never the schema's own wording or field path. */
function humanIssue(issue: z.core.$ZodIssue, label: string): string {
  if (issue.code === 'too_small')
    return issue.origin === 'array' ? `${label}: give at least one.` : `${label}: this cannot be blank.`;
  if (issue.code === 'too_big') return `${label}: keep it shorter (at most ${String(issue.maximum)}).`;
  if (issue.code === 'invalid_format' || issue.code === 'custom') return `${label}: ${issue.message}`;
  return `${label}: that answer does not fit this question.`;
}

/**
 * Checks one typed answer: parses the words, then validates every section field it touches with the
 * domain schema. Returns the new value of the whole section (parsed, so defaults are applied), or a
 * message for the person. Pure, so the dialog's prompt validator and the use case share it.
 */
export function applyAnswer(
  question: ReferralQuestion,
  raw: string,
  ctx: FormContext,
): Result<{ section: SectionValue; notes: string[] }, string> {
  if (raw.trim() === '') return err('Please type an answer.');
  const current = asRecord(ctx.sections[question.section]);
  const patch = question.toPatch(raw, ctx, current);
  if (!patch.ok) return patch;
  const shape = ReferralSections.shape[question.section].shape as Record<string, z.ZodType>;
  const next: SectionValue = { ...current };
  for (const [key, value] of Object.entries(patch.value)) {
    if (value === undefined) {
      delete next[key];
      continue;
    }
    const schema = shape[key];
    if (!schema) return err('That answer does not belong in this section.');
    const parsed = schema.safeParse(value);
    if (!parsed.success) return err(humanIssue(parsed.error.issues[0]!, question.label));
    next[key] = parsed.data;
  }
  return ok({ section: next, notes: notesFor(question, next, ctx) });
}

/** Feedback worth showing straight after an answer: what the eligibility answers support. */
function notesFor(question: ReferralQuestion, section: SectionValue, ctx: FormContext): string[] {
  if (question.section !== 'category' || !section.eligibilityFacts) return [];
  // A verdict before the question that decides it (the sentence, for Category 2) would tell the
  // person their case does not qualify when it may well do.
  const after: FormContext = { ...ctx, sections: { ...ctx.sections, category: section } };
  const rest = sectionQuestions('category').slice(sectionQuestions('category').indexOf(question) + 1);
  if (rest.some((q) => questionApplies(q, after) && !isAnswered(q, after.sections, after))) return [];
  const a = assessCategory(ctx.jurisdiction, asRecord(section.eligibilityFacts));
  if (!a.eligible) return ['These answers do not meet any MAPPA category yet; the co-ordinator will see why.'];
  const label = a.qualifying.map((q) => categoryInfo(ctx.jurisdiction, q.category)?.label ?? q.category).join(' or ');
  const chosen = Category.safeParse(section.category);
  const also = a.coordinatorChooses ? ' More than one category applies, so the co-ordinator chooses.' : '';
  return chosen.success && !factsSupportCategory(a, chosen.data)
    ? [`These answers support ${label}, not the category you chose. Type **back** to change the category.`]
    : [`These answers support ${label}.${also}`];
}

/**
 * Values other answers imply, recomputed after every save so they never go stale: the eligibility
 * reasons the co-ordinator sees, and the highest RoSH the Level 2 test reads.
 */
export function withDerivedValues(sections: DraftSections, jurisdiction: Jurisdiction): DraftSections {
  const out: DraftSections = { ...sections };
  const facts = out.category?.eligibilityFacts;
  if (out.category && facts) {
    const a = assessCategory(jurisdiction, facts);
    out.category = { ...out.category, eligibilityReasons: a.eligible ? [...a.reasons] : [] };
  }
  const rosh = out.risk?.rosh;
  if (out.reason?.levelFacts && rosh) {
    const top = highestRosh(rosh);
    out.reason = { ...out.reason, levelFacts: { ...out.reason.levelFacts, ...(top ? { highestRosh: top } : {}) } };
  }
  return out;
}

/** Every answered question of a section, for the review card. */
export function sectionAnswers(
  section: ReferralSectionId,
  ctx: FormContext,
): { label: string; value: string; questionId: string }[] {
  const cur = asRecord(ctx.sections[section]);
  const out: { label: string; value: string; questionId: string }[] = [];
  for (const question of sectionQuestions(section)) {
    const value = question.show(cur, ctx);
    if (value !== undefined) out.push({ label: question.label, value, questionId: question.id });
  }
  return out;
}
