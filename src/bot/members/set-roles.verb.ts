import { setRoles } from '../../app/members';
import { rolesText } from '../../domain/format';
import type { ExecuteHandler } from '../capability';
import type { MemberFormPayload } from './catalogue';
import { doneCard, pickForm } from './member.cards';

/** The change-roles form submitted: the new roles, or the same form with the messages. */
export const setRolesVerb: ExecuteHandler<MemberFormPayload> = async (h, p) => {
  const result = await setRoles(h.deps.members, h.principal, p.form);
  if (!result.ok) return pickForm(h, 'member.setRoles', p.typed, result.error);
  const m = result.value;
  return doneCard(
    h,
    'Roles updated',
    `${m.displayName} can use the assistant as ${rolesText(m.roles).toLowerCase()}.`,
    m,
  );
};
