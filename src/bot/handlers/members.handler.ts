import { MessageFactory } from 'botbuilder';
import { addMember, agenciesOf, listMembers, removeMember, setRoles, type MemberError } from '../../app/members';
import { Role, type Member } from '../../domain/member.schema';
import { cardAttachment, type AdaptiveCardJson } from '../cards/render';
import type { HandlerContext } from '../mappa.bot';

const ROLE_CHOICES = Role.options.map((r) => ({ title: r[0]!.toUpperCase() + r.slice(1), value: r }));
const EMPTY_FIELDS = { aadObjectId: '', displayName: '', agencyId: '', roles: '' };

type Verb = 'member.add' | 'member.remove' | 'member.setRoles';

/** Text commands: `members` lists; the others send the card form that does the work. */
export async function memberCommand(
  h: HandlerContext,
  name: 'members' | 'add member' | 'remove member' | 'set role',
): Promise<void> {
  const card =
    name === 'members'
      ? await membersCard(h)
      : name === 'add member'
        ? await addForm(h)
        : await pickForm(h, name === 'remove member' ? 'member.remove' : 'member.setRoles');
  await h.turn.sendActivity(MessageFactory.attachment(cardAttachment(card)));
}

/** Card submissions: on error the same form comes back with the user's input and the messages. */
export async function memberCardAction(
  h: HandlerContext,
  verb: Verb,
  data: Record<string, unknown>,
): Promise<AdaptiveCardJson> {
  const deps = h.deps.members;
  const result =
    verb === 'member.add'
      ? await addMember(deps, h.principal, data)
      : verb === 'member.remove'
        ? await removeMember(deps, h.principal, data)
        : await setRoles(deps, h.principal, data);
  if (result.ok) return doneCard(h, verb, result.value);
  return verb === 'member.add' ? addForm(h, data, result.error) : pickForm(h, verb, data, result.error);
}

async function membersCard(h: HandlerContext): Promise<AdaptiveCardJson> {
  const res = await listMembers(h.deps.members, h.principal);
  if (!res.ok) return h.card('notice', { title: 'Not permitted', message: res.error.message, facts: [] });
  const names = new Map(res.value.agencies.map((a) => [a.id, a.name]));
  return h.card('members', {
    areaName: h.deps.areaName,
    members: res.value.members.map((m) => ({
      displayName: m.displayName,
      agencyName: names.get(m.agencyId) ?? m.agencyId,
      rolesText: m.roles.join(', '),
      active: m.active,
    })),
  });
}

function asText(v: unknown): string {
  return typeof v === 'string' ? v.slice(0, 500) : '';
}

async function addForm(
  h: HandlerContext,
  input: Record<string, unknown> = {},
  error?: MemberError,
): Promise<AdaptiveCardJson> {
  const agencies = await agenciesOf(h.deps.members);
  const fieldErrors = error && 'fieldErrors' in error ? error.fieldErrors : {};
  return h.card('member-form', {
    title: 'Add a member',
    formError: error ? error.message : '',
    verb: 'member.add',
    submitTitle: 'Add member',
    expectedVersion: '',
    agencies: agencies.filter((a) => a.active).map((a) => ({ title: a.name, value: a.id })),
    roles: ROLE_CHOICES,
    values: {
      aadObjectId: asText(input.aadObjectId),
      displayName: asText(input.displayName),
      agencyId: asText(input.agencyId),
      roles: asText(input.roles),
    },
    errors: { ...EMPTY_FIELDS, ...fieldErrors },
  });
}

async function pickForm(
  h: HandlerContext,
  verb: 'member.remove' | 'member.setRoles',
  input: Record<string, unknown> = {},
  error?: MemberError,
): Promise<AdaptiveCardJson> {
  const res = await listMembers(h.deps.members, h.principal);
  const members = res.ok ? res.value.members.filter((m) => m.active) : [];
  const fieldErrors = error && 'fieldErrors' in error ? Object.values(error.fieldErrors).filter(Boolean).join(' ') : '';
  return h.card('member-pick', {
    title: verb === 'member.remove' ? 'Remove a member' : 'Change roles',
    formError: error ? `${error.message} ${fieldErrors}`.trim() : '',
    verb,
    submitTitle: verb === 'member.remove' ? 'Remove' : 'Save roles',
    showRoles: verb === 'member.setRoles',
    members: members.map((m) => ({
      title: `${m.displayName} (${m.agencyId}; ${m.roles.join(', ')})`,
      value: m.aadObjectId,
    })),
    roles: ROLE_CHOICES,
    values: { aadObjectId: asText(input.aadObjectId), roles: asText(input.roles) },
  });
}

function doneCard(h: HandlerContext, verb: Verb, m: Member): AdaptiveCardJson {
  const title = verb === 'member.add' ? 'Member added' : verb === 'member.remove' ? 'Member removed' : 'Roles updated';
  const message =
    verb === 'member.remove'
      ? `${m.displayName} can no longer use the assistant.`
      : `${m.displayName} can use the assistant as ${m.roles.join(', ')}.`;
  return h.card('notice', {
    title,
    message,
    facts: [
      { title: 'Agency', value: m.agencyId },
      { title: 'Recorded by', value: h.principal.member?.displayName ?? 'admin' },
    ],
  });
}
