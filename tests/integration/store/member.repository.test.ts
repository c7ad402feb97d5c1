import type { NewArea } from '../../../src/app/ports';
import { unwrap } from '../../../src/lib/result';
import { aNewMember, anArea, aRequestActor, TENANT_ID } from '../../fixtures/builders';
import { openTestStore, type TestStore } from '../../support/store';

describe('MongoMemberRepository on the real server', () => {
  let store: TestStore;
  const by = aRequestActor();

  beforeAll(async () => {
    store = await openTestStore('members');
  });
  afterAll(() => store.close());

  it('enrols a member once per tenant and user, even when enrolled twice at once', async () => {
    const input = aNewMember({ aadObjectId: '00000000-0000-4000-8000-000000000101', areaId: 'area-enrol' });
    const results = await Promise.all([
      store.repos.members.enrol(input, { by }),
      store.repos.members.enrol(input, { by }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({
      ok: false,
      error: { code: 'VERSION_CONFLICT', meta: { reason: 'already_enrolled' } },
    });
    const member = unwrap(await store.repos.members.getMember(TENANT_ID, input.aadObjectId));
    expect(member).toEqual({ ...input, active: true, version: 0 });
    // The same Entra object id in another tenant is another person.
    expect((await store.repos.members.enrol({ ...input, tenantId: 'tenant-2' }, { by })).ok).toBe(true);
    expect(await store.repos.members.getMember('tenant-3', input.aadObjectId)).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const names = (await store.db.collection('members').indexes()).map((i) => i.name);
    expect(names).toContain('members_tenant_aad_unique');
  });

  it('lists an area by name, by role, and hides inactive members unless asked', async () => {
    const enrol = (
      n: number,
      displayName: string,
      roles: ('coordinator' | 'practitioner' | 'chair')[],
      active = true,
    ) =>
      store.repos.members.enrol(
        aNewMember({
          aadObjectId: `00000000-0000-4000-8000-00000000020${n}`,
          areaId: 'area-list',
          displayName,
          roles,
          active,
        }),
        { by },
      );
    await enrol(1, 'Zara Madeup', ['practitioner']);
    await enrol(2, 'Ash Fictional', ['coordinator', 'chair']);
    await enrol(3, 'Mo Pretend', ['practitioner'], false);
    expect((await store.repos.members.listMembers('area-list')).map((m) => m.displayName)).toEqual([
      'Ash Fictional',
      'Zara Madeup',
    ]);
    expect((await store.repos.members.listMembers('area-list', { role: 'chair' })).map((m) => m.displayName)).toEqual([
      'Ash Fictional',
    ]);
    expect(
      (await store.repos.members.listMembers('area-list', { includeInactive: true })).map((m) => m.displayName),
    ).toEqual(['Ash Fictional', 'Mo Pretend', 'Zara Madeup']);
  });

  it('updates a member under its version, audited as member.changed', async () => {
    const input = aNewMember({ aadObjectId: '00000000-0000-4000-8000-000000000301', areaId: 'area-update' });
    unwrap(await store.repos.members.enrol(input, { by }));
    const changed = unwrap(
      await store.repos.members.updateMember(
        TENANT_ID,
        input.aadObjectId,
        0,
        { roles: ['chair'], active: false },
        { by },
      ),
    );
    expect(changed).toMatchObject({ roles: ['chair'], active: false, version: 1 });
    expect(
      await store.repos.members.updateMember(TENANT_ID, input.aadObjectId, 0, { roles: ['viewer'] }, { by }),
    ).toMatchObject({
      ok: false,
      error: { code: 'VERSION_CONFLICT' },
    });
    expect(await store.repos.members.updateMember(TENANT_ID, 'nobody', 0, { roles: ['viewer'] }, { by })).toMatchObject(
      { ok: false, error: { code: 'NOT_FOUND' } },
    );
    const trail = await store.repos.audit.listForEntity('member', input.aadObjectId);
    expect(trail.map((e) => [e.action, e.details.op])).toEqual([
      ['member.changed', 'enrolled'],
      ['member.changed', 'updated'],
    ]);
  });

  it('creates an area once, edits its settings and agencies under its version', async () => {
    const area: NewArea = anArea('england-wales', { id: 'area-config' });
    const created = unwrap(await store.repos.members.createArea(area, { by }));
    expect(unwrap(await store.repos.members.getArea('area-config'))).toEqual(created);
    expect(await store.repos.members.createArea(area, { by })).toMatchObject({
      ok: false,
      error: { code: 'VERSION_CONFLICT' },
    });
    expect((await store.repos.members.listAreasForTenant(TENANT_ID)).map((a) => a.id)).toEqual(['area-config']);

    const renamed = unwrap(
      await store.repos.members.updateArea('area-config', 0, { name: 'Test Shire MAPPA' }, { by }),
    );
    expect(renamed).toMatchObject({ name: 'Test Shire MAPPA', version: 1 });

    const added = unwrap(
      await store.repos.members.putAgency(
        'area-config',
        1,
        { id: 'local-charity', name: 'Testtown Outreach', role: 'other', visorAccess: false },
        { by },
      ),
    );
    expect(added.agencies.at(-1)).toEqual({
      id: 'local-charity',
      name: 'Testtown Outreach',
      role: 'other',
      visorAccess: false,
      active: true,
    });
    const retired = unwrap(
      await store.repos.members.putAgency(
        'area-config',
        2,
        { id: 'local-charity', name: 'Testtown Outreach', role: 'other', visorAccess: false, active: false },
        { by },
      ),
    );
    expect(retired.agencies.filter((a) => a.id === 'local-charity')).toHaveLength(1);
    expect(unwrap(await store.repos.members.listAgencies('area-config')).some((a) => a.id === 'local-charity')).toBe(
      false,
    );
    expect(
      unwrap(await store.repos.members.listAgencies('area-config', { includeInactive: true })).some(
        (a) => a.id === 'local-charity',
      ),
    ).toBe(true);
    expect(
      await store.repos.members.putAgency(
        'area-config',
        2,
        { id: 'x', name: 'Late', role: 'other', visorAccess: false },
        { by },
      ),
    ).toMatchObject({
      ok: false,
      error: { code: 'VERSION_CONFLICT' },
    });
    expect(await store.repos.members.listAgencies('area-missing')).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect((await store.repos.audit.listForEntity('area', 'area-config')).map((e) => e.details.op)).toEqual([
      'created',
      'updated',
      'agency',
      'agency',
    ]);
  });
});
