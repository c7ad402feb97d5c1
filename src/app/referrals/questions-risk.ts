import { err, ok } from '../../lib/result';
import { choice, date, list, nested, numbered, q, text, yesNo } from './form-builders';
import { cannotDeliverKey, L2_FLAGS, levelRequestedOf, seniorChoices, seniorOtherKey } from './form-choices';
import {
  asList,
  asRecord,
  cleaned,
  NONE,
  parseYesNo,
  pickMany,
  splitLines,
  str,
  yesNoText,
  yesNoValue,
} from './form-parse';
import type { ReferralQuestion } from './form-types';

/** The risk and the reason for referral: MAPPA A questions in the order the dialog asks them. */
export const RISK_QUESTIONS: readonly ReferralQuestion[] = [
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
    optional: true,
    prompt: () => 'Any other risk tools and their results? One per line as tool: result. Reply "none" if none.',
    cardLabel: 'Other risk tools and their results, one per line as tool: result (leave blank if none)',
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
    values: (cur) => ({
      tools: asList(cur.tools)
        .map((t) => `${String(t.name)}: ${String(t.result)}`)
        .join('\n'),
    }),
  }),
  text(
    'risk',
    'visorIntelligence',
    'ViSOR / police-only intelligence',
    'Any ViSOR or police-only intelligence? Only agencies with ViSOR access will see it.',
    {
      appliesTo: (ctx) => ctx.referrerHasVisorAccess,
      cardLabel: 'ViSOR or police-only intelligence (only agencies with ViSOR access will see it)',
      multiline: true,
      max: 20_000,
    },
  ),
  list('risk', 'riskOfHarmFactors', 'Risk factors', 'What factors raise or reduce the risk?', { ask: 'typed' }),

  text('reason', 'reasonForReferral', 'Reason for referral', 'Why can your agency not manage the risk alone?', {
    ask: 'typed',
  }),
  q({
    section: 'reason',
    id: 'levelRequested',
    label: 'Level requested',
    kind: 'choice',
    prompt: () => 'Which level are you asking for: Level 2, Level 3, or ask the co-ordinator to advise?',
    cardLabel: 'Which level are you asking for?',
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
          : ok(nested('levelFacts', 'multiAgencyMeetingsAddValue').set(cur, b));
      },
      show: (cur) => yesNoText(asRecord(cur.levelFacts).multiAgencyMeetingsAddValue),
      values: (cur) => ({ 'levelFacts.addValue': yesNoValue(asRecord(cur.levelFacts).multiAgencyMeetingsAddValue) }),
      clear: nested('levelFacts', 'multiAgencyMeetingsAddValue').drop,
    },
  ),
  q({
    section: 'reason',
    id: 'levelFacts.level2',
    field: 'levelFacts',
    label: 'Other Level 2 reasons',
    kind: 'multi',
    optional: true,
    cardLabel: 'High or Very High RoSH is taken from the risk section. Do any of these also apply? Tick any that do.',
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
    values: (cur) => {
      const f = asRecord(cur.levelFacts);
      return {
        'levelFacts.level2': L2_FLAGS.filter((x) => f[x.value] === true)
          .map((x) => x.value)
          .join(','),
      };
    },
    clear: (cur) =>
      cur.levelFacts === undefined
        ? {}
        : { levelFacts: { ...asRecord(cur.levelFacts), ...Object.fromEntries(L2_FLAGS.map((f) => [f.value, false])) } },
  }),
  q({
    section: 'reason',
    id: 'levelFacts.senior',
    field: 'levelFacts',
    label: 'Senior oversight',
    kind: 'multi',
    optional: true,
    cardLabel: 'Level 3 needs senior oversight. Which of these apply? Tick any that do.',
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
    values: (cur) => {
      const r = asRecord(cur.levelFacts).seniorOversightReasons;
      return { 'levelFacts.senior': Array.isArray(r) ? r.map(String).join(',') : '' };
    },
    clear: (cur) =>
      cur.levelFacts === undefined ? {} : { levelFacts: { ...asRecord(cur.levelFacts), seniorOversightReasons: [] } },
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
      multiline: true,
      toPatch: (raw, _ctx, cur) => ok(seniorOtherKey.set(cur, cleaned(raw))),
      show: (cur) => str(seniorOtherKey.get(cur)),
      values: (cur) => ({ 'levelFacts.seniorOther': str(seniorOtherKey.get(cur)) ?? '' }),
      clear: seniorOtherKey.drop,
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
      multiline: true,
      max: 4000,
      toPatch: (raw, _ctx, cur) => ok(cannotDeliverKey.set(cur, cleaned(raw))),
      show: (cur) => str(cannotDeliverKey.get(cur)),
      values: (cur) => ({ 'levelFacts.level2CannotDeliver': str(cannotDeliverKey.get(cur)) ?? '' }),
      clear: cannotDeliverKey.drop,
    },
  ),
];
