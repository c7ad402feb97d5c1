import {
  GroupMapping,
  parseGroupMappings,
  planMemberSync,
  UNNAMED_MEMBER,
  type GroupUser,
  type MemberSyncInput,
  type MemberSyncPlan,
} from '../../src/app/members';
import { runMemberSync, type MemberSyncStore, type SyncActor } from '../../src/app/members';
import type { Member, Role } from '../../src/domain';
import { unwrap } from '../../src/lib/result';

const TENANT = '7c0b2a55-1d2e-4f6a-9b8c-0d1e2f3a4b5c';
const AREA = 'area-north';

const G_POLICE = '0a1b2c3d-4e5f-4a6b-8c7d-000000000001';
const G_POLICE_CHAIRS = '0a1b2c3d-4e5f-4a6b-8c7d-000000000002';
const G_PROBATION = '0a1b2c3d-4e5f-4a6b-8c7d-000000000003';

// Invented people; ids chosen so that sorting by id is easy to read.
const ADA = { aadObjectId: 'aaaaaaaa-0000-4000-8000-000000000001', displayName: 'Ada Fenwick' };
const BEN = { aadObjectId: 'bbbbbbbb-0000-4000-8000-000000000002', displayName: 'Ben Ashcombe' };
const CAL = { aadObjectId: 'cccccccc-0000-4000-8000-000000000003', displayName: 'Cal Morrow' };
const DEV = { aadObjectId: 'dddddddd-0000-4000-8000-000000000004', displayName: 'Dev Trelawny' };

const mappings = GroupMapping.parse([
  { groupId: G_POLICE, agencyId: 'police', role: 'practitioner' },
  { groupId: G_POLICE_CHAIRS, agencyId: 'police', role: 'chair' },
  { groupId: G_PROBATION, agencyId: 'probation', role: 'practitioner' },
]);

function aMember(person: { aadObjectId: string; displayName: string }, over: Partial<Member> = {}): Member {
  return {
    ...person,
    tenantId: TENANT,
    areaId: AREA,
    agencyId: 'police',
    roles: ['practitioner'],
    active: true,
    version: 3,
    ...over,
  };
}

function input(over: Partial<MemberSyncInput> & { groups?: Partial<Record<string, GroupUser[]>> }): MemberSyncInput {
  const { groups, ...rest } = over;
  return {
    mappings,
    groupMembers: { [G_POLICE]: [], [G_POLICE_CHAIRS]: [], [G_PROBATION]: [], ...groups } as Record<
      string,
      GroupUser[]
    >,
    existing: [],
    managedBySync: new Set(),
    tenantId: TENANT,
    areaId: AREA,
    ...rest,
  };
}

/** The plan reduced to what each case cares about, so the table stays readable. */
function summarise(plan: MemberSyncPlan) {
  return {
    add: plan.add.map((m) => [m.aadObjectId, m.agencyId, m.roles.join('+'), m.displayName]),
    update: plan.update.map(({ before, after }) => [
      before.aadObjectId,
      after.agencyId,
      after.roles.join('+'),
      after.displayName,
      after.active,
    ]),
    deactivate: plan.deactivate.map((m) => m.aadObjectId),
    conflicts: plan.conflicts.map((c) => [c.aadObjectId, c.agencyIds.join('+')]),
  };
}

const none = { add: [], update: [], deactivate: [], conflicts: [] };

describe('planMemberSync', () => {
  const cases: { name: string; given: MemberSyncInput; expected: ReturnType<typeof summarise> }[] = [
    {
      name: 'adds a user found in one mapped group with that group’s agency and role',
      given: input({ groups: { [G_PROBATION]: [BEN] } }),
      expected: { ...none, add: [[BEN.aadObjectId, 'probation', 'practitioner', BEN.displayName]] },
    },
    {
      name: 'gives a user in several groups of one agency the union of their roles',
      given: input({ groups: { [G_POLICE]: [ADA], [G_POLICE_CHAIRS]: [ADA] } }),
      expected: { ...none, add: [[ADA.aadObjectId, 'police', 'chair+practitioner', ADA.displayName]] },
    },
    {
      name: 'reports a user mapped to two agencies as a conflict and does not add them',
      given: input({ groups: { [G_POLICE]: [CAL], [G_PROBATION]: [CAL] } }),
      expected: { ...none, conflicts: [[CAL.aadObjectId, 'police+probation']] },
    },
    {
      name: 'leaves a conflicting sync-managed member exactly as they are (not updated, not deactivated)',
      given: input({
        groups: { [G_POLICE_CHAIRS]: [CAL], [G_PROBATION]: [CAL] },
        existing: [aMember(CAL)],
        managedBySync: new Set([CAL.aadObjectId]),
      }),
      expected: { ...none, conflicts: [[CAL.aadObjectId, 'police+probation']] },
    },
    {
      name: 'deactivates sync-managed members in no mapped group and never touches manual ones',
      given: input({
        existing: [aMember(ADA), aMember(BEN), aMember(DEV, { active: false })],
        managedBySync: new Set([ADA.aadObjectId, DEV.aadObjectId]),
      }),
      expected: { ...none, deactivate: [ADA.aadObjectId] },
    },
    {
      name: 'does not change a manual member who is also in a mapped group',
      given: input({
        groups: { [G_PROBATION]: [{ ...BEN, displayName: 'Ben Ashcombe-Lowe' }] },
        existing: [aMember(BEN, { roles: ['admin'] })],
      }),
      expected: none,
    },
    {
      name: 'refreshes the display name of a sync-managed member',
      given: input({
        groups: { [G_POLICE]: [{ ...ADA, displayName: 'Ada Fenwick-Hale' }] },
        existing: [aMember(ADA)],
        managedBySync: new Set([ADA.aadObjectId]),
      }),
      expected: { ...none, update: [[ADA.aadObjectId, 'police', 'practitioner', 'Ada Fenwick-Hale', true]] },
    },
    {
      name: 'moves a sync-managed member to their new agency and roles',
      given: input({
        groups: { [G_PROBATION]: [ADA] },
        existing: [aMember(ADA, { roles: ['chair', 'practitioner'] })],
        managedBySync: new Set([ADA.aadObjectId]),
      }),
      expected: { ...none, update: [[ADA.aadObjectId, 'probation', 'practitioner', ADA.displayName, true]] },
    },
    {
      name: 'reactivates a deactivated sync-managed member who is back in a group',
      given: input({
        groups: { [G_POLICE]: [DEV] },
        existing: [aMember(DEV, { active: false })],
        managedBySync: new Set([DEV.aadObjectId]),
      }),
      expected: { ...none, update: [[DEV.aadObjectId, 'police', 'practitioner', DEV.displayName, true]] },
    },
    {
      name: 'writes nothing for an up-to-date member whose roles are stored in another order',
      given: input({
        groups: { [G_POLICE]: [ADA], [G_POLICE_CHAIRS]: [ADA] },
        existing: [aMember(ADA, { roles: ['practitioner', 'chair'] })],
        managedBySync: new Set([ADA.aadObjectId]),
      }),
      expected: none,
    },
    {
      name: 'names a new member without an Entra display name as unnamed, and keeps an existing name',
      given: input({
        groups: {
          [G_POLICE]: [
            { ...BEN, displayName: null },
            { ...ADA, displayName: '   ' },
          ],
        },
        existing: [aMember(ADA)],
        managedBySync: new Set([ADA.aadObjectId]),
      }),
      expected: { ...none, add: [[BEN.aadObjectId, 'police', 'practitioner', UNNAMED_MEMBER]] },
    },
    {
      name: 'ignores a record of the same user in another tenant',
      given: input({
        groups: { [G_POLICE]: [ADA] },
        existing: [aMember(ADA, { tenantId: '11111111-2222-4333-8444-555555555555' })],
        managedBySync: new Set([ADA.aadObjectId]),
      }),
      expected: { ...none, add: [[ADA.aadObjectId, 'police', 'practitioner', ADA.displayName]] },
    },
    {
      name: 'orders every list by Entra object id whatever order the groups came in',
      given: input({
        groups: { [G_PROBATION]: [DEV, BEN], [G_POLICE]: [CAL, ADA] },
      }),
      expected: {
        ...none,
        add: [
          [ADA.aadObjectId, 'police', 'practitioner', ADA.displayName],
          [BEN.aadObjectId, 'probation', 'practitioner', BEN.displayName],
          [CAL.aadObjectId, 'police', 'practitioner', CAL.displayName],
          [DEV.aadObjectId, 'probation', 'practitioner', DEV.displayName],
        ],
      },
    },
  ];

  it.each(cases)('$name', ({ given, expected }) => {
    expect(summarise(planMemberSync(given))).toEqual(expected);
  });

  it('builds complete new member records for the area and tenant', () => {
    const plan = planMemberSync(input({ groups: { [G_POLICE_CHAIRS]: [ADA] } }));
    expect(plan.add).toEqual([
      { ...ADA, tenantId: TENANT, areaId: AREA, agencyId: 'police', roles: ['chair'], active: true, version: 0 },
    ]);
  });

  it('keeps the stored version in an update so the write can be conditional on it', () => {
    const before = aMember(ADA, { version: 7 });
    const plan = planMemberSync(
      input({ groups: { [G_POLICE_CHAIRS]: [ADA] }, existing: [before], managedBySync: new Set([ADA.aadObjectId]) }),
    );
    expect(plan.update).toEqual([{ before, after: { ...before, roles: ['chair'] } }]);
  });

  it('refuses to plan when a mapped group was not read, rather than treat it as empty', () => {
    const given = input({ existing: [aMember(ADA)], managedBySync: new Set([ADA.aadObjectId]) });
    const partial = Object.fromEntries(Object.entries(given.groupMembers).filter(([id]) => id !== G_PROBATION));
    expect(() => planMemberSync({ ...given, groupMembers: partial })).toThrow(G_PROBATION);
  });
});

describe('parseGroupMappings', () => {
  it('parses entries, tolerating spaces and a trailing comma, and lower-cases group ids', () => {
    const result = parseGroupMappings(
      ` ${G_POLICE.toUpperCase()}:police:practitioner , ${G_PROBATION}:probation:chair,`,
    );
    expect(unwrap(result)).toEqual([
      { groupId: G_POLICE, agencyId: 'police', role: 'practitioner' },
      { groupId: G_PROBATION, agencyId: 'probation', role: 'chair' },
    ]);
  });

  it('allows one group to grant several roles within its agency', () => {
    const result = parseGroupMappings(`${G_POLICE}:police:practitioner,${G_POLICE}:police:viewer`);
    expect(result.ok).toBe(true);
  });

  const bad: { name: string; csv: string; mentions: string[] }[] = [
    {
      name: 'an entry without three parts',
      csv: `${G_POLICE}:police:practitioner,${G_PROBATION}:probation`,
      mentions: ['entry 2', `${G_PROBATION}:probation`, 'groupId:agencyId:role'],
    },
    {
      name: 'a group id that is not a GUID',
      csv: 'police-group:police:practitioner',
      mentions: ['entry 1', 'police-group:police:practitioner', 'GUID'],
    },
    { name: 'an unknown role', csv: `${G_POLICE}:police:superuser`, mentions: ['entry 1', 'superuser', 'role'] },
    {
      name: 'an agency that is not a slug',
      csv: `${G_POLICE}:Police Force:chair`,
      mentions: ['entry 1', 'Police Force', 'agencyId'],
    },
    {
      name: 'a group mapped to two agencies',
      csv: `${G_POLICE}:police:chair,${G_POLICE}:probation:chair`,
      mentions: ['entry 2', G_POLICE, "'police'", "'probation'"],
    },
    { name: 'no entries at all', csv: ' , ', mentions: ['at least one'] },
  ];

  it.each(bad)('rejects $name with a message naming it', ({ csv, mentions }) => {
    const result = parseGroupMappings(csv);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    for (const text of mentions) expect(result.error).toContain(text);
  });
});

describe('runMemberSync', () => {
  const actor: SyncActor = { aadObjectId: 'service:member-sync', displayName: 'Membership sync', tenantId: TENANT };

  /** An in-memory member store that applies a plan the way the real one must: all of it. */
  function fakeStore(members: Member[], managed: string[]) {
    const state = new Map(members.map((m) => [m.aadObjectId, m]));
    const managedIds = new Set(managed);
    const applied: { plan: MemberSyncPlan; actor: SyncActor }[] = [];
    const store: MemberSyncStore = {
      listAll: async (areaId) => [...state.values()].filter((m) => m.areaId === areaId),
      managedBySync: async () => new Set(managedIds),
      apply: async (plan, by) => {
        applied.push({ plan, actor: by });
        for (const m of plan.add) {
          state.set(m.aadObjectId, { ...m, version: 1 });
          managedIds.add(m.aadObjectId);
        }
        for (const { after } of plan.update) state.set(after.aadObjectId, { ...after, version: after.version + 1 });
        for (const m of plan.deactivate) state.set(m.aadObjectId, { ...m, active: false, version: m.version + 1 });
      },
    };
    return { store, state, applied };
  }

  function fakeReader(groups: Record<string, GroupUser[] | Error>) {
    const reads: string[] = [];
    return {
      reads,
      reader: {
        transitiveUserMembers: async (groupId: string) => {
          reads.push(groupId);
          const answer = groups[groupId];
          if (answer === undefined || answer instanceof Error) throw answer ?? new Error('unknown group');
          return answer;
        },
      },
    };
  }

  function roles(state: Map<string, Member>, id: string): Role[] | undefined {
    return state.get(id)?.roles;
  }

  it('reads each mapped group once, applies the plan as the actor and summarises it', async () => {
    const { store, state, applied } = fakeStore(
      [aMember(DEV), aMember(CAL, { agencyId: 'probation' })],
      [DEV.aadObjectId],
    );
    const { reader, reads } = fakeReader({
      [G_POLICE]: [ADA, BEN],
      [G_POLICE_CHAIRS]: [ADA],
      [G_PROBATION]: [BEN],
    });

    const result = await runMemberSync({ reader, members: store, mappings, tenantId: TENANT, areaId: AREA, actor });

    expect(unwrap(result)).toEqual({
      added: 1,
      updated: 0,
      deactivated: 1,
      conflicts: [{ aadObjectId: BEN.aadObjectId, agencyIds: ['police', 'probation'] }],
    });
    expect(reads).toEqual([G_POLICE, G_POLICE_CHAIRS, G_PROBATION]);
    expect(applied).toHaveLength(1);
    expect(applied[0]?.actor).toEqual(actor);
    expect(roles(state, ADA.aadObjectId)).toEqual(['chair', 'practitioner']);
    expect(state.get(DEV.aadObjectId)?.active).toBe(false);
    expect(state.get(CAL.aadObjectId)).toEqual(aMember(CAL, { agencyId: 'probation' }));
    expect(state.has(BEN.aadObjectId)).toBe(false);
  });

  it('applies nothing at all when any group cannot be read, and names that group', async () => {
    const before = [aMember(ADA), aMember(DEV)];
    const { store, state, applied } = fakeStore(before, [ADA.aadObjectId, DEV.aadObjectId]);
    const failure = new Error('Microsoft Graph could not list the members of group (status 500)');
    const { reader } = fakeReader({ [G_POLICE]: [ADA], [G_POLICE_CHAIRS]: failure, [G_PROBATION]: [] });

    const result = await runMemberSync({ reader, members: store, mappings, tenantId: TENANT, areaId: AREA, actor });

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('GROUP_READ_FAILED');
    expect(result.error.meta).toEqual({ groupId: G_POLICE_CHAIRS });
    expect(result.error.message).toContain(G_POLICE_CHAIRS);
    expect(result.error.message).toMatch(/before making any change/);
    expect(result.error.cause).toBe(failure);
    expect(applied).toEqual([]);
    expect([...state.values()]).toEqual(before);
  });

  it('does not call apply when membership already matches the groups', async () => {
    const { store, applied } = fakeStore([aMember(ADA)], [ADA.aadObjectId]);
    const { reader } = fakeReader({ [G_POLICE]: [ADA], [G_POLICE_CHAIRS]: [], [G_PROBATION]: [] });

    const result = await runMemberSync({ reader, members: store, mappings, tenantId: TENANT, areaId: AREA, actor });

    expect(unwrap(result)).toEqual({ added: 0, updated: 0, deactivated: 0, conflicts: [] });
    expect(applied).toEqual([]);
  });

  it('reaches a fixed point: a second run after applying changes nothing', async () => {
    const { store, applied } = fakeStore([aMember(DEV)], [DEV.aadObjectId]);
    const { reader } = fakeReader({ [G_POLICE]: [ADA], [G_POLICE_CHAIRS]: [ADA], [G_PROBATION]: [BEN] });
    const deps = { reader, members: store, mappings, tenantId: TENANT, areaId: AREA, actor };

    await runMemberSync(deps);
    const second = await runMemberSync(deps);

    expect(unwrap(second)).toEqual({ added: 0, updated: 0, deactivated: 0, conflicts: [] });
    expect(applied).toHaveLength(1);
  });
});
