import { agenciesOf, listMembers, type MemberError } from '../../app/members';
import { roleLabel, rolesText } from '../../domain/format';
import { Role, type Member } from '../../domain/member.schema';
import { errorSummary } from '../cards/error-summary';
import type { AdaptiveCardJson } from '../cards/render';
import type { HandlerContext } from '../handler-context';
import { conversationRoster, ROSTER_LIMIT } from './roster';
import type { MemberFormPayload, MemberVerb } from './catalogue';

const ROLE_CHOICES = Role.options.map((r) => ({ title: roleLabel(r), value: r }));
const EMPTY_FIELDS = { aadObjectId: '', displayName: '', agencyId: '', roles: '' };

type Typed = MemberFormPayload['typed'];

export async function membersCard(h: HandlerContext): Promise<AdaptiveCardJson> {
  const res = await listMembers(h.deps.members, h.principal);
  if (!res.ok) return h.card('notice', { title: 'Not permitted', message: res.error.message, facts: [] });
  const names = new Map(res.value.agencies.map((a) => [a.id, a.name]));
  return h.card('members', {
    areaName: h.deps.areaName,
    members: res.value.members.map((m) => ({
      displayName: m.displayName,
      agencyName: names.get(m.agencyId) ?? m.agencyId,
      rolesText: rolesText(m.roles),
      active: m.active,
    })),
  });
}

/** The add form's fields as its labels name them, for the error summary beside the button. */
const ADD_LABELS = {
  aadObjectId: 'Microsoft Entra object id',
  displayName: 'Name',
  agencyId: 'Agency',
  roles: 'Roles',
};

const ROSTER_NOTE =
  'To pick the person from a list instead, type add member in a team channel or group chat they are in, mentioning me.';

/**
 * The add form; on an error, the same form with what was typed and the messages beside the fields.
 * In a team channel or group chat the person is picked by name from its Teams roster (people already
 * enrolled left out); in personal chat, which has none, their Entra object id and name are typed.
 */
export async function addForm(
  h: HandlerContext,
  typed: Typed = EMPTY_FIELDS,
  error?: MemberError,
): Promise<AdaptiveCardJson> {
  const agencies = await agenciesOf(h.deps.members);
  const fieldErrors = error && 'fieldErrors' in error ? error.fieldErrors : {};
  const roster = await conversationRoster(h.turn);
  const listed = await listMembers(h.deps.members, h.principal);
  const enrolled = new Set((listed.ok ? listed.value.members : []).filter((m) => m.active).map((m) => m.aadObjectId));
  const people = (roster?.people ?? []).filter((p) => !enrolled.has(p.aadObjectId));
  const pick = people.length > 0;
  const note = pick
    ? roster?.truncated
      ? `The list shows the first ${ROSTER_LIMIT} people by name. To enrol someone else, type add member in personal chat with me and give their Entra object id.`
      : ''
    : roster
      ? 'Everyone in this conversation is already a member, so there is nobody to pick: give the Entra object id of the person to enrol.'
      : ROSTER_NOTE;
  return h.card('member-form', {
    title: 'Add a member',
    formError: errorSummary(fieldErrors, ADD_LABELS) || (error ? error.message : ''),
    verb: 'member.add' satisfies MemberVerb,
    submitTitle: 'Add member',
    expectedVersion: '',
    pickFromRoster: pick,
    roster: people.map((p) => ({ title: p.address ? `${p.name} (${p.address})` : p.name, value: p.aadObjectId })),
    rosterNote: note,
    agencies: agencies.filter((a) => a.active).map((a) => ({ title: a.name, value: a.id })),
    roles: ROLE_CHOICES,
    values: { ...typed },
    errors: { ...EMPTY_FIELDS, ...fieldErrors },
  });
}

/** The remove or change-roles form: the person is chosen from the area's active members. */
export async function pickForm(
  h: HandlerContext,
  verb: Exclude<MemberVerb, 'member.add'>,
  typed: Pick<Typed, 'aadObjectId' | 'roles'> = EMPTY_FIELDS,
  error?: MemberError,
): Promise<AdaptiveCardJson> {
  const res = await listMembers(h.deps.members, h.principal);
  const members = res.ok ? res.value.members.filter((m) => m.active) : [];
  const agencyName = new Map((res.ok ? res.value.agencies : []).map((a) => [a.id, a.name]));
  const fieldErrors = error && 'fieldErrors' in error ? Object.values(error.fieldErrors).filter(Boolean).join(' ') : '';
  return h.card('member-pick', {
    title: verb === 'member.remove' ? 'Remove a member' : 'Change roles',
    formError: error ? `${error.message} ${fieldErrors}`.trim() : '',
    verb,
    submitTitle: verb === 'member.remove' ? 'Remove' : 'Save roles',
    showRoles: verb === 'member.setRoles',
    members: members.map((m) => ({
      title: `${m.displayName} (${agencyName.get(m.agencyId) ?? m.agencyId}; ${rolesText(m.roles)})`,
      value: m.aadObjectId,
    })),
    roles: ROLE_CHOICES,
    values: { aadObjectId: typed.aadObjectId, roles: typed.roles },
  });
}

/** What was recorded, by whom: agency and roles in words, the admin by name. */
export async function doneCard(
  h: HandlerContext,
  title: string,
  message: string,
  m: Member,
): Promise<AdaptiveCardJson> {
  const agencies = await agenciesOf(h.deps.members);
  return h.card('notice', {
    title,
    message,
    facts: [
      { title: 'Agency', value: agencies.find((a) => a.id === m.agencyId)?.name ?? m.agencyId },
      { title: 'Roles', value: rolesText(m.roles) },
      { title: 'Recorded by', value: h.principal.member?.displayName ?? 'an admin' },
    ],
  });
}
