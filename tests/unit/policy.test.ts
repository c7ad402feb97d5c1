import type { Member, Role } from '../../src/domain/member.schema';
import { POLICY_ACTIONS, can, type CaseScope, type PolicyAction, type Principal } from '../../src/domain/policy';

const TENANT = 'tenant-1';
function member(roles: Role[], agencyId = 'probation', over: Partial<Member> = {}): Member {
  return {
    aadObjectId: 'u1',
    tenantId: TENANT,
    areaId: 'area-1',
    displayName: 'Sam Test',
    agencyId,
    roles,
    active: true,
    version: 0,
    ...over,
  };
}
const principal = (m: Member | null, over: Partial<Principal> = {}): Principal => ({
  tenantId: TENANT,
  aadObjectId: 'u1',
  member: m,
  ...over,
});

const inScope: CaseScope = { areaId: 'area-1', leadAgencyId: 'probation', involvedAgencyIds: ['police'] };
const outOfScope: CaseScope = { areaId: 'area-1', leadAgencyId: 'police', involvedAgencyIds: ['health'] };
const otherArea: CaseScope = { areaId: 'area-2', leadAgencyId: 'probation', involvedAgencyIds: [] };

// Expected outcome for each role × action, on a case the member's agency is involved in.
const MATRIX: Record<Role, readonly PolicyAction[]> = {
  admin: [
    'help.show',
    'guide.read',
    'member.list',
    'member.manage',
    'channel.setCoordinator',
    'audit.verify',
    'retention.review',
    'retention.erase',
  ],
  coordinator: [
    'reminders.review',
    'help.show',
    'notification.create',
    'notification.decide',
    'referral.draft',
    'referral.decide',
    'referral.answerQuestion',
    'case.read',
    'case.find',
    'case.audit.read',
    'guide.read',
    'meeting.run',
    'meeting.contribute',
    'action.update',
    'member.list',
    'retention.review',
    'stats.read',
  ],
  chair: ['help.show', 'guide.read', 'case.read', 'meeting.run', 'meeting.contribute', 'action.update'],
  practitioner: [
    'help.show',
    'notification.create',
    'referral.draft',
    'referral.answerQuestion',
    'case.read',
    'case.find',
    'guide.read',
    'meeting.contribute',
    'action.update',
  ],
  viewer: ['help.show', 'guide.read', 'case.read'],
};

describe('policy matrix', () => {
  const roles = Object.keys(MATRIX) as Role[];
  const cases = roles.flatMap((role) => POLICY_ACTIONS.map((action) => [role, action] as const));

  it.each(cases)('%s → %s on an in-scope case', (role, action) => {
    const d = can(principal(member([role])), action, { case: inScope });
    expect(d.allowed).toBe(MATRIX[role].includes(action));
  });

  it.each(cases)('%s → %s on an out-of-scope case never reveals the case', (role, action) => {
    const d = can(principal(member([role])), action, { case: outOfScope });
    const seesAll = role === 'coordinator';
    if (seesAll && MATRIX[role].includes(action)) expect(d.allowed).toBe(true);
    else if (
      !d.allowed &&
      [
        'case.read',
        'case.audit.read',
        'meeting.run',
        'meeting.contribute',
        'action.update',
        'referral.answerQuestion',
      ].includes(action) &&
      !seesAll
    ) {
      expect(d.code).toBe('NOT_FOUND');
    } else expect(d.allowed).toBe(MATRIX[role].includes(action));
  });

  it('hides cases of another area even from co-ordinators', () => {
    expect(can(principal(member(['coordinator'])), 'case.read', { case: otherArea })).toMatchObject({
      allowed: false,
      code: 'NOT_FOUND',
    });
  });

  it('refuses unenrolled, removed and mismatched callers', () => {
    expect(can(principal(null), 'help.show')).toMatchObject({ allowed: false, code: 'NOT_PERMITTED' });
    expect(can(principal(member(['coordinator'], 'probation', { active: false })), 'referral.decide')).toMatchObject({
      allowed: false,
    });
    expect(can(principal(member(['coordinator']), { tenantId: 'other-tenant' }), 'referral.decide')).toMatchObject({
      allowed: false,
    });
    expect(can(principal(member(['coordinator']), { aadObjectId: 'someone-else' }), 'referral.decide')).toMatchObject({
      allowed: false,
    });
  });

  it('lets a referrer follow their own referral outside their agency scope', () => {
    const c = { ...outOfScope, referrerAadObjectId: 'u1' };
    expect(can(principal(member(['practitioner'], 'housing')), 'referral.answerQuestion', { case: c }).allowed).toBe(
      true,
    );
  });

  it('admins administer but never read case content', () => {
    expect(can(principal(member(['admin'])), 'case.read', { case: inScope }).allowed).toBe(false);
  });
});
