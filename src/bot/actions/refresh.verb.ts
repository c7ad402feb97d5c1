import { viewAction } from '../../app/actions';
import type { ExecuteHandler, ViewHandler } from '../capability';
import { extensionCardData } from './channel';
import { notice } from './run-update';

// True for anyone who gets it, and the same whether or not the id names an action they cannot see.
const LATEST = {
  title: 'Extension request',
  message: 'Only co-ordinators can see the details of an extension request, in the co-ordinators’ channel.',
  facts: [],
};

/** A conversation id without the `;messageid=` of a thread. */
const base = (id: string | undefined) => (id ?? '').split(';')[0];

/**
 * The extension card's refresh: co-ordinators see the details (the action's text and reason); others
 * in the co-ordinator channel see the channel's view; asked from anywhere else it names nothing.
 */
export const refreshVerb: ExecuteHandler<{ actionId: string }> = async (h, p) => {
  const v = await viewAction(h.deps.actions.run, h.principal, p.actionId);
  if (v.ok && v.value.mayDecide) return h.card('action-extension', extensionCardData(v.value, { showDetail: true }));
  const channel = await h.deps.actions.conversations.coordinatorChannel(h.deps.actions.run.areaId);
  if (v.ok && channel && base(channel.conversationId) === base(h.turn.activity.conversation?.id))
    return h.card('action-extension', extensionCardData(v.value, { showDetail: false }));
  return notice(h, LATEST.title, LATEST.message);
};

export const refreshView: ViewHandler<{ actionId: string }> = (h) => Promise.resolve(h.card('notice', LATEST));
