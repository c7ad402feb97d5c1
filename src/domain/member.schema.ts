import { z } from 'zod';
import { AadObjectId, AgencyId, Id, TenantId, Version } from './common.schema';

export const Role = z.enum(['admin', 'coordinator', 'chair', 'practitioner', 'viewer']);
export type Role = z.infer<typeof Role>;

/** A Teams user (Entra object id within a tenant) enrolled in an area, speaking for one agency. */
export const Member = z.object({
  aadObjectId: AadObjectId,
  tenantId: TenantId,
  areaId: Id,
  displayName: z.string().trim().min(1).max(200),
  agencyId: AgencyId,
  roles: z.array(Role).min(1),
  active: z.boolean().default(true),
  version: Version,
});
export type Member = z.infer<typeof Member>;
