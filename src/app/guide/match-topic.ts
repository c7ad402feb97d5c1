/**
 * Matches a free-text question to the nearest guidance topic, locally and explainably: each topic
 * lists keywords and phrases; a question's words are normalised (hand-written synonyms, then a light
 * suffix stemmer) and each keyword it contains scores its inverse topic frequency (a word that only
 * one topic uses counts for more than one several share), each phrase twice that. Below the
 * threshold nothing is matched, so an off-topic question lists the topics instead of a wrong answer.
 * Seven topics and a few dozen words each do not need a search library or a model.
 */

export interface MatchableTopic {
  readonly id: string;
  readonly title: string;
  readonly keywords: readonly string[];
  readonly phrases: readonly string[];
}

export interface TopicMatch {
  readonly id: string;
  readonly score: number;
}

/** At least one word only one or two topics use, or a phrase: tuned on the phrasings in the tests. */
export const MATCH_THRESHOLD = 1.4;

const STOPWORDS = new Set(
  (
    'a an the and or but if of to in on at by for with from about as into is are was were be been being am ' +
    'do does did i me my we our us you your he him his she her they them their it its this that these those ' +
    'what whats which who whom how when where why can could should would will shall may might must there ' +
    'here some any please know need want get got just really mean means meaning so than then too'
  ).split(' '),
);

/** Words people use for the same thing, mapped to the topic's word (applied before stemming). */
const SYNONYMS: Readonly<Record<string, string>> = {
  cat: 'category',
  cats: 'category',
  categories: 'category',
  lvl: 'level',
  l1: 'level 1',
  l2: 'level 2',
  l3: 'level 3',
  level1: 'level 1',
  level2: 'level 2',
  level3: 'level 3',
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  referral: 'refer',
  referrals: 'refer',
  referring: 'refer',
  referred: 'refer',
  disclosure: 'disclose',
  disclosing: 'disclose',
  disclosed: 'disclose',
  told: 'tell',
  telling: 'tell',
  inform: 'tell',
  gdpr: 'data protection',
  dpa: 'data protection',
  rsl: 'housing',
  landlord: 'housing',
  council: 'housing',
  nhs: 'health',
  gp: 'health',
  doctor: 'health',
  hospital: 'health',
  sexual: 'sex',
  rso: 'sex offender',
  murder: 'violent',
  violence: 'violent',
  terror: 'terrorism',
  terrorist: 'terrorism',
  dangerous: 'danger',
  timescales: 'timescale',
  timeframe: 'timescale',
  deadlines: 'deadline',
  mappp: 'level 3',
  papers: 'minutes',
};

function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

/** A text as the matcher compares it: lower case, synonyms applied, stopwords out, words stemmed. */
export function normaliseWords(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019'`]/g, '')
    .replace(/co-operat/g, 'cooperat')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0)
    .flatMap((w) => (SYNONYMS[w] ?? w).split(' '))
    .filter((w) => !STOPWORDS.has(w))
    .map(stem);
}

const containsSequence = (words: readonly string[], seq: readonly string[]): boolean =>
  seq.length > 0 && words.some((_, i) => seq.every((s, j) => words[i + j] === s));

/**
 * The best topic for the question with its score, or null when none reaches the threshold. Ties go
 * to the topic listed first.
 */
export function matchTopic(question: string, topics: readonly MatchableTopic[]): TopicMatch | null {
  const words = normaliseWords(question);
  if (words.length === 0) return null;
  const present = new Set(words);
  const keywordSets = topics.map((t) => new Set(t.keywords.flatMap(normaliseWords)));
  const df = new Map<string, number>();
  for (const set of keywordSets) for (const k of set) df.set(k, (df.get(k) ?? 0) + 1);
  const idf = (k: string) => Math.log(1 + topics.length / (df.get(k) ?? topics.length));
  let best: TopicMatch | null = null;
  topics.forEach((t, i) => {
    let score = 0;
    for (const k of keywordSets[i]!) if (present.has(k)) score += idf(k);
    for (const p of t.phrases) if (containsSequence(words, normaliseWords(p))) score += 2 * Math.log(1 + topics.length);
    if (score > 0 && (!best || score > best.score)) best = { id: t.id, score };
  });
  const found = best as TopicMatch | null;
  return found && found.score >= MATCH_THRESHOLD ? found : null;
}
