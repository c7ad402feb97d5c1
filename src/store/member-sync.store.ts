import type { Collection, Db } from 'mongodb';
import type { MemberSyncPlan } from '../app/members';
import type { MemberRepository } from '../app/ports/member-repository.port';
import type { MemberSyncStore, SyncActor } from '../app/members';
import type { Member } from '../domain/member.schema';
import type { CollectionSpec } from './mongo';

export const MEMBER_SYNC: CollectionSpec = {
  name: 'memberSync',
  indexes: [{ key: { areaId: 1 }, name: 'member_sync_area' }],
};

interface SyncDoc {
  _id: string;
  areaId: string;
  aadObjectId: string;
  since: Date;
}

/**
 * The sync's view of members. Without multi-document transactions the plan is applied one
 * conditional member write at a time; a run that stops part-way is completed by the next run,
 * which plans again from what is stored (each step is idempotent), so nothing is lost or doubled.
 */
export class MongoMemberSyncStore implements MemberSyncStore {
  private readonly col: Collection<SyncDoc>;
  constructor(
    db: Db,
    private readonly members: MemberRepository,
  ) {
    this.col = db.collection<SyncDoc>(MEMBER_SYNC.name);
  }

  listAll(areaId: string): Promise<Member[]> {
    return this.members.listMembers(areaId, { includeInactive: true });
  }

  async managedBySync(areaId: string): Promise<Set<string>> {
    const docs = await this.col.find({ areaId }).toArray();
    return new Set(docs.map((d) => d.aadObjectId));
  }

  async apply(plan: MemberSyncPlan, actor: SyncActor): Promise<void> {
    const ctx = { by: actor, details: { change: 'group_sync' } };
    for (const m of plan.add) {
      // Marked as sync-managed first: if the enrolment then fails, the next run enrols it again.
      await this.col.updateOne(
        { _id: `${m.tenantId}:${m.aadObjectId}` },
        { $setOnInsert: { areaId: m.areaId, aadObjectId: m.aadObjectId, since: new Date() } },
        { upsert: true },
      );
      const { version: _v, ...input } = m;
      const res = await this.members.enrol(input, ctx);
      if (!res.ok && res.error.code !== 'VERSION_CONFLICT') throw new Error(`enrolment failed: ${res.error.code}`);
    }
    for (const { before, after } of plan.update) {
      await this.members.updateMember(
        before.tenantId,
        before.aadObjectId,
        before.version,
        {
          displayName: after.displayName,
          roles: after.roles,
          agencyId: after.agencyId,
          active: after.active,
        },
        ctx,
      );
    }
    for (const m of plan.deactivate) {
      await this.members.updateMember(m.tenantId, m.aadObjectId, m.version, { active: false }, ctx);
    }
  }
}
