import { z } from 'zod';
import { AgencyId, Role, type Member } from '../../domain';
import { err, ok, type Result } from '../../lib/result';

/*
 * Planning a membership sync from Microsoft Entra security groups. Pure: the caller reads the groups
 * and the members, this module decides, and the caller writes the plan in one audited step.
 */

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Entra shows group ids in lower case; normalising configuration keeps lookups exact.
export const GroupId = z
  .string()
  .trim()
  .regex(GUID_RE, 'must be a GUID')
  .transform((s) => s.toLowerCase());

export const GroupMappingEntry = z.object({ groupId: GroupId, agencyId: AgencyId, role: Role });
export type GroupMappingEntry = z.infer<typeof GroupMappingEntry>;

/**
 * Which Entra group grants which agency and role. A group may grant several roles, but only for one
 * agency: a group split across agencies would put every one of its members in conflict. At least one
 * entry is required because an empty mapping would deactivate every sync-managed member.
 */
export const GroupMapping = z
  .array(GroupMappingEntry)
  .min(1, 'at least one group mapping is required')
  .superRefine((entries, ctx) => {
    const agencyOf = new Map<string, string>();
    entries.forEach((entry, index) => {
      const seen = agencyOf.get(entry.groupId);
      if (seen !== undefined && seen !== entry.agencyId) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'agencyId'],
          message: `group ${entry.groupId} is mapped to both '${seen}' and '${entry.agencyId}'`,
        });
      }
      agencyOf.set(entry.groupId, entry.agencyId);
    });
  });
export type GroupMapping = z.infer<typeof GroupMapping>;

/**
 * Parses the environment form `groupId:agencyId:role,groupId:agencyId:role`. The error names the
 * offending entry (group ids, agency slugs and role names are configuration, not personal data).
 */
export function parseGroupMappings(csv: string): Result<GroupMapping, string> {
  const raw = csv
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const entries: GroupMappingEntry[] = [];
  for (const [index, text] of raw.entries()) {
    const parts = text.split(':').map((s) => s.trim());
    if (parts.length !== 3) {
      return err(`group mapping entry ${index + 1} '${text}' must have the form groupId:agencyId:role`);
    }
    const [groupId, agencyId, role] = parts;
    const parsed = GroupMappingEntry.safeParse({ groupId, agencyId, role });
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ');
      return err(`group mapping entry ${index + 1} '${text}' is invalid: ${why}`);
    }
    entries.push(parsed.data);
  }
  const mapping = GroupMapping.safeParse(entries);
  if (!mapping.success) {
    const issue = mapping.error.issues[0];
    const index = typeof issue?.path[0] === 'number' ? issue.path[0] : undefined;
    const where = index === undefined ? '' : ` (entry ${index + 1} '${raw[index] ?? ''}')`;
    return err(`group mappings are invalid${where}: ${issue?.message ?? 'unknown problem'}`);
  }
  return ok(mapping.data);
}

/** A user as a group lists them. Entra allows a user without a display name, hence `null`. */
export interface GroupUser {
  readonly aadObjectId: string;
  readonly displayName: string | null;
}

/** A user whose groups point at more than one agency; the sync leaves them as they are. */
export interface SyncConflict {
  readonly aadObjectId: string;
  readonly agencyIds: readonly string[];
}

/**
 * What a sync will write. `deactivate` holds the records as they stand now (their `version` is the
 * one a conditional write expects); `add` holds new records with `version: 0`, which the store
 * replaces. Every list is sorted by `aadObjectId`.
 */
export interface MemberSyncPlan {
  readonly add: readonly Member[];
  readonly update: readonly { readonly before: Member; readonly after: Member }[];
  readonly deactivate: readonly Member[];
  readonly conflicts: readonly SyncConflict[];
}

export interface MemberSyncInput {
  readonly mappings: GroupMapping;
  /** Members of every mapped group, keyed by group id; a missing group is a bug, not an empty group. */
  readonly groupMembers: Readonly<Record<string, readonly GroupUser[]>>;
  /** Every member of the area, inactive ones included. */
  readonly existing: readonly Member[];
  /** Members the sync created; all others were enrolled by hand and are never touched. */
  readonly managedBySync: ReadonlySet<string>;
  readonly tenantId: string;
  readonly areaId: string;
}

/** Used only when Entra has no display name for a new member; a later sync refreshes it. */
export const UNNAMED_MEMBER = 'Unnamed member';

const DISPLAY_NAME_MAX = 200;
const ROLE_ORDER: readonly Role[] = Role.options;

interface Desired {
  displayName: string | null;
  readonly agencyIds: Set<string>;
  readonly roles: Set<Role>;
}

function byAadObjectId(a: { aadObjectId: string }, b: { aadObjectId: string }): number {
  return a.aadObjectId < b.aadObjectId ? -1 : a.aadObjectId > b.aadObjectId ? 1 : 0;
}

function canonicalRoles(roles: Iterable<Role>): Role[] {
  const set = new Set(roles);
  return ROLE_ORDER.filter((r) => set.has(r));
}

function cleanName(name: string | null): string | null {
  const trimmed = name?.trim() ?? '';
  return trimmed === '' ? null : trimmed.slice(0, DISPLAY_NAME_MAX);
}

function sameRoles(a: readonly Role[], b: readonly Role[]): boolean {
  const left = canonicalRoles(a);
  const right = canonicalRoles(b);
  return left.length === right.length && left.every((r, i) => r === right[i]);
}

/**
 * Decides how the area's membership should change to match the mapped Entra groups:
 * - a user in several mapped groups gets the union of their roles;
 * - a user whose groups name different agencies is reported as a conflict and left unchanged;
 * - sync-managed members in no mapped group are deactivated; returning ones are reactivated;
 * - display names follow Entra; members enrolled by hand are never changed.
 */
export function planMemberSync(input: MemberSyncInput): MemberSyncPlan {
  const desired = new Map<string, Desired>();
  for (const { groupId, agencyId, role } of input.mappings) {
    const users = input.groupMembers[groupId];
    if (users === undefined) {
      // Treating an unread group as empty would deactivate its members: refuse instead.
      throw new Error(`planMemberSync: no members were supplied for mapped group ${groupId}`);
    }
    for (const user of users) {
      let entry = desired.get(user.aadObjectId);
      if (entry === undefined) {
        entry = { displayName: null, agencyIds: new Set(), roles: new Set() };
        desired.set(user.aadObjectId, entry);
      }
      entry.displayName ??= cleanName(user.displayName);
      entry.agencyIds.add(agencyId);
      entry.roles.add(role);
    }
  }

  const existing = new Map<string, Member>();
  for (const member of input.existing) {
    // Membership is per (tenant, user); a record from another tenant is not this sync's business.
    if (member.tenantId === input.tenantId && member.areaId === input.areaId) existing.set(member.aadObjectId, member);
  }

  const add: Member[] = [];
  const update: { before: Member; after: Member }[] = [];
  const deactivate: Member[] = [];
  const conflicts: SyncConflict[] = [];

  for (const [aadObjectId, want] of desired) {
    if (want.agencyIds.size > 1) {
      conflicts.push({ aadObjectId, agencyIds: [...want.agencyIds].sort() });
      continue;
    }
    const [agencyId] = [...want.agencyIds];
    const roles = canonicalRoles(want.roles);
    const before = existing.get(aadObjectId);
    if (before === undefined) {
      add.push({
        aadObjectId,
        tenantId: input.tenantId,
        areaId: input.areaId,
        displayName: want.displayName ?? UNNAMED_MEMBER,
        agencyId,
        roles,
        active: true,
        version: 0,
      });
      continue;
    }
    if (!input.managedBySync.has(aadObjectId)) continue;
    const after: Member = {
      ...before,
      displayName: want.displayName ?? before.displayName,
      agencyId,
      roles,
      active: true,
    };
    const changed =
      after.displayName !== before.displayName ||
      after.agencyId !== before.agencyId ||
      after.active !== before.active ||
      !sameRoles(after.roles, before.roles);
    if (changed) update.push({ before, after });
  }

  for (const member of existing.values()) {
    if (member.active && input.managedBySync.has(member.aadObjectId) && !desired.has(member.aadObjectId)) {
      deactivate.push(member);
    }
  }

  return {
    add: add.sort(byAadObjectId),
    update: update.sort((a, b) => byAadObjectId(a.before, b.before)),
    deactivate: deactivate.sort(byAadObjectId),
    conflicts: conflicts.sort(byAadObjectId),
  };
}
