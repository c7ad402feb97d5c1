import { categoriesFor } from '../../domain/eligibility';
import { err, ok } from '../../lib/result';
import { choice, date, list, numbered, q, text } from './form-builders';
import {
  DISPOSAL_TEXT,
  disposalChoices,
  disposalKey,
  FLAG_TEXT,
  flagChoices,
  FLAGS_FOR,
  ROSH_GROUPS,
  roshToPublicKey,
} from './form-choices';
import { asRecord, bar, pickChoice, pickMany, ROSH_TEXT, roshChoices, roshOf, str } from './form-parse';
import type { ReferralQuestion } from './form-types';

/** The category and the offence: MAPPA A questions in the order the dialog asks them. */
export const OFFENCE_QUESTIONS: readonly ReferralQuestion[] = [
  choice('category', 'category', 'Category', 'Which MAPPA category do you think applies?', (ctx) =>
    categoriesFor(ctx.jurisdiction).map((c) => ({ value: c.category, title: c.label })),
  ),
  q({
    section: 'category',
    id: 'eligibilityFacts',
    label: 'Eligibility',
    kind: 'multi',
    cardLabel: 'Which of these are true? Tick all that apply.',
    prompt: (ctx) =>
      `Which of these are true? Reply with the numbers, for example 2, 4, or "none".\n\n${numbered(flagChoices(ctx))}`,
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
    values: (cur, ctx) => {
      const f = asRecord(cur.eligibilityFacts);
      return { eligibilityFacts: FLAGS_FOR[ctx.jurisdiction].filter((k) => f[k] === true).join(',') };
    },
    clear: () => ({ eligibilityFacts: undefined }),
  }),
  q({
    section: 'category',
    id: 'eligibilityFacts.qualifyingDisposal',
    field: 'eligibilityFacts',
    label: 'Sentence or disposal',
    kind: 'choice',
    optional: true,
    prompt: () => 'Which sentence or disposal did they receive for that offence?',
    cardLabel:
      'If murder, a Schedule 15 offence or a sexual offence that does not need registration: which sentence or disposal did they receive?',
    choices: () => disposalChoices,
    // The disposal test applies to non-registrable sexual offenders too (CJA 2003 s.327(3)-(4)). Until
    // the facts are given it may apply, so the card asks it beside them.
    appliesTo: (ctx) => {
      if (ctx.jurisdiction !== 'england-wales') return false;
      const facts = ctx.sections.category?.eligibilityFacts;
      return !facts || facts.murderOrSchedule15Offence === true || facts.nonRegistrableSexualOffender === true;
    },
    toPatch: (raw, _ctx, cur) => {
      const c = pickChoice(raw, disposalChoices);
      return c ? ok(disposalKey.set(cur, c.value)) : err(`Choose one of:\n\n${numbered(disposalChoices)}`);
    },
    show: (cur) => {
      const d = disposalKey.get(cur);
      return typeof d === 'string' ? (DISPOSAL_TEXT[d as keyof typeof DISPOSAL_TEXT] ?? d) : undefined;
    },
    values: (cur) => ({ 'eligibilityFacts.qualifyingDisposal': str(disposalKey.get(cur)) ?? '' }),
    clear: disposalKey.drop,
  }),
  q({
    section: 'category',
    id: 'eligibilityFacts.roshToPublic',
    field: 'eligibilityFacts',
    label: 'RoSH to the public',
    kind: 'choice',
    optional: true,
    prompt: () => 'What is their assessed risk of serious harm to the public?',
    cardLabel: 'Assessed risk of serious harm to the public',
    choices: () => roshChoices,
    appliesTo: (ctx) => ctx.jurisdiction === 'scotland',
    toPatch: (raw, _ctx, cur) => {
      const r = roshOf(raw) ?? pickChoice(raw, roshChoices)?.value;
      return r ? ok(roshToPublicKey.set(cur, r)) : err('Answer Low, Medium, High or Very high.');
    },
    show: (cur) => {
      const r = roshToPublicKey.get(cur);
      return typeof r === 'string' ? ROSH_TEXT[r as keyof typeof ROSH_TEXT] : undefined;
    },
    values: (cur) => ({ 'eligibilityFacts.roshToPublic': str(roshToPublicKey.get(cur)) ?? '' }),
    clear: roshToPublicKey.drop,
  }),

  list('offence', 'indexOffences', 'Index offence(s)', 'What is the index offence, or offences?', {
    cardLabel: 'Index offence(s), one per line',
    hint: 'For example Wounding with intent (s.18)',
  }),
  text('offence', 'qualifyingCaution', 'Qualifying caution', 'Is there a qualifying caution instead of a conviction?', {
    appliesTo: (ctx) => ctx.sections.category?.category === 'cat3',
    cardLabel: 'Qualifying caution, if there is one instead of a conviction',
  }),
  text('offence', 'sentenceType', 'Sentence type', 'What type of sentence was given?', {
    hint: 'For example Determinate custody',
    max: 200,
  }),
  text('offence', 'sentenceLength', 'Sentence length', 'How long is the sentence?', {
    hint: 'For example 4 years',
    max: 100,
  }),
  date('offence', 'sentenceDate', 'Sentence date', 'On what date were they sentenced?'),
  text(
    'offence',
    'previousRelevantOffences',
    'Previous relevant offences',
    'Any previous offences relevant to the risk? Reply "none" if none.',
    { cardLabel: 'Previous offences relevant to the risk (leave blank if none)', multiline: true, max: 10_000 },
  ),
  date('offence', 'releaseDate', 'Release date', 'If in custody, when are they due for release?', {
    appliesTo: (ctx) => ctx.sections.subject?.status !== 'community',
    cardLabel: 'If in custody: release date',
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
      const parts = bar(raw, 3, 'hospital | legal basis | responsible clinician');
      if (!parts.ok) return parts;
      const [hospital, legalBasis, responsibleClinician] = parts.value;
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
    inputs: () => [
      { id: 'hospitalDetention.hospital', label: 'Hospital', kind: 'text', required: false, maxLength: 200 },
      {
        id: 'hospitalDetention.legalBasis',
        label: 'Legal basis of detention',
        kind: 'text',
        required: false,
        maxLength: 200,
        placeholder: 'For example s.37/41 MHA',
      },
      {
        id: 'hospitalDetention.responsibleClinician',
        label: 'Responsible clinician',
        kind: 'text',
        required: false,
        maxLength: 200,
      },
    ],
    values: (cur) => {
      const h = asRecord(cur.hospitalDetention);
      return {
        'hospitalDetention.hospital': str(h.hospital) ?? '',
        'hospitalDetention.legalBasis': str(h.legalBasis) ?? '',
        'hospitalDetention.responsibleClinician': str(h.responsibleClinician) ?? '',
      };
    },
    fromInputs: (values) => {
      const [hospital, legalBasis, responsibleClinician] = ['hospital', 'legalBasis', 'responsibleClinician'].map((k) =>
        (values[`hospitalDetention.${k}`] ?? '').trim(),
      );
      if (!hospital && !legalBasis && !responsibleClinician) return ok({ hospitalDetention: undefined });
      if (!hospital || !legalBasis)
        return err('Hospital detention: give at least the hospital and the legal basis, or leave all three blank.');
      return ok({
        hospitalDetention: { hospital, legalBasis, ...(responsibleClinician ? { responsibleClinician } : {}) },
      });
    },
  }),
  // Asked last and typed: the account in the referrer's own words.
  list('offence', 'briefFacts', 'Brief facts', 'Give the brief facts as short points, in your own words.', {
    ask: 'typed',
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
    inputs: () =>
      ROSH_GROUPS.map((g, i) => ({
        id: `rosh.${g.key}`,
        label: g.label,
        kind: 'choice' as const,
        style: 'compact' as const,
        required: !('optional' in g),
        choices: roshChoices,
        ...(i === 0 ? { heading: 'OASys risk of serious harm (RoSH)' } : {}),
      })),
    values: (cur) => {
      const r = asRecord(cur.rosh);
      return Object.fromEntries(ROSH_GROUPS.map((g) => [`rosh.${g.key}`, str(r[g.key]) ?? '']));
    },
    fromInputs: (values) => {
      const rosh: Record<string, string> = {};
      const missing: string[] = [];
      for (const g of ROSH_GROUPS) {
        const v = (values[`rosh.${g.key}`] ?? '').trim();
        if (v && !roshChoices.some((c) => c.value === v)) return err(`${g.label}: choose a level from the list.`);
        if (v) rosh[g.key] = v;
        else if (!('optional' in g)) missing.push(g.label.replace('Risk of serious harm to ', ''));
      }
      return missing.length > 0 ? err(`RoSH: choose a level for ${missing.join(', ')}.`) : ok({ rosh });
    },
  }),
];
