import type { ViewHandler } from '../capability';
import { viewCard } from './notification-channel.card';
import { openVerb } from './open.verb';

/** Teams refreshes the channel card for the co-ordinators listed on it: the same as opening it. */
export const refreshVerb = openVerb;

/** What a refresh shows someone not entitled to more: the same minimal card the channel has. */
export const refreshView: ViewHandler<{ notificationId: string }> = (h, p) =>
  viewCard({ ...h, principal: null }, p?.notificationId, () => Promise.resolve([]));
