import { removeMember } from '../../app/members';
import type { ExecuteHandler } from '../capability';
import type { MemberFormPayload } from './catalogue';
import { doneCard, pickForm } from './member.cards';

/** The remove form submitted: access removed, or the same form with the messages. */
export const removeVerb: ExecuteHandler<MemberFormPayload> = async (h, p) => {
  const result = await removeMember(h.deps.members, h.principal, p.form);
  if (!result.ok) return pickForm(h, 'member.remove', p.typed, result.error);
  const m = result.value;
  return doneCard(h, 'Member removed', `${m.displayName} can no longer use the assistant.`, m);
};
