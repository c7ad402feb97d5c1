import type { Area } from '../../domain/area.schema';
import type { MemberRepository } from '../ports/member-repository.port';

/**
 * The deployment's area. The composition root names it and it is seeded at start-up, before anyone
 * can be enrolled in it, so its absence is a deployment fault, never the caller's: it throws.
 */
export async function requireArea(members: Pick<MemberRepository, 'getArea'>, areaId: string): Promise<Area> {
  const area = await members.getArea(areaId);
  if (!area.ok) throw new Error(`Area ${areaId} is not configured`);
  return area.value;
}
