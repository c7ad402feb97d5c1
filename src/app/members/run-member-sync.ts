import type { Member } from '../../domain';
import { err, ok, type Result } from '../../lib/result';
import {
  planMemberSync,
  type GroupMapping,
  type GroupUser,
  type MemberSyncPlan,
  type SyncConflict,
} from './member-sync';

/** Reads who is in an Entra group (nested groups included). Throws when Graph cannot answer. */
export interface GroupMemberReader {
  transitiveUserMembers(groupId: string): Promise<readonly GroupUser[]>;
}

/**
 * The service identity a sync writes as, for the audit trail: the scheduler's or the admin who
 * asked for an on-demand run.
 */
export interface SyncActor {
  readonly aadObjectId: string;
  readonly displayName: string;
  readonly tenantId: string;
}

/** The member store as the sync needs it. */
export interface MemberSyncStore {
  /** Every member of the area, inactive ones included. */
  listAll(areaId: string): Promise<Member[]>;
  /** Ids of the members the sync created (as opposed to those enrolled by hand). */
  managedBySync(areaId: string): Promise<Set<string>>;
  /**
   * Writes the whole plan, auditing each change as done by `actor`; added members are recorded as
   * sync-managed. Each change is one conditional single-document write (no transactions are assumed):
   * a run interrupted part-way is completed by the next, which plans again from what is stored.
   */
  apply(plan: MemberSyncPlan, actor: SyncActor): Promise<void>;
}

export interface RunMemberSyncDeps {
  readonly reader: GroupMemberReader;
  readonly members: MemberSyncStore;
  readonly mappings: GroupMapping;
  readonly tenantId: string;
  readonly areaId: string;
  readonly actor: SyncActor;
}

export interface MemberSyncSummary {
  readonly added: number;
  readonly updated: number;
  readonly deactivated: number;
  /** Users left unchanged because their groups name several agencies; for the admin to resolve. */
  readonly conflicts: readonly SyncConflict[];
}

/** No code here is in the shared catalogue yet because only the sync meets Graph. */
export interface MemberSyncError {
  readonly code: 'GROUP_READ_FAILED';
  readonly message: string;
  readonly meta: { readonly groupId: string };
  /** The reader's error, for the operator's log; its message names the group only. */
  readonly cause: unknown;
}

/**
 * Brings the area's membership in line with the mapped Entra groups. Used both by the scheduler and
 * by an admin's on-demand request. Every group is read before anything is written: if any read fails
 * nothing is applied, because a group read as empty would deactivate its members.
 */
export async function runMemberSync(deps: RunMemberSyncDeps): Promise<Result<MemberSyncSummary, MemberSyncError>> {
  const groupIds = [...new Set(deps.mappings.map((m) => m.groupId))];
  const groupMembers: Record<string, readonly GroupUser[]> = {};
  // One group at a time: gentler on Graph's throttling, and the first failure stops the run.
  for (const groupId of groupIds) {
    try {
      groupMembers[groupId] = await deps.reader.transitiveUserMembers(groupId);
    } catch (cause) {
      return err({
        code: 'GROUP_READ_FAILED',
        message: `Membership sync stopped before making any change: group ${groupId} could not be read from Microsoft Graph.`,
        meta: { groupId },
        cause,
      });
    }
  }

  const [existing, managedBySync] = await Promise.all([
    deps.members.listAll(deps.areaId),
    deps.members.managedBySync(deps.areaId),
  ]);
  const plan = planMemberSync({
    mappings: deps.mappings,
    groupMembers,
    existing,
    managedBySync,
    tenantId: deps.tenantId,
    areaId: deps.areaId,
  });
  if (plan.add.length + plan.update.length + plan.deactivate.length > 0) {
    await deps.members.apply(plan, deps.actor);
  }
  return ok({
    added: plan.add.length,
    updated: plan.update.length,
    deactivated: plan.deactivate.length,
    conflicts: plan.conflicts,
  });
}
