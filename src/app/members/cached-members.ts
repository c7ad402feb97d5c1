import { plainCopy } from '../../lib/plain-copy';
import type { Area, Member } from '../../domain';
import type { AppError } from '../../lib/errors';
import { ok, type Result } from '../../lib/result';
import { TtlCache } from '../../lib/ttl-cache';
import type { Clock } from '../ports/clock.port';
import type { MemberRepository } from '../ports/member-repository.port';

export interface MemberCacheOptions {
  /** How long a member record or area is reused: the longest a change made elsewhere goes unseen. */
  readonly ttlMs: number;
  readonly maxEntries: number;
  readonly clock: Clock;
}

/**
 * The member store with each member record (found or not), each area and each area's roster reused for
 * `ttlMs`, so a turn does not read them again when the previous turn just did. Every write through this wrapper
 * forgets what it touches, so changes made through this instance apply at once; a change made on
 * another instance, or in the database, applies within `ttlMs`. Callers get copies.
 */
export function cachedMemberRepository(inner: MemberRepository, opts: MemberCacheOptions): MemberRepository {
  const now = () => opts.clock.now().getTime();
  const members = new TtlCache<Result<Member, AppError<'NOT_FOUND'>>>({ ...opts, now });
  const areas = new TtlCache<Result<Area, AppError<'NOT_FOUND'>>>({ ...opts, now });
  // An area's roster (per filter); any member write through this instance forgets every roster.
  const rosters = new TtlCache<Member[]>({ ...opts, now });
  // A read that started before a write finished must not store what it read over the write.
  let generation = 0;
  const memberKey = (tenantId: string, aadObjectId: string) => `${tenantId}/${aadObjectId}`;

  async function cached<T>(
    cache: TtlCache<Result<T, AppError<'NOT_FOUND'>>>,
    key: string,
    read: () => Promise<Result<T, AppError<'NOT_FOUND'>>>,
    keepMissing: boolean,
  ): Promise<Result<T, AppError<'NOT_FOUND'>>> {
    const hit = cache.get(key);
    if (hit) return plainCopy(hit);
    const started = generation;
    const fresh = await read();
    if (started === generation && (fresh.ok || keepMissing)) cache.set(key, plainCopy(fresh));
    return fresh;
  }

  const forgetMember = (tenantId: string, aadObjectId: string) => {
    generation += 1;
    members.delete(memberKey(tenantId, aadObjectId));
    rosters.clear();
  };
  const forgetArea = (areaId: string) => {
    generation += 1;
    areas.delete(areaId);
  };
  /** Forgets before and after: a write that fails (a version conflict) means what we hold is stale. */
  async function writing<T>(forget: () => void, write: () => Promise<T>): Promise<T> {
    forget();
    try {
      return await write();
    } finally {
      forget();
    }
  }

  return {
    getMember: (tenantId, aadObjectId) =>
      // Not-enrolled is kept too: refusing an unenrolled user then costs no database read.
      cached(members, memberKey(tenantId, aadObjectId), () => inner.getMember(tenantId, aadObjectId), true),
    getArea: (areaId) => cached(areas, areaId, () => inner.getArea(areaId), false),
    enrol: (member, ctx) =>
      writing(
        () => forgetMember(member.tenantId, member.aadObjectId),
        () => inner.enrol(member, ctx),
      ),
    updateMember: (tenantId, aadObjectId, expectedVersion, changes, ctx) =>
      writing(
        () => forgetMember(tenantId, aadObjectId),
        () => inner.updateMember(tenantId, aadObjectId, expectedVersion, changes, ctx),
      ),
    createArea: (area, ctx) =>
      writing(
        () => forgetArea(area.id),
        () => inner.createArea(area, ctx),
      ),
    updateArea: (areaId, expectedVersion, changes, ctx) =>
      writing(
        () => forgetArea(areaId),
        () => inner.updateArea(areaId, expectedVersion, changes, ctx),
      ),
    putAgency: (areaId, expectedVersion, agency, ctx) =>
      writing(
        () => forgetArea(areaId),
        () => inner.putAgency(areaId, expectedVersion, agency, ctx),
      ),
    listMembers: async (areaId, o = {}) => {
      const key = `${areaId}/${o.role ?? '*'}/${o.includeInactive ? 'all' : 'active'}`;
      const hit = rosters.get(key);
      if (hit) return plainCopy(hit);
      const started = generation;
      const fresh = await inner.listMembers(areaId, o);
      if (started === generation) rosters.set(key, plainCopy(fresh));
      return fresh;
    },
    listAreasForTenant: (tenantId) => inner.listAreasForTenant(tenantId),
    // The agencies live in the area document, so they come from the cached area (as the store does).
    listAgencies: async (areaId, o = {}) => {
      const area = await cached(areas, areaId, () => inner.getArea(areaId), false);
      return area.ok ? ok(area.value.agencies.filter((a) => o.includeInactive || a.active)) : area;
    },
  };
}
