import type { z } from 'zod';
import type { Agency, Area, Member, Role } from '../../domain';
import type { AppError } from '../../lib/errors';
import type { Result } from '../../lib/result';
import type { Changes, UpdateError, WriteContext } from './write-context.port';

export type NewMember = Omit<z.input<typeof Member>, 'version'>;
export type MemberChanges = Changes<Member, 'aadObjectId' | 'tenantId'>;
export type NewArea = Omit<z.input<typeof Area>, 'version'>;
export type AreaChanges = Changes<Area, 'id' | 'tenantId'>;

/**
 * Who may use the bot and how each area is configured: members (one per Entra user per tenant),
 * areas, and the agencies each area lists. All writes are audited as 'member.changed' or 'area.changed'.
 */
export interface MemberRepository {
  /** Enrols a user; a second enrolment of the same (tenant, user) gets VERSION_CONFLICT. */
  enrol(member: NewMember, ctx: WriteContext<'member.changed'>): Promise<Result<Member, AppError<'VERSION_CONFLICT'>>>;
  getMember(tenantId: string, aadObjectId: string): Promise<Result<Member, AppError<'NOT_FOUND'>>>;
  /** Members of an area by display name, optionally only those holding a role; active ones unless asked. */
  listMembers(areaId: string, opts?: { role?: Role; includeInactive?: boolean }): Promise<Member[]>;
  updateMember(
    tenantId: string,
    aadObjectId: string,
    expectedVersion: number,
    changes: MemberChanges,
    ctx: WriteContext<'member.changed'>,
  ): Promise<Result<Member, UpdateError>>;

  /** Creates an area's configuration; an existing id gets VERSION_CONFLICT. */
  createArea(area: NewArea, ctx: WriteContext<'area.changed'>): Promise<Result<Area, AppError<'VERSION_CONFLICT'>>>;
  getArea(areaId: string): Promise<Result<Area, AppError<'NOT_FOUND'>>>;
  listAreasForTenant(tenantId: string): Promise<Area[]>;
  updateArea(
    areaId: string,
    expectedVersion: number,
    changes: AreaChanges,
    ctx: WriteContext<'area.changed'>,
  ): Promise<Result<Area, UpdateError>>;

  listAgencies(areaId: string, opts?: { includeInactive?: boolean }): Promise<Result<Agency[], AppError<'NOT_FOUND'>>>;
  /** Adds the agency, or replaces the one with the same id, in the area's list (a versioned area write). */
  putAgency(
    areaId: string,
    expectedVersion: number,
    agency: z.input<typeof Agency>,
    ctx: WriteContext<'area.changed'>,
  ): Promise<Result<Area, UpdateError>>;
}
