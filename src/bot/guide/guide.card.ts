import type { GuideReply } from '../../app/guide';
import type { CardData } from '../cards/render';

const LEAD = 'Pick a topic, or type guide and your question, for example guide what is level 2?';

/** The guide card for a reply: a topic's answer with its area's deadlines, or the topics as buttons. */
export function guideCardData(reply: GuideReply, areaName: string): CardData<'guide'> {
  const topics = reply.topics.map((t) => ({ title: t.title, command: `guide ${t.id}` }));
  const empty = { lines: [], timescalesTitle: '', timescales: [], source: '', contactLine: reply.contactLine };
  switch (reply.kind) {
    case 'topics':
      return { ...empty, title: 'MAPPA guidance', lead: LEAD, topics, showAllTopics: false };
    case 'unmatched':
      return {
        ...empty,
        title: 'I could not match that to a guidance topic',
        lead: 'These are the topics I can answer. Pick one, or ask again in other words.',
        topics,
        showAllTopics: false,
      };
    case 'answer': {
      const a = reply.answer;
      return {
        title: a.title,
        lead: '',
        lines: a.lines.map((text) => ({ text })),
        timescalesTitle: a.timescales.length > 0 ? `Timescales in ${areaName}` : '',
        timescales: a.timescales.map((text) => ({ text })),
        source: a.source,
        contactLine: reply.contactLine,
        topics: [],
        showAllTopics: true,
      };
    }
  }
}
