import { cachedMemberRepository } from '../../../src/app/members/cached-members';
import type { MemberRepository } from '../../../src/app/ports/member-repository.port';
import type { Area, Member } from '../../../src/domain';
import { err, ok } from '../../../src/lib/result';
import { aMember, anArea, aRequestActor, AREA_ID, TENANT_ID } from '../../fixtures/builders';

/** A member store in memory that counts its reads; a write "on another instance" is a direct edit of `rows`. */
function fakeStore() {
  const rows = new Map<string, Member>();
  const areas = new Map<string, Area>();
  const reads = { member: 0, area: 0, roster: 0 };
  let gate: Promise<void> | undefined;
  const key = (t: string, a: string) => `${t}/${a}`;
  const repo = {
    async getMember(tenantId: string, aadObjectId: string) {
      reads.member += 1;
      const found = rows.get(key(tenantId, aadObjectId));
      await gate;
      return found
        ? ok(structuredClone(found))
        : err({ code: 'NOT_FOUND' as const, message: 'not found', details: {} });
    },
    async listMembers(areaId: string, o: { includeInactive?: boolean } = {}) {
      reads.roster += 1;
      const found = [...rows.values()].filter((m) => m.areaId === areaId && (o.includeInactive || m.active));
      await gate;
      return structuredClone(found);
    },
    async getArea(areaId: string) {
      reads.area += 1;
      const found = areas.get(areaId);
      return found
        ? ok(structuredClone(found))
        : err({ code: 'NOT_FOUND' as const, message: 'not found', details: {} });
    },
    async updateMember(tenantId: string, aadObjectId: string, _v: number, changes: Partial<Member>) {
      const m = { ...rows.get(key(tenantId, aadObjectId))!, ...changes };
      rows.set(key(tenantId, aadObjectId), m);
      return ok(m);
    },
    async enrol(input: Member) {
      rows.set(key(input.tenantId, input.aadObjectId), input);
      return ok(input);
    },
    async putAgency(areaId: string) {
      const a = areas.get(areaId)!;
      const changed = { ...a, name: 'Renamed' };
      areas.set(areaId, changed);
      return ok(changed);
    },
  } as unknown as MemberRepository;
  return {
    repo,
    rows,
    areas,
    reads,
    key,
    hold: () => {
      let release!: () => void;
      gate = new Promise<void>((r) => (release = r));
      return () => {
        gate = undefined;
        release();
      };
    },
  };
}

describe('cached member repository (identity and area reused for a few seconds)', () => {
  let now = Date.parse('2026-03-02T09:00:00.000Z');
  const clock = { now: () => new Date(now) };
  const member = aMember({ tenantId: TENANT_ID, aadObjectId: 'oid-1', active: true });
  const ctx = { by: aRequestActor() } as never;

  function setup() {
    const store = fakeStore();
    store.rows.set(store.key(TENANT_ID, 'oid-1'), member);
    store.areas.set(AREA_ID, anArea());
    const cached = cachedMemberRepository(store.repo, { ttlMs: 10_000, maxEntries: 100, clock });
    return { store, cached };
  }

  it('reads a member once per expiry, however many turns ask', async () => {
    const { store, cached } = setup();
    for (let i = 0; i < 5; i++) expect((await cached.getMember(TENANT_ID, 'oid-1')).ok).toBe(true);
    expect(store.reads.member).toBe(1);
    now += 10_000;
    await cached.getMember(TENANT_ID, 'oid-1');
    expect(store.reads.member).toBe(2);
  });

  it('sees a removal made on another instance within the expiry', async () => {
    const { store, cached } = setup();
    await cached.getMember(TENANT_ID, 'oid-1');
    store.rows.set(store.key(TENANT_ID, 'oid-1'), { ...member, active: false });
    now += 10_000;
    const after = await cached.getMember(TENANT_ID, 'oid-1');
    expect(after.ok && after.value.active).toBe(false);
  });

  it('applies a change made through this instance at once', async () => {
    const { cached } = setup();
    await cached.getMember(TENANT_ID, 'oid-1');
    await cached.updateMember(TENANT_ID, 'oid-1', member.version, { active: false }, ctx);
    const after = await cached.getMember(TENANT_ID, 'oid-1');
    expect(after.ok && after.value.active).toBe(false);
  });

  it('does not put back a record read before a change that finished first', async () => {
    const { store, cached } = setup();
    const release = store.hold();
    const slowRead = cached.getMember(TENANT_ID, 'oid-1');
    await cached.updateMember(TENANT_ID, 'oid-1', member.version, { active: false }, ctx);
    release();
    await slowRead;
    const after = await cached.getMember(TENANT_ID, 'oid-1');
    expect(after.ok && after.value.active).toBe(false);
  });

  it('remembers that someone is not enrolled, until they are enrolled through this instance', async () => {
    const { store, cached } = setup();
    expect((await cached.getMember(TENANT_ID, 'oid-2')).ok).toBe(false);
    expect((await cached.getMember(TENANT_ID, 'oid-2')).ok).toBe(false);
    expect(store.reads.member).toBe(1);
    await cached.enrol({ ...member, aadObjectId: 'oid-2' }, ctx);
    expect((await cached.getMember(TENANT_ID, 'oid-2')).ok).toBe(true);
  });

  it("reuses an area's roster within the expiry, per filter, and forgets it when a member changes through this instance", async () => {
    const { store, cached } = setup();
    const areaId = member.areaId;
    for (let i = 0; i < 3; i++) expect((await cached.listMembers(areaId)).map((m) => m.aadObjectId)).toEqual(['oid-1']);
    expect(store.reads.roster).toBe(1);
    await cached.listMembers(areaId, { includeInactive: true });
    expect(store.reads.roster).toBe(2);
    await cached.updateMember(TENANT_ID, 'oid-1', member.version, { active: false }, ctx);
    expect(await cached.listMembers(areaId)).toEqual([]);
    await cached.enrol({ ...member, aadObjectId: 'oid-3' }, ctx);
    expect((await cached.listMembers(areaId)).map((m) => m.aadObjectId)).toEqual(['oid-3']);
    // A change made elsewhere shows once the expiry has passed.
    store.rows.set(store.key(TENANT_ID, 'oid-4'), { ...member, aadObjectId: 'oid-4' });
    expect(await cached.listMembers(areaId)).toHaveLength(1);
    now += 10_000;
    expect(await cached.listMembers(areaId)).toHaveLength(2);
  });

  it('does not put back a roster read before a member change that finished first', async () => {
    const { store, cached } = setup();
    const release = store.hold();
    const slowRead = cached.listMembers(member.areaId);
    await cached.updateMember(TENANT_ID, 'oid-1', member.version, { active: false }, ctx);
    release();
    await slowRead;
    expect(await cached.listMembers(member.areaId)).toEqual([]);
  });

  it('reads the area once per expiry and forgets it when this instance changes it', async () => {
    const { store, cached } = setup();
    await cached.getArea(AREA_ID);
    await cached.getArea(AREA_ID);
    expect(store.reads.area).toBe(1);
    await cached.putAgency(AREA_ID, 0, {} as never, ctx);
    const after = await cached.getArea(AREA_ID);
    expect(after.ok && after.value.name).toBe('Renamed');
  });

  it('lists agencies from the cached area: active ones unless asked', async () => {
    const { store, cached } = setup();
    const area = anArea();
    const retired = { ...area.agencies[0]!, id: 'retired-agency', active: false };
    store.areas.set(AREA_ID, { ...area, agencies: [...area.agencies, retired] });
    const active = await cached.listAgencies(AREA_ID);
    const all = await cached.listAgencies(AREA_ID, { includeInactive: true });
    expect(active.ok && active.value.map((a) => a.id)).not.toContain('retired-agency');
    expect(all.ok && all.value.map((a) => a.id)).toContain('retired-agency');
    await cached.getArea(AREA_ID);
    expect(store.reads.area).toBe(1);
    expect((await cached.listAgencies('no-such-area')).ok).toBe(false);
  });

  it('hands out copies, so a caller cannot change what the next turn sees', async () => {
    const { cached } = setup();
    const first = await cached.getMember(TENANT_ID, 'oid-1');
    if (first.ok) (first.value.roles as string[]).push('admin');
    const second = await cached.getMember(TENANT_ID, 'oid-1');
    expect(second.ok && second.value.roles).toEqual(member.roles);
  });

  it('with no expiry reads the store every time', async () => {
    const store = fakeStore();
    store.rows.set(store.key(TENANT_ID, 'oid-1'), member);
    const cached = cachedMemberRepository(store.repo, { ttlMs: 0, maxEntries: 100, clock });
    await cached.getMember(TENANT_ID, 'oid-1');
    await cached.getMember(TENANT_ID, 'oid-1');
    expect(store.reads.member).toBe(2);
  });
});
