// Members: who may use the bot (resolving the caller from Entra ids), enrolment by admins, sync from
// Entra groups, and the area they belong to.
export {
  BOOTSTRAP_AGENCY_ID,
  resolveCaller,
  type IdentityOptions,
  type IdentityResult,
  type MemberLookup,
} from './resolve-caller';
export {
  addMember,
  agenciesOf,
  fieldErrorsOf,
  listMembers,
  MemberForm,
  MemberPick,
  pickFieldErrorsOf,
  removeMember,
  setRoles,
  type MemberDeps,
  type MemberError,
  type MemberFormField,
} from './manage-members';
export { ensureArea } from './ensure-area';
export {
  GroupId,
  GroupMapping,
  GroupMappingEntry,
  parseGroupMappings,
  planMemberSync,
  UNNAMED_MEMBER,
  type GroupUser,
  type MemberSyncInput,
  type MemberSyncPlan,
  type SyncConflict,
} from './member-sync';
export {
  runMemberSync,
  type GroupMemberReader,
  type MemberSyncError,
  type MemberSyncStore,
  type MemberSyncSummary,
  type RunMemberSyncDeps,
  type SyncActor,
} from './run-member-sync';
export { createRefusalAudit, OVERFLOW_TENANT, type RefusalAudit, type RefusedActivity } from './refusal-audit';
export { cachedMemberRepository, type MemberCacheOptions } from './cached-members';
