import { SubjectStatus } from '../../domain/subject.schema';
import { err, ok } from '../../lib/result';
import { choice, date, list, q, text, yesNo } from './form-builders';
import { IDENTIFIER_PARTS } from './form-choices';
import { asRecord, cleaned, NONE, parseUkDate, splitLines, str } from './form-parse';
import type { ReferralQuestion } from './form-types';

/** The referrer and the subject: MAPPA A questions in the order the dialog asks them. */
export const PERSON_QUESTIONS: readonly ReferralQuestion[] = [
  // Referrer: who and which agency are filled in from the member record when the draft starts.
  text('referrer', 'jobTitle', 'Your job title', 'What is your job title?', {
    hint: 'For example Probation Officer',
    max: 200,
  }),
  text('referrer', 'managerName', 'Manager', 'Who is your manager signing this referral off?', {
    cardLabel: 'Your manager, who signs this referral off',
    max: 200,
  }),
  yesNo('referrer', 'managerApproved', 'Manager agreed', 'Has your manager agreed this referral?'),

  q({
    section: 'subject',
    id: 'name',
    label: 'Name',
    kind: 'compound',
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
    inputs: () => [
      { id: 'name.given', label: 'First name(s)', kind: 'text', required: true, maxLength: 100 },
      { id: 'name.family', label: 'Family name', kind: 'text', required: true, maxLength: 100 },
    ],
    values: (cur) => {
      const n = asRecord(cur.name);
      return { 'name.given': str(n.given) ?? '', 'name.family': str(n.family) ?? '' };
    },
    fromInputs: (values) => {
      const given = (values['name.given'] ?? '').trim();
      const family = (values['name.family'] ?? '').trim();
      if (!given || !family)
        return err(
          `Name: give the ${!given && !family ? 'first and family names' : !given ? 'first name' : 'family name'}.`,
        );
      return ok({ name: { given, family } });
    },
  }),
  list(
    'subject',
    'aliases',
    'Aliases',
    'Any aliases or nicknames? Say if they are gang-related. Reply "none" if none.',
    {
      optional: true,
      cardLabel: 'Aliases or nicknames (say if gang-related)',
      hint: 'One per line, or leave blank if none',
      max: 2000,
      toPatch: (raw) => ok({ aliases: NONE.test(raw.trim()) ? [] : splitLines(raw, /\r?\n|;|,/) }),
    },
  ),
  date('subject', 'dateOfBirth', 'Date of birth', 'What is their date of birth?', {
    toPatch: (raw, ctx) => {
      const d = parseUkDate(raw);
      if (!d) return err('Give a real date of birth, for example 4 March 1985 or 04/03/1985.');
      if (ctx.today !== undefined && d > ctx.today)
        return err('Date of birth: that date is in the future. Give the date they were born.');
      return ok({ dateOfBirth: d });
    },
  }),
  text('subject', 'gender', 'Gender', 'What is their gender?', { max: 50 }),
  text('subject', 'ethnicity', 'Ethnicity', 'What is their ethnicity, in words (not a code)?', {
    cardLabel: 'Ethnicity, in words (not a code)',
    hint: 'For example White British',
    max: 100,
  }),
  q({
    section: 'subject',
    id: 'address',
    label: 'Address',
    kind: 'compound',
    mustAnswer: true,
    prompt: () => 'What is their current address? Reply "NFA" if they have no fixed abode.',
    toPatch: (raw) => {
      const s = cleaned(raw);
      return /^(nfa|no fixed abode|no fixed address)$/i.test(s)
        ? ok({ address: undefined, noFixedAbode: true })
        : ok({ address: s, noFixedAbode: false });
    },
    show: (cur) => (cur.noFixedAbode === true ? 'No fixed abode' : str(cur.address)),
    inputs: () => [
      { id: 'address', label: 'Current address', kind: 'text', required: false, multiline: true, maxLength: 500 },
      {
        id: 'address.nfa',
        label: 'Or, if there is no address',
        title: 'No fixed abode',
        kind: 'toggle',
        required: false,
      },
    ],
    values: (cur) => ({ address: str(cur.address) ?? '', 'address.nfa': cur.noFixedAbode === true ? 'true' : 'false' }),
    fromInputs: (values) => {
      const address = (values.address ?? '').trim();
      if (values['address.nfa'] === 'true') return ok({ address: undefined, noFixedAbode: true });
      return address
        ? ok({ address, noFixedAbode: false })
        : err('Address: give their current address, or tick "No fixed abode".');
    },
    clear: () => ({ address: undefined, noFixedAbode: undefined }),
  }),
  text('subject', 'areaOfClosestLinks', 'Area of closest links', 'Which area do they have the closest links to?', {
    appliesTo: (ctx) => ctx.sections.subject?.noFixedAbode === true,
    cardLabel: 'No fixed abode: which area do they have the closest links to?',
    max: 200,
  }),
  text(
    'subject',
    'approvedReleaseAddress',
    'Approved release address',
    'If in custody, what is the approved release address? Type **skip** to leave it blank if not known yet.',
    {
      appliesTo: (ctx) => ctx.sections.subject?.status !== 'community',
      cardLabel: 'If in custody: approved release address (leave blank if not known yet)',
      multiline: true,
      max: 500,
    },
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
    inputs: (ctx) =>
      IDENTIFIER_PARTS.filter((p) => !('scotlandOnly' in p) || ctx.jurisdiction === 'scotland').map((p, i) => ({
        id: `identifiers.${p.key}`,
        label: p.label,
        kind: 'text' as const,
        required: false,
        maxLength: 40,
        ...('placeholder' in p ? { placeholder: p.placeholder } : {}),
        ...(i === 0 ? { heading: 'Reference numbers you know (leave blank any you do not)' } : {}),
      })),
    values: (cur) => {
      const ids = asRecord(cur.identifiers);
      return Object.fromEntries(IDENTIFIER_PARTS.map((p) => [`identifiers.${p.key}`, str(ids[p.key]) ?? '']));
    },
    fromInputs: (values, ctx) => {
      const out: Record<string, string> = {};
      for (const p of IDENTIFIER_PARTS) {
        if ('scotlandOnly' in p && ctx.jurisdiction !== 'scotland') continue;
        const v = (values[`identifiers.${p.key}`] ?? '').trim();
        if (v) out[p.key] = v.toUpperCase();
      }
      return ok({ identifiers: out });
    },
  }),
  choice('subject', 'status', 'Where they are now', 'Where is the person now?', () =>
    SubjectStatus.options.map((s) => ({ value: s, title: s[0]!.toUpperCase() + s.slice(1) })),
  ),
];
