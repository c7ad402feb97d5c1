import { z } from 'zod';
import type { Catalogue } from '../capability';
import { SubmittedForm, typedText } from '../payload';

const TypedMember = z.object({
  aadObjectId: typedText(500),
  displayName: typedText(500),
  agencyId: typedText(500),
  roles: typedText(500),
});

/**
 * A member form: `form` goes to the use case as sent (its messages name each field in the card's
 * words); `typed` is what the form shows again on an error.
 */
export const MemberFormPayload = SubmittedForm.transform((form) => ({ form, typed: TypedMember.parse(form) }));
export type MemberFormPayload = z.output<typeof MemberFormPayload>;

export const MEMBER_CATALOGUE = {
  commands: {
    members: {
      description: 'List the members of this MAPPA area',
      audience: 'coordinator',
      action: 'member.list',
      where: 'personal',
    },
    // In a team channel or group chat the person is picked from its roster: the form shows only names
    // already visible there, and what was recorded is answered to the admin alone (the invoke reply).
    'add member': {
      description:
        'Enrol a colleague with their agency and roles. In a team channel or group chat, mentioning me, you pick them from its members',
      audience: 'admin',
      action: 'member.manage',
      where: 'any',
    },
    'remove member': {
      description: "Remove a colleague's access",
      audience: 'admin',
      action: 'member.manage',
      where: 'personal',
    },
    'set role': {
      description: "Change a member's roles",
      audience: 'admin',
      action: 'member.manage',
      where: 'personal',
    },
    'sync members': {
      description: 'Update members from the mapped Entra security groups now',
      audience: 'admin',
      action: 'member.manage',
      where: 'personal',
    },
  },
  verbs: {
    'member.add': { via: 'execute', action: 'member.manage', payload: MemberFormPayload },
    'member.remove': { via: 'execute', action: 'member.manage', payload: MemberFormPayload },
    'member.setRoles': { via: 'execute', action: 'member.manage', payload: MemberFormPayload },
  },
} as const satisfies Catalogue;

/** The verbs a member form card can carry (its template takes the verb as data). */
export type MemberVerb = keyof (typeof MEMBER_CATALOGUE)['verbs'];
