import type { Collection, Db, Filter } from 'mongodb';
import { z } from 'zod';
import type {
  AreaChanges,
  AuditLog,
  MemberChanges,
  MemberRepository,
  NewArea,
  NewMember,
  UpdateError,
  WriteContext,
} from '../app/ports';
import { Agency, Area, Id, Member, type Role } from '../domain';
import type { AppError } from '../lib/errors';
import { err, ok, type Result } from '../lib/result';
import type { CollectionSpec } from './mongo';
import {
  appendAudit,
  auditEventFor,
  changedFields,
  isDuplicateKeyError,
  mergeChanges,
  notFound,
  parseStored,
  stripUndefined,
  versionConflict,
  versionedUpdate,
  without,
  type StoredDocument,
} from './repository-support';

export const MEMBERS: CollectionSpec = {
  name: 'members',
  indexes: [
    { key: { tenantId: 1, aadObjectId: 1 }, name: 'members_tenant_aad_unique', unique: true },
    { key: { areaId: 1, active: 1, displayName: 1 }, name: 'members_area_active_name' },
  ],
};
export const AREAS: CollectionSpec = { name: 'areas', indexes: [{ key: { tenantId: 1 }, name: 'areas_tenant' }] };

/*
 * Members have no id of their own: Entra's object id is unique only within a tenant, so the
 * document id is the pair, and the unique index states the same rule to anyone reading the indexes.
 */
const MemberDoc = Member.extend({ _id: z.string() });
type MemberDoc = z.infer<typeof MemberDoc>;
const memberKey = (tenantId: string, aadObjectId: string): string => `${tenantId}/${aadObjectId}`;

function memberToDoc(m: Member): MemberDoc {
  const member = Member.parse(m);
  return MemberDoc.parse(stripUndefined({ _id: memberKey(member.tenantId, member.aadObjectId), ...member }));
}

function readMember(raw: unknown): MemberDoc {
  return parseStored(MemberDoc, raw, MEMBERS.name);
}

function memberFromDoc(raw: unknown): Member {
  return without(readMember(raw), '_id');
}

// Area carries cross-field refinements, which zod will not `.omit`; the stored shape is built from
// its fields and the domain schema re-checks the whole area on the way in and out.
const AreaDoc = z.object({ _id: Id, ...without(Area.shape, 'id') });
type AreaDoc = z.infer<typeof AreaDoc>;

function areaToDoc(a: Area): AreaDoc {
  const { id, ...rest } = Area.parse(a);
  return AreaDoc.parse(stripUndefined({ _id: id, ...rest }));
}

function readArea(raw: unknown): AreaDoc {
  return parseStored(AreaDoc, raw, AREAS.name);
}

function areaFromDoc(raw: unknown): Area {
  const { _id, ...rest } = readArea(raw);
  return parseStored(Area, { id: _id, ...rest }, AREAS.name);
}

export class MongoMemberRepository implements MemberRepository {
  private readonly members: Collection<StoredDocument>;
  private readonly areas: Collection<StoredDocument>;

  constructor(
    db: Db,
    private readonly audit: AuditLog,
  ) {
    this.members = db.collection(MEMBERS.name);
    this.areas = db.collection(AREAS.name);
  }

  async enrol(
    input: NewMember,
    ctx: WriteContext<'member.changed'>,
  ): Promise<Result<Member, AppError<'VERSION_CONFLICT'>>> {
    const member = Member.parse({ ...input, version: 0 });
    try {
      await this.members.insertOne(memberToDoc(member));
    } catch (error) {
      if (isDuplicateKeyError(error))
        return err(versionConflict('member', member.aadObjectId, { reason: 'already_enrolled' }));
      throw error;
    }
    await appendAudit(
      this.audit,
      this.memberEvent(ctx, member, { op: 'enrolled', agencyId: member.agencyId, roles: member.roles.join(',') }),
      true,
    );
    return ok(member);
  }

  async getMember(tenantId: string, aadObjectId: string): Promise<Result<Member, AppError<'NOT_FOUND'>>> {
    const raw = await this.members.findOne({ _id: memberKey(tenantId, aadObjectId) });
    return raw ? ok(memberFromDoc(raw)) : err(notFound('member', aadObjectId));
  }

  async listMembers(areaId: string, opts: { role?: Role; includeInactive?: boolean } = {}): Promise<Member[]> {
    const filter: Filter<StoredDocument> = { areaId };
    if (!opts.includeInactive) filter.active = true;
    if (opts.role) filter.roles = opts.role;
    const docs = await this.members.find(filter).sort({ displayName: 1 }).toArray();
    return docs.map(memberFromDoc);
  }

  async updateMember(
    tenantId: string,
    aadObjectId: string,
    expectedVersion: number,
    changes: MemberChanges,
    ctx: WriteContext<'member.changed'>,
  ): Promise<Result<Member, UpdateError>> {
    const result = await versionedUpdate({
      col: this.members,
      entity: 'member',
      id: memberKey(tenantId, aadObjectId),
      expectedVersion,
      read: readMember,
      next: (doc) => memberToDoc(mergeChanges(memberFromDoc(doc), changes, ['aadObjectId', 'tenantId', 'version'])),
    });
    if (!result.ok) return result;
    const member = memberFromDoc(result.value.doc);
    await appendAudit(
      this.audit,
      this.memberEvent(ctx, member, { op: 'updated', fields: changedFields(result.value), version: member.version }),
      true,
    );
    return ok(member);
  }

  async createArea(
    input: NewArea,
    ctx: WriteContext<'area.changed'>,
  ): Promise<Result<Area, AppError<'VERSION_CONFLICT'>>> {
    const area = Area.parse({ ...input, version: 0 });
    try {
      await this.areas.insertOne(areaToDoc(area));
    } catch (error) {
      if (isDuplicateKeyError(error)) return err(versionConflict('area', area.id, { reason: 'exists' }));
      throw error;
    }
    await appendAudit(
      this.audit,
      auditEventFor(ctx, 'area.changed', area.id, { type: 'area', id: area.id }, { op: 'created' }),
      true,
    );
    return ok(area);
  }

  async getArea(areaId: string): Promise<Result<Area, AppError<'NOT_FOUND'>>> {
    const raw = await this.areas.findOne({ _id: areaId });
    return raw ? ok(areaFromDoc(raw)) : err(notFound('area', areaId));
  }

  async listAreasForTenant(tenantId: string): Promise<Area[]> {
    const docs = await this.areas.find({ tenantId }).sort({ name: 1 }).toArray();
    return docs.map(areaFromDoc);
  }

  async updateArea(
    areaId: string,
    expectedVersion: number,
    changes: AreaChanges,
    ctx: WriteContext<'area.changed'>,
  ): Promise<Result<Area, UpdateError>> {
    return this.writeArea(
      areaId,
      expectedVersion,
      (area) => mergeChanges(area, changes, ['id', 'tenantId', 'version']),
      ctx,
      {
        op: 'updated',
      },
    );
  }

  async listAgencies(
    areaId: string,
    opts: { includeInactive?: boolean } = {},
  ): Promise<Result<Agency[], AppError<'NOT_FOUND'>>> {
    const area = await this.getArea(areaId);
    if (!area.ok) return area;
    return ok(area.value.agencies.filter((a) => opts.includeInactive || a.active));
  }

  /*
   * Agencies live inside the area document, and editing one array element in place needs positional
   * updates that not every backend supports; the whole list is rewritten under the area's version instead.
   */
  async putAgency(
    areaId: string,
    expectedVersion: number,
    agency: z.input<typeof Agency>,
    ctx: WriteContext<'area.changed'>,
  ): Promise<Result<Area, UpdateError>> {
    const parsed = Agency.parse(agency);
    return this.writeArea(
      areaId,
      expectedVersion,
      (area) => {
        const exists = area.agencies.some((a) => a.id === parsed.id);
        return {
          ...area,
          agencies: exists ? area.agencies.map((a) => (a.id === parsed.id ? parsed : a)) : [...area.agencies, parsed],
        };
      },
      ctx,
      { op: 'agency', agencyId: parsed.id },
    );
  }

  private async writeArea(
    areaId: string,
    expectedVersion: number,
    change: (area: Area) => Area,
    ctx: WriteContext<'area.changed'>,
    details: Record<string, string>,
  ): Promise<Result<Area, UpdateError>> {
    const result = await versionedUpdate({
      col: this.areas,
      entity: 'area',
      id: areaId,
      expectedVersion,
      read: readArea,
      next: (doc) => areaToDoc(change(areaFromDoc(doc))),
    });
    if (!result.ok) return result;
    const area = areaFromDoc(result.value.doc);
    await appendAudit(
      this.audit,
      auditEventFor(
        ctx,
        'area.changed',
        area.id,
        { type: 'area', id: area.id },
        { ...details, fields: changedFields(result.value), version: area.version },
      ),
      true,
    );
    return ok(area);
  }

  private memberEvent(ctx: WriteContext<'member.changed'>, member: Member, details: Record<string, string | number>) {
    return auditEventFor(ctx, 'member.changed', member.areaId, { type: 'member', id: member.aadObjectId }, details);
  }
}
