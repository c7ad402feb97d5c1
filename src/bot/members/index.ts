import type { CapabilityHandlers } from '../capability';
import { addMemberCommand } from './add-member.command';
import { addVerb } from './add.verb';
import { MEMBER_CATALOGUE } from './catalogue';
import { membersCommand } from './members.command';
import { removeMemberCommand } from './remove-member.command';
import { removeVerb } from './remove.verb';
import { setRoleCommand } from './set-role.command';
import { setRolesVerb } from './set-roles.verb';
import { syncMembersCommand } from './sync-members.command';

export const members = {
  commands: {
    members: { run: membersCommand },
    'add member': { run: addMemberCommand },
    'remove member': { run: removeMemberCommand },
    'set role': { run: setRoleCommand },
    'sync members': { run: syncMembersCommand },
  },
  verbs: {
    'member.add': { execute: addVerb },
    'member.remove': { execute: removeVerb },
    'member.setRoles': { execute: setRolesVerb },
  },
} satisfies CapabilityHandlers<typeof MEMBER_CATALOGUE>;
