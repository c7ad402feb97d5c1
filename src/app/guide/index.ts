// Guidance at hand: short answers on MAPPA's rules in the bot's own words, for the area's jurisdiction
// and with its own deadlines. The topics are data (topics.json); matching a question is local (match-topic.ts).
export {
  answerGuide,
  timescaleLine,
  topicAnswer,
  type GuideDeps,
  type GuideReply,
  type GuideTopicAnswer,
} from './answer-guide';
export { matchTopic, normaliseWords, MATCH_THRESHOLD, type TopicMatch } from './match-topic';
export { GUIDE_TOPICS, GuideTopic } from './topics';
