import { viewAction } from '../../app/actions';
import type { ExecuteHandler } from '../capability';
import { actionCardData } from './action.card';
import { notice } from './run-update';

/** The "Update" button on the case card: the action's card, with the form for those who may update. */
export const openVerb: ExecuteHandler<{ actionId: string }> = async (h, p) => {
  const v = await viewAction(h.deps.actions.run, h.principal, p.actionId);
  if (!v.ok) return notice(h, 'Action not found', v.error.message);
  return h.card('action', actionCardData(v.value));
};
