import { addMember } from '../../app/members';
import { rolesText } from '../../domain/format';
import type { ExecuteHandler } from '../capability';
import type { HandlerContext } from '../handler-context';
import type { MemberFormPayload } from './catalogue';
import { addForm, doneCard } from './member.cards';
import { conversationRoster } from './roster';

/**
 * A person picked from the roster comes without a typed name: their name is the one Teams lists for
 * them in this conversation (a label; the Entra object id picked is who they are).
 */
async function withRosterName(h: HandlerContext, form: MemberFormPayload['form']): Promise<MemberFormPayload['form']> {
  if (typeof form.displayName === 'string' && form.displayName.trim() !== '') return form;
  if (typeof form.aadObjectId !== 'string') return form;
  const id = form.aadObjectId.trim().toLowerCase();
  const person = (await conversationRoster(h.turn))?.people.find((p) => p.aadObjectId === id);
  return person ? { ...form, displayName: person.name } : form;
}

/** The add form submitted: the person enrolled, or the same form with the messages. */
export const addVerb: ExecuteHandler<MemberFormPayload> = async (h, p) => {
  const result = await addMember(h.deps.members, h.principal, await withRosterName(h, p.form));
  if (!result.ok) return addForm(h, p.typed, result.error);
  const m = result.value;
  return doneCard(
    h,
    'Member added',
    `${m.displayName} can use the assistant as ${rolesText(m.roles).toLowerCase()}.`,
    m,
  );
};
