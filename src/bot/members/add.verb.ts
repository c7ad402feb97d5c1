import { addMember } from '../../app/members';
import { rolesText } from '../../domain/format';
import type { ExecuteHandler } from '../capability';
import type { MemberFormPayload } from './catalogue';
import { addForm, doneCard } from './member.cards';

/** The add form submitted: the person enrolled, or the same form with the messages. */
export const addVerb: ExecuteHandler<MemberFormPayload> = async (h, p) => {
  const result = await addMember(h.deps.members, h.principal, p.form);
  if (!result.ok) return addForm(h, p.typed, result.error);
  const m = result.value;
  return doneCard(
    h,
    'Member added',
    `${m.displayName} can use the assistant as ${rolesText(m.roles).toLowerCase()}.`,
    m,
  );
};
