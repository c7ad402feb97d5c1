import type { Principal } from '../../domain/policy';
import { ok, type Result } from '../../lib/result';
import { loadAction, type ActionDeps, type ActionError, type ActionView } from './shared';

/** One action as its card shows it, for anyone who may see its case; the card offers what they may do. */
export async function viewAction(
  deps: ActionDeps,
  principal: Principal,
  actionId: string,
): Promise<Result<ActionView, ActionError>> {
  const loaded = await loadAction(deps, principal, actionId);
  return loaded.ok ? ok(loaded.value.view) : loaded;
}
