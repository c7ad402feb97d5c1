import { z } from 'zod';
import { TIMESCALES, type TimescaleKey } from '../../domain/timescales';
import raw from './topics.json';

const ByJurisdiction = <T extends z.ZodType>(t: T) => z.strictObject({ 'england-wales': t, scotland: t });
const TimescaleKeyName = z.enum(Object.keys(TIMESCALES) as [TimescaleKey, ...TimescaleKey[]]);

/**
 * One guidance topic as data: its answer in each jurisdiction, the guidance it comes from, and the
 * words the matcher looks for. `{referralForm}`, `{minutesForm}` and `{marking}` in an answer are the
 * area's labels and the deployment's protective marking, filled in when it is shown.
 */
export const GuideTopic = z.strictObject({
  id: z.string().regex(/^[a-z]+$/),
  title: z.string().min(1).max(80),
  keywords: z.array(z.string().min(1)).min(1),
  phrases: z.array(z.string().min(1)).default([]),
  /** The area's deadlines this topic lists after its answer, in this order. */
  timescales: z.array(TimescaleKeyName).default([]),
  answer: ByJurisdiction(z.array(z.string().min(1)).min(1)),
  source: ByJurisdiction(z.string().min(1)),
});
export type GuideTopic = z.infer<typeof GuideTopic>;

const GuideTopics = z
  .strictObject({ topics: z.array(GuideTopic).min(1) })
  .refine((d) => new Set(d.topics.map((t) => t.id)).size === d.topics.length, 'topic ids must be unique');

/** Read once: a malformed topics file stops start-up (and the unit tests) rather than a user's turn. */
export const GUIDE_TOPICS: readonly GuideTopic[] = GuideTopics.parse(raw).topics;
