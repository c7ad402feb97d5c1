import { err, ok } from '../../lib/result';
import { q, rowInputs, rowValues, text, yesNo } from './form-builders';
import { AGENCY_COLUMNS, DOCUMENT_COLUMNS, readRows, VICTIM_COLUMNS } from './form-choices';
import { agencyFor, agencyName, asList, bar, NONE, splitLines, str } from './form-parse';
import type { FormContext, ReferralQuestion, SectionValue } from './form-types';

/** Agencies, victims, safeguarding, diversity, disclosure and documents: MAPPA A questions in the order the dialog asks them. */
export const PLAN_QUESTIONS: readonly ReferralQuestion[] = [
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
        const parts = bar(line, 3, 'agency | what it does now | what it must contribute');
        if (!parts.ok) return parts;
        const [name = '', involvement, contributionRequired] = parts.value;
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
        ? asList(cur.agencies)
            .map((a) => `${agencyName(ctx, String(a.agencyId))}: ${String(a.contributionRequired)}`)
            .join('; ')
        : undefined,
    showEach: (cur, ctx) =>
      asList(cur.agencies).map((a) => ({
        label: agencyName(ctx, String(a.agencyId)),
        value: `Does now: ${String(a.involvement)}. Must contribute: ${String(a.contributionRequired)}.`,
      })),
    repeats: true,
    inputs: rowInputs('agencies', AGENCY_COLUMNS, 5, (n) => `Agency ${n}`),
    values: (cur) => rowValues('agencies', AGENCY_COLUMNS, cur),
    fromInputs: (values, ctx) => {
      const rows = readRows(values, 'agencies', AGENCY_COLUMNS, 'Agency', ctx);
      if (!rows.ok) return rows;
      return rows.value.length > 0 ? ok({ agencies: rows.value }) : err('Agencies: name at least one agency.');
    },
  }),

  q({
    section: 'victims',
    id: 'victims',
    label: 'Victims',
    kind: 'compound',
    optional: true,
    prompt: () =>
      'Who are the identified or potential victims? Describe rather than name them. One per line as description | relationship | concerns, or "none".',
    hint: 'For example Former partner | ex-partner | lives nearby',
    toPatch: (raw) => {
      if (NONE.test(raw.trim())) return ok({ victims: [] });
      const victims = [];
      for (const line of splitLines(raw, /\r?\n/)) {
        const parts = bar(line, 3, 'description | relationship | concerns');
        if (!parts.ok) return parts;
        const [description, relationship, concerns] = parts.value;
        victims.push({ description, ...(relationship ? { relationship } : {}), ...(concerns ? { concerns } : {}) });
      }
      return ok({ victims });
    },
    show: (cur) => {
      if (!Array.isArray(cur.victims)) return undefined;
      const victims = asList(cur.victims);
      return victims.length > 0 ? victims.map((v) => victimText(v)).join('; ') : 'None identified';
    },
    showEach: (cur) => {
      const victims = asList(cur.victims);
      return victims.length > 0
        ? victims.map((v, i) => ({ label: `Victim ${i + 1}`, value: victimText(v) }))
        : Array.isArray(cur.victims)
          ? [{ label: 'Victims', value: 'None identified' }]
          : [];
    },
    repeats: true,
    inputs: rowInputs('victims', VICTIM_COLUMNS, 3, (n) => `Victim ${n}`),
    values: (cur) => rowValues('victims', VICTIM_COLUMNS, cur),
    // No rows filled in means none identified: the list may be empty.
    fromInputs: (values, ctx) => {
      const rows = readRows(values, 'victims', VICTIM_COLUMNS, 'Victim', ctx);
      return rows.ok ? ok({ victims: rows.value }) : rows;
    },
  }),
  yesNo('victims', 'victimLiaisonInvolved', 'Victim Liaison Officer', 'Is a Victim Liaison Officer involved?'),
  yesNo('victims', 'maracInvolved', 'MARAC', 'Is MARAC involved?'),
  text('victims', 'victimSafetyConcerns', 'Victim safety', 'What are the concerns for victim safety?', {
    cardLabel: 'Concerns for victim safety',
    multiline: true,
    max: 10_000,
  }),

  text(
    'safeguarding',
    'children',
    'Children',
    'Which children are in contact with the person or at risk? Write "none known" if so.',
    {
      cardLabel: 'Children in contact with the person or at risk (write "None known" if so)',
      multiline: true,
      max: 10_000,
    },
  ),
  text(
    'safeguarding',
    'vulnerableAdults',
    'Vulnerable adults',
    'Which vulnerable adults are in contact with the person or at risk? Write "none known" if so.',
    {
      cardLabel: 'Vulnerable adults in contact with the person or at risk (write "None known" if so)',
      multiline: true,
      max: 10_000,
    },
  ),

  text(
    'diversity',
    'diversityNeeds',
    'Diversity needs',
    'Any needs that affect how the person is managed (language, disability, faith, age, gender identity)? Write "none identified" if so.',
    {
      cardLabel:
        'Needs that affect how the person is managed: language, disability, faith, age, gender identity (write "None identified" if so)',
      multiline: true,
      max: 10_000,
    },
  ),
  text('diversity', 'barriers', 'Barriers', 'Any barriers to the plan?', {
    cardLabel: 'Barriers to the plan (leave blank if none)',
    multiline: true,
    max: 10_000,
  }),

  text(
    'disclosure',
    'considerations',
    'Disclosure considerations',
    'Might anyone outside MAPPA (victim, employer, partner) need to be told, and why would it be necessary and proportionate?',
    {
      multiline: true,
      max: 10_000,
      cardLabel:
        'Might anyone outside MAPPA (victim, employer, partner) need to be told? Why would it be necessary and proportionate?',
    },
  ),
  yesNo('disclosure', 'disclosureToDiscuss', 'Disclosure to discuss', 'Should the meeting discuss disclosure?'),

  q({
    section: 'attachments',
    id: 'documents',
    label: 'Documents',
    kind: 'compound',
    optional: true,
    prompt: () => 'Any documents held in agency systems? One per line as title | agency | reference, or "none".',
    hint: 'For example OASys | Probation | OASYS-1',
    toPatch: (raw, ctx) => {
      if (NONE.test(raw.trim())) return ok({ documents: [] });
      const out = [];
      for (const line of splitLines(raw, /\r?\n/)) {
        const parts = bar(line, 3, 'title | agency | reference');
        if (!parts.ok) return parts;
        const [title, agencyName = '', reference] = parts.value;
        if (!title || !agencyName) return err(`Write each as title | agency | reference. I could not read "${line}".`);
        const agency = agencyFor(agencyName, ctx.agencies);
        if (!agency.ok) return agency;
        out.push({ title, heldByAgencyId: agency.value.id, ...(reference ? { reference } : {}) });
      }
      return ok({ documents: out });
    },
    show: (cur, ctx) => {
      if (!Array.isArray(cur.documents)) return undefined;
      const docs = asList(cur.documents);
      return docs.length > 0 ? docs.map((d) => documentText(d, ctx)).join('; ') : 'None';
    },
    showEach: (cur, ctx) =>
      asList(cur.documents).map((d, i) => ({ label: `Document ${i + 1}`, value: documentText(d, ctx) })),
    repeats: true,
    inputs: rowInputs('documents', DOCUMENT_COLUMNS, 3, (n) => `Document ${n}`),
    values: (cur) => rowValues('documents', DOCUMENT_COLUMNS, cur),
    fromInputs: (values, ctx) => {
      const rows = readRows(values, 'documents', DOCUMENT_COLUMNS, 'Document', ctx);
      return rows.ok ? ok({ documents: rows.value }) : rows;
    },
  }),
];

function victimText(v: SectionValue): string {
  const who = str(v.relationship) ? `${String(v.description)} (${String(v.relationship)})` : String(v.description);
  return str(v.concerns) ? `${who}: ${String(v.concerns)}` : who;
}

function documentText(d: SectionValue, ctx: FormContext): string {
  const held = agencyName(ctx, String(d.heldByAgencyId));
  return `${String(d.title)}, held by ${held}${str(d.reference) ? `, reference ${String(d.reference)}` : ''}`;
}
