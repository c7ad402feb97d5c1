import type { Member, Role } from './member.schema';

/**
 * Everything a user can ask the bot or the API to do. Handlers name one of these and call `can`; a
 * test checks that every bot verb maps to one, so nothing reaches a use case unauthorised.
 */
export const POLICY_ACTIONS = [
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
  'member.manage',
  'channel.setCoordinator',
  'audit.verify',
  'retention.review',
  'retention.erase',
  'reminders.review',
  'stats.read',
] as const;
export type PolicyAction = (typeof POLICY_ACTIONS)[number];

/** Who may attempt each action at all, before any need-to-know check on the case. */
const ROLES_FOR: Record<PolicyAction, readonly Role[]> = {
  'help.show': ['admin', 'coordinator', 'chair', 'practitioner', 'viewer'],
  'notification.create': ['coordinator', 'practitioner'],
  'notification.decide': ['coordinator'],
  'referral.draft': ['coordinator', 'practitioner'],
  'referral.decide': ['coordinator'],
  'referral.answerQuestion': ['coordinator', 'practitioner'],
  'case.read': ['coordinator', 'chair', 'practitioner', 'viewer'],
  'case.audit.read': ['coordinator'],
  // Finding a case by an identifier is for those who act on cases; each hit is still need-to-know.
  'case.find': ['coordinator', 'practitioner'],
  'guide.read': ['admin', 'coordinator', 'chair', 'practitioner', 'viewer'],
  'meeting.run': ['coordinator', 'chair'],
  'meeting.contribute': ['coordinator', 'chair', 'practitioner'],
  'action.update': ['coordinator', 'chair', 'practitioner'],
  'member.list': ['admin', 'coordinator'],
  'member.manage': ['admin'],
  'channel.setCoordinator': ['admin'],
  'audit.verify': ['admin'],
  'retention.review': ['admin', 'coordinator'],
  'retention.erase': ['admin'],
  /** `overdue` and `reminders`: the area-wide view of late work is the co-ordinator's. */
  'reminders.review': ['coordinator'],
  'stats.read': ['coordinator'],
};

/** Actions on a particular case: these also need the reader's agency to be involved in it. */
const CASE_SCOPED: ReadonlySet<PolicyAction> = new Set<PolicyAction>([
  'case.read',
  'case.audit.read',
  'meeting.run',
  'meeting.contribute',
  'action.update',
  'referral.answerQuestion',
]);

/** Roles that see every case in their area (the co-ordinator is MAPPA's gatekeeper). */
const SEES_ALL_CASES: readonly Role[] = ['coordinator'];

/** The part of a case that decides who may see it. */
export interface CaseScope {
  readonly areaId: string;
  readonly leadAgencyId: string;
  /** Agencies invited to its meetings or named in its plan. */
  readonly involvedAgencyIds: readonly string[];
  /** The referrer may always follow their own referral. */
  readonly referrerAadObjectId?: string;
}

/** The caller, resolved from the activity's Entra ids (never from card data). */
export interface Principal {
  readonly tenantId: string;
  readonly aadObjectId: string;
  /** Null when the user is not enrolled. */
  readonly member: Member | null;
}

export type PolicyDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly code: 'NOT_PERMITTED' | 'NOT_FOUND'; readonly reason: string };

const allow: PolicyDecision = { allowed: true };
const deny = (reason: string): PolicyDecision => ({ allowed: false, code: 'NOT_PERMITTED', reason });
// Out-of-scope cases answer "not found" so the reply does not reveal that the case exists.
const hidden: PolicyDecision = { allowed: false, code: 'NOT_FOUND', reason: 'case not in scope' };

/** The single authorisation decision for every command, card action and endpoint. */
export function can(principal: Principal, action: PolicyAction, resource?: { case?: CaseScope }): PolicyDecision {
  const member = principal.member;
  if (!member || !member.active) return deny('not an enrolled member');
  if (member.aadObjectId !== principal.aadObjectId || member.tenantId !== principal.tenantId) {
    return deny('member record does not match the caller');
  }
  const roles = member.roles;
  const scoped = CASE_SCOPED.has(action);
  const c = resource?.case;
  if (scoped && c && c.areaId !== member.areaId) return hidden;
  if (!roles.some((r) => ROLES_FOR[action].includes(r))) {
    // A role gap on a case the caller cannot see must not confirm the case exists either.
    if (scoped && c && !inScope(member, c)) return hidden;
    return deny(`role does not allow ${action}`);
  }
  if (scoped && c && !inScope(member, c)) return hidden;
  return allow;
}

function inScope(member: Member, c: CaseScope): boolean {
  if (member.roles.some((r) => SEES_ALL_CASES.includes(r))) return true;
  if (c.referrerAadObjectId !== undefined && c.referrerAadObjectId === member.aadObjectId) return true;
  return c.leadAgencyId === member.agencyId || c.involvedAgencyIds.includes(member.agencyId);
}

/** For the audit log and help card: which actions a member's roles allow at all. */
export function allowedActions(roles: readonly Role[]): PolicyAction[] {
  return POLICY_ACTIONS.filter((a) => roles.some((r) => ROLES_FOR[a].includes(r)));
}
