import { z } from 'zod';
import type { FieldErrors } from '../shared/field-errors';
import {
  AgencyId,
  assessCategory,
  Category,
  categoriesFor,
  categoryInfo,
  EligibilityFacts,
  factsSupportCategory,
  isIsoDate,
  SubjectIdentifiers,
  SubjectStatus,
  type Area,
  type IsoDate,
} from '../../domain';

/**
 * Input ids of the notification form card, which are also the keys of `fieldErrors`, so a
 * message lands beside the input it is about. The API's nested JSON reports under the same keys.
 */
export const NOTIFICATION_FIELDS = [
  'givenName',
  'familyName',
  'otherNames',
  'aliases',
  'dateOfBirth',
  'gender',
  'pnc',
  'crn',
  'visor',
  'prisonNumber',
  'chi',
  'category',
  'eligibilityReasons',
  'eligibilityFacts',
  'qualifyingDisposal',
  'roshToPublic',
  'leadAgencyId',
  'sentenceDate',
  'releaseDate',
  'custodyStatus',
  'notes',
] as const;
export type NotificationField = (typeof NOTIFICATION_FIELDS)[number];

/**
 * Error keys that are not inputs: `identifiers` (none of pnc/crn/visor/prisonNumber/chi given) and
 * `form` (the payload as a whole). An API body with a misspelt key reports it by its dotted path.
 */
export type NotificationErrorKey = NotificationField | 'identifiers' | 'form';

export type { FieldErrors };

/**
 * What each field needs, in the words of the form, naming the field. Shown whenever a value is missing
 * or of the wrong kind, so zod's own wording ("Invalid input: expected string…") never reaches a user.
 */
const FIELD_HELP: Readonly<Record<NotificationErrorKey, string>> = {
  givenName: 'Enter the given name',
  familyName: 'Enter the family name',
  otherNames: 'Other names: type them as words, or leave them out',
  aliases: 'Aliases: give each alias or nickname as words, separated by commas',
  dateOfBirth: 'Date of birth: pick a real date, for example 4 Mar 1985 (sent to the API as 1985-03-04)',
  gender: 'Gender: type it in words, under 50 characters',
  pnc: 'PNC: give the PNC number like 2001/0123456X',
  crn: 'CRN: give the nDelius CRN like X123456',
  visor: 'ViSOR reference: give it as typed in ViSOR, under 40 characters',
  prisonNumber: 'Prison number: give it as typed, under 20 characters',
  chi: 'CHI number: give the 10 digits',
  category: 'Choose the MAPPA category from the list',
  eligibilityReasons: 'Give at least one reason the person is MAPPA-eligible, one per line',
  eligibilityFacts: 'Eligibility facts: choose them from the list',
  qualifyingDisposal: 'Qualifying sentence or disposal: choose one from the list',
  roshToPublic: 'Risk of serious harm to the public: choose low, medium, high or very high',
  leadAgencyId: 'Choose the lead agency from the list',
  sentenceDate: 'Sentence date: give a real date, for example 2024-03-04 (year, month, day)',
  releaseDate: 'Expected release date: give a real date, for example 2027-06-01 (year, month, day)',
  custodyStatus: 'Say whether the person is in custody, in the community or in hospital',
  notes: 'Notes: type them as words, under 10,000 characters',
  identifiers: 'Give at least one identifier: PNC, CRN, ViSOR, prison number or CHI number',
  form: 'The notification could not be read: send its fields as one object',
};

/** Fields checked by domain schemas, whose messages are written for developers: the form's words are shown. */
const DOMAIN_CHECKED: ReadonlySet<string> = new Set([
  'pnc',
  'crn',
  'visor',
  'prisonNumber',
  'chi',
  'eligibilityFacts',
  'qualifyingDisposal',
  'roshToPublic',
]);

/** Issues about the kind of value (not its length or format), for which zod's default wording is all there is. */
const KIND_CODES: ReadonlySet<string> = new Set([
  'invalid_type',
  'invalid_value',
  'invalid_union',
  'invalid_element',
  'invalid_key',
]);

const isHelpKey = (key: string): key is NotificationErrorKey => Object.prototype.hasOwnProperty.call(FIELD_HELP, key);

/** The yes/no eligibility facts a card offers as one multi-select (`eligibilityFacts`, "a,b,c"). */
export const BOOLEAN_ELIGIBILITY_FACTS = Object.keys(EligibilityFacts.shape).filter(
  (k) => k !== 'qualifyingDisposal' && k !== 'roshToPublic',
) as readonly (keyof EligibilityFacts)[];

const requiredText = (message: string) => ({
  error: (issue: { input: unknown }) => (issue.input === undefined ? message : undefined),
});

const CalendarDate = (missing: string) => z.string(requiredText(missing)).refine(isIsoDate, FIELD_HELP.dateOfBirth);
const OptionalDate = (field: 'sentenceDate' | 'releaseDate') =>
  z.string().refine(isIsoDate, FIELD_HELP[field]).optional();

const SubjectPart = z
  .strictObject({
    givenName: z.string(requiredText('Enter the given name')).max(100, 'Keep the given name under 100 characters'),
    familyName: z.string(requiredText('Enter the family name')).max(100, 'Keep the family name under 100 characters'),
    otherNames: z.string().max(99, 'Keep other names under 100 characters').optional(),
    aliases: z
      .array(z.string().max(200, 'Keep each alias under 200 characters'))
      .max(30, 'List at most 30 aliases')
      .optional(),
    dateOfBirth: CalendarDate('Enter the date of birth'),
    gender: z.string().max(50, 'Keep the gender under 50 characters').optional(),
  })
  .superRefine((s, ctx) => {
    // The stored name has one "given" field holding the given and other names together.
    if (s.otherNames !== undefined && `${s.givenName} ${s.otherNames}`.length > 100) {
      ctx.addIssue({
        code: 'custom',
        path: ['otherNames'],
        message: 'Given and other names together must be under 100 characters',
      });
    }
  });

const IdentifiersPart = z
  .strictObject({
    pnc: SubjectIdentifiers.shape.pnc,
    crn: SubjectIdentifiers.shape.crn,
    visor: SubjectIdentifiers.shape.visor,
    prisonNumber: SubjectIdentifiers.shape.prisonNumber,
    chi: SubjectIdentifiers.shape.chi,
  })
  .refine((ids) => Object.values(ids).some((v) => v !== undefined), {
    message: 'Give at least one identifier: PNC, CRN, ViSOR, prison number or CHI number',
  });

/**
 * A notification as JSON (the intake API's `notification`): nested, typed, unknown keys refused so a
 * misspelt field is reported rather than dropped. Blank strings count as absent.
 */
export const NotificationJson = z.strictObject({
  // Absent parts are parsed as empty so each missing field is named, not just the part.
  subject: z.preprocess((v) => v ?? {}, SubjectPart),
  identifiers: z.preprocess((v) => v ?? {}, IdentifiersPart),
  category: z.enum(Category.options, { error: 'Choose the MAPPA category' }),
  eligibilityReasons: z
    .array(z.string().max(1000, 'Keep each reason under 1000 characters'), {
      error: 'Give at least one reason the person is MAPPA-eligible',
    })
    .min(1, 'Give at least one reason the person is MAPPA-eligible')
    .max(20, 'Give at most 20 reasons'),
  eligibilityFacts: EligibilityFacts.strict().optional(),
  leadAgencyId: z
    .string()
    .refine((v) => AgencyId.safeParse(v).success, 'Choose the lead agency from the list')
    .optional(),
  sentenceDate: OptionalDate('sentenceDate'),
  releaseDate: OptionalDate('releaseDate'),
  custodyStatus: z.enum(SubjectStatus.options, {
    error: 'Say whether the person is in custody, in the community or in hospital',
  }),
  notes: z.string().max(10_000, 'Keep notes under 10,000 characters').optional(),
});
export type NotificationJsonInput = z.input<typeof NotificationJson>;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Trims text and drops blanks everywhere: card inputs left empty submit '' rather than nothing. */
export function withoutBlanks(value: unknown): unknown {
  if (typeof value === 'string') {
    const t = value.trim();
    return t === '' ? undefined : t;
  }
  if (Array.isArray(value)) return value.map(withoutBlanks).filter((v) => v !== undefined);
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value)
        .map(([k, v]) => [k, withoutBlanks(v)] as const)
        .filter(([, v]) => v !== undefined),
    );
  }
  return value;
}

const split = (v: unknown, on: RegExp): unknown => (typeof v === 'string' ? v.split(on) : v);

function cardFacts(v: Record<string, unknown>): Record<string, unknown> | undefined {
  const chosen = split(v.eligibilityFacts, /,/);
  const facts: Record<string, unknown> = {};
  if (Array.isArray(chosen)) for (const name of chosen) if (typeof name === 'string') facts[name.trim()] = true;
  if (v.qualifyingDisposal !== undefined) facts.qualifyingDisposal = v.qualifyingDisposal;
  if (v.roshToPublic !== undefined) facts.roshToPublic = v.roshToPublic;
  delete facts[''];
  return Object.keys(facts).length > 0 ? facts : undefined;
}

/**
 * The card submits flat strings keyed by `NOTIFICATION_FIELDS`: aliases comma-separated, reasons one
 * per line, yes/no facts as a multi-select. Other keys on `activity.value` (the verb, a draft id)
 * are ignored here.
 */
function fromCard(v: Record<string, unknown>): Record<string, unknown> {
  return {
    subject: {
      givenName: v.givenName,
      familyName: v.familyName,
      otherNames: v.otherNames,
      aliases: split(v.aliases, /,/),
      dateOfBirth: v.dateOfBirth,
      gender: v.gender,
    },
    identifiers: { pnc: v.pnc, crn: v.crn, visor: v.visor, prisonNumber: v.prisonNumber, chi: v.chi },
    category: v.category,
    eligibilityReasons: split(v.eligibilityReasons, /\r?\n/),
    eligibilityFacts: cardFacts(v),
    leadAgencyId: v.leadAgencyId,
    sentenceDate: v.sentenceDate,
    releaseDate: v.releaseDate,
    custodyStatus: v.custodyStatus,
    notes: v.notes,
  };
}

/**
 * What both the Teams form card and the intake API carry. Accepts the nested JSON shape, or the
 * card's flat string inputs (recognised by the absence of `subject` and `identifiers`).
 */
export const NotificationForm = z.preprocess((raw) => {
  const tidy = withoutBlanks(raw);
  if (isRecord(tidy) && !('subject' in tidy) && !('identifiers' in tidy)) return withoutBlanks(fromCard(tidy));
  return tidy;
}, NotificationJson);
export type NotificationForm = z.infer<typeof NotificationForm>;

const UNKNOWN_KEY = 'Not a field of a notification';

function keyOf(path: readonly PropertyKey[]): string {
  const [head, next] = path;
  if (head === undefined) return 'form';
  if ((head === 'subject' || head === 'identifiers') && typeof next === 'string') return next;
  if (head === 'eligibilityFacts') return next === 'qualifyingDisposal' || next === 'roshToPublic' ? next : head;
  return String(head);
}

/** The words for one issue: the form's own sentence whenever zod or the domain would speak instead. */
function messageFor(key: string, issue: z.core.$ZodIssue): string {
  if (isHelpKey(key) && (DOMAIN_CHECKED.has(key) || KIND_CODES.has(issue.code))) return FIELD_HELP[key];
  if (KIND_CODES.has(issue.code)) return `"${key}" has the wrong kind of value`;
  return issue.message;
}

/**
 * Zod issues as messages keyed by card input id (first message per key wins), each a sentence naming
 * its field. `prefix` is the path the form sits under in a larger body, e.g. ['notification'] in the
 * intake API.
 */
export function notificationFieldErrors(error: z.ZodError, prefix: readonly PropertyKey[] = []): FieldErrors {
  const out: FieldErrors = {};
  const put = (key: string, message: string) => {
    out[key] ??= message;
  };
  for (const issue of error.issues) {
    const under = prefix.every((p, i) => issue.path[i] === p);
    const path = under ? issue.path.slice(prefix.length) : issue.path;
    if (issue.code === 'unrecognized_keys') {
      // Unknown fact names come from the eligibility multi-select: the message belongs beside it.
      if (under && path[0] === 'eligibilityFacts') put('eligibilityFacts', FIELD_HELP.eligibilityFacts);
      else for (const k of issue.keys) put([...path.map(String), k].join('.'), UNKNOWN_KEY);
      continue;
    }
    const key = under ? keyOf(path) : path.map(String).join('.') || 'form';
    put(key, messageFor(key, issue));
  }
  return out;
}

const EARLIEST_BIRTH = '1900-01-01';

/** Checks that need today's date: the schema cannot know it. */
export function dateErrors(form: NotificationForm, today: IsoDate): FieldErrors {
  const out: FieldErrors = {};
  const dob = form.subject.dateOfBirth;
  if (dob >= today) out.dateOfBirth = 'The date of birth must be in the past';
  else if (dob < EARLIEST_BIRTH) out.dateOfBirth = 'The date of birth must be after 1900';
  if (form.sentenceDate !== undefined) {
    if (form.sentenceDate > today) out.sentenceDate = 'The sentence date cannot be in the future';
    else if (out.dateOfBirth === undefined && form.sentenceDate <= dob)
      out.sentenceDate = 'The sentence date must be after the date of birth';
  }
  if (form.releaseDate !== undefined && form.sentenceDate !== undefined && form.releaseDate < form.sentenceDate) {
    out.releaseDate = 'The release date cannot be before the sentence date';
  }
  return out;
}

/**
 * Checks against the area: the category must exist in its jurisdiction, and stated facts must not
 * contradict the category (the notifier may give reasons without facts, but not facts that disagree).
 */
export function areaErrors(form: NotificationForm, area: Area): FieldErrors {
  const out: FieldErrors = {};
  if (!categoryInfo(area.jurisdiction, form.category)) {
    const offered = categoriesFor(area.jurisdiction)
      .map((c) => c.category)
      .join(', ');
    out.category = `That category is not used in ${area.name}; choose one of ${offered}`;
    return out;
  }
  if (form.eligibilityFacts) {
    const assessed = assessCategory(area.jurisdiction, form.eligibilityFacts);
    if (!assessed.eligible) {
      out.eligibilityFacts = 'The facts given do not meet the test for any MAPPA category';
    } else if (!factsSupportCategory(assessed, form.category)) {
      const label = assessed.qualifying
        .map((q) => categoryInfo(area.jurisdiction, q.category)?.label ?? q.category)
        .join(' or ');
      out.category = `The facts given point to ${label}; change the category or the facts`;
    }
  }
  return out;
}
