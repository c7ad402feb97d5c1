import { viewAction, type ActionDeps, type ActionError, type ActionOutcome, type ActionView } from '../../app/actions';
import type { Principal } from '../../domain/policy';
import type { Result } from '../../lib/result';
import type { AdaptiveCardJson } from '../cards/render';
import type { HandlerContext } from '../handler-context';
import { logFailure } from '../notifications/log-failure';
import type { ActionFormPayload } from './catalogue';

export const OUTAGE =
  'That did not go through: the database did not answer, so nothing was saved. What you typed is kept here: press the button again in a moment.';

type UseCase = (
  deps: ActionDeps,
  principal: Principal,
  actionId: string,
  raw: unknown,
) => Promise<Result<ActionOutcome, ActionError>>;

type Typed = ActionFormPayload['typed'];

/**
 * How one card shows an action: as it stands, with a lead line, or with the typed text and errors.
 * `stale` (a click from an older card) leaves the lead to the card, which knows what changed.
 */
export interface CardFor {
  (
    v: ActionView,
    opts: { lead?: string; stale?: boolean; typed?: Typed; errors?: Record<string, string>; formError?: string },
  ): AdaptiveCardJson;
  /** When the database is away: the typed text kept, no action details. */
  offline(p: ActionFormPayload, message: string): AdaptiveCardJson;
}

/**
 * Runs one action change from a card and answers with the card to show. Nothing typed is lost: a
 * refused field is named under its input with the text kept, a card older than the action answers
 * with the action as it stands (the text still there), and an outage says so with the text kept.
 */
export async function runUpdate(
  h: HandlerContext,
  p: ActionFormPayload,
  useCase: UseCase,
  cardFor: CardFor,
  after: (outcome: ActionOutcome) => Promise<string>,
): Promise<AdaptiveCardJson> {
  let res: Result<ActionOutcome, ActionError>;
  try {
    res = await useCase(h.deps.actions.run, h.principal, p.actionId, { ...p.form, version: p.version });
  } catch (e) {
    logFailure(h.deps.logger, e, 'could not update an action');
    return cardFor.offline(p, OUTAGE);
  }
  try {
    if (!res.ok) {
      const e = res.error;
      if (e.code === 'VERSION_CONFLICT') return cardFor(e.current, { stale: true, typed: p.typed });
      if (e.code === 'VALIDATION_FAILED') {
        const v = await viewAction(h.deps.actions.run, h.principal, p.actionId);
        if (!v.ok) return notice(h, 'Action not found', v.error.message);
        // The version is the card's, not an input: its problem is said for the whole form.
        const { form, version, ...fields } = e.fieldErrors;
        const formError = [form, version].filter(Boolean).join(' ');
        return cardFor(v.value, { typed: p.typed, errors: fields, ...(formError ? { formError } : {}) });
      }
      return notice(h, e.code === 'NOT_PERMITTED' ? 'Not allowed' : 'Action not found', e.message);
    }
    if (res.value.alreadyRecorded)
      return cardFor(res.value.view, { lead: 'Already recorded: nothing was saved twice.' });
    const lead = await after(res.value);
    return cardFor(res.value.view, { lead });
  } catch (e) {
    logFailure(h.deps.logger, e, 'could not answer an action update');
    return cardFor.offline(p, OUTAGE.replace('so nothing was saved', 'so I cannot tell whether it was saved'));
  }
}

export const notice = (h: HandlerContext, title: string, message: string): AdaptiveCardJson =>
  h.card('notice', { title, message, facts: [] });
