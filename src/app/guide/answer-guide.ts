import type { Area } from '../../domain/area.schema';
import { TIMESCALES, withProvenance, type TimescaleKey, type TimescaleRule } from '../../domain/timescales';
import type { MemberRepository } from '../ports/member-repository.port';
import { requireArea } from '../shared/area';
import { matchTopic } from './match-topic';
import { GUIDE_TOPICS, type GuideTopic } from './topics';

export interface GuideDeps {
  readonly members: Pick<MemberRepository, 'getArea'>;
  readonly areaId: string;
  /** The co-ordination unit's contact line from configuration; empty when none is set. */
  readonly contact: string;
  readonly marking: string;
}

export interface GuideTopicSummary {
  readonly id: string;
  readonly title: string;
}

/** One topic answered for this area: its lines, the area's deadlines where the topic has them, and where it comes from. */
export interface GuideTopicAnswer extends GuideTopicSummary {
  readonly lines: readonly string[];
  readonly timescales: readonly string[];
  readonly source: string;
}

export type GuideReply = {
  readonly topics: readonly GuideTopicSummary[];
  /** Who to ask about a particular case, from configuration. */
  readonly contactLine: string;
} & (
  | { readonly kind: 'topics' }
  | { readonly kind: 'answer'; readonly answer: GuideTopicAnswer }
  | { readonly kind: 'unmatched' }
);

const FROM_WORDS: Readonly<Record<(typeof TIMESCALES)[TimescaleKey]['from'], string>> = {
  sentence: 'of sentence',
  notification: 'of the notification',
  referral: 'of the referral',
  previous_meeting: 'after the last meeting',
  previous_review: 'after the last review',
  charge: 'of the charge',
};
const UNIT_WORDS: Readonly<Record<TimescaleRule['unit'], [string, string]>> = {
  working_days: ['working day', 'working days'],
  calendar_days: ['day', 'days'],
  weeks: ['week', 'weeks'],
  months: ['month', 'months'],
};

/** A deadline in words for this area: "Co-ordinator decision on a referral: within 10 working days of the referral (area practice)". */
export function timescaleLine(area: Area, key: TimescaleKey): string {
  const step = TIMESCALES[key];
  const rule = area.timescales[key];
  if (!rule) return `${step.label}: no set timescale in ${area.name}`;
  const [one, many] = UNIT_WORDS[rule.unit];
  const within = `within ${rule.amount} ${rule.amount === 1 ? one : many} ${FROM_WORDS[step.from]}`;
  const text = withProvenance(`${step.label}: ${within}`, rule.provenance);
  return rule.verified ? text : `${text}, to be confirmed locally`;
}

function fill(line: string, area: Area, marking: string): string {
  return line
    .replaceAll('{referralForm}', area.labels.referralForm)
    .replaceAll('{minutesForm}', area.labels.minutesForm)
    .replaceAll('{marking}', marking);
}

/** A topic as this area reads it: its jurisdiction's words and the area's own deadlines. */
export function topicAnswer(topic: GuideTopic, area: Area, marking: string): GuideTopicAnswer {
  const j = area.jurisdiction;
  return {
    id: topic.id,
    title: topic.title,
    lines: topic.answer[j].map((l) => fill(l, area, marking)),
    timescales: topic.timescales.map((k) => timescaleLine(area, k)),
    source: topic.source[j],
  };
}

const exactTopic = (text: string): GuideTopic | undefined => {
  const t = text.trim().toLowerCase();
  return GUIDE_TOPICS.find((g) => g.id === t || g.title.toLowerCase() === t);
};

/**
 * `guide` and whatever follows it: nothing lists the topics; a topic's name answers it; any other text
 * is a question matched to the nearest topic (see match-topic.ts), or, below the threshold, says so
 * and lists the topics. Reads the area for its jurisdiction, labels and deadlines; nothing personal.
 */
export async function answerGuide(deps: GuideDeps, text: string): Promise<GuideReply> {
  const area = await requireArea(deps.members, deps.areaId);
  const base = {
    topics: GUIDE_TOPICS.map(({ id, title }) => ({ id, title })),
    contactLine: deps.contact
      ? `MAPPA co-ordination unit for ${area.name}: ${deps.contact}`
      : `For a particular case, ask the MAPPA co-ordinator for ${area.name}.`,
  };
  const question = text.trim();
  if (question === '') return { ...base, kind: 'topics' };
  const topic = exactTopic(question) ?? GUIDE_TOPICS.find((g) => g.id === matchTopic(question, GUIDE_TOPICS)?.id);
  return topic
    ? { ...base, kind: 'answer', answer: topicAnswer(topic, area, deps.marking) }
    : { ...base, kind: 'unmatched' };
}
