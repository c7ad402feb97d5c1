import type { Member } from '../../domain/member.schema';
import type { Principal } from '../../domain/policy';

/** The one question identity needs answered by the member store. */
export interface MemberLookup {
  findMember(tenantId: string, aadObjectId: string): Promise<Member | null>;
}

export interface IdentityOptions {
  readonly areaId: string;
  readonly allowedTenantIds: readonly string[];
  readonly bootstrapAdminAadIds: readonly string[];
}

export type IdentityResult =
  | { readonly kind: 'principal'; readonly principal: Principal }
  | { readonly kind: 'foreign_tenant'; readonly tenantId: string | undefined }
  | { readonly kind: 'anonymous' };

/** Agency recorded for bootstrap admins before anyone has been enrolled properly. */
export const BOOTSTRAP_AGENCY_ID = 'mappa-unit';

/**
 * Resolves the caller from the ids Teams put on the activity — Entra object id and tenant id —
 * which the Bot Framework service vouches for. Display names and card data never decide who someone
 * is; the name Teams gives only labels a bootstrap admin who has no member record yet.
 */
export async function resolveCaller(
  ids: { tenantId: string | undefined; aadObjectId: string | undefined; displayName?: string | undefined },
  members: MemberLookup,
  opts: IdentityOptions,
): Promise<IdentityResult> {
  if (!ids.tenantId || !opts.allowedTenantIds.includes(ids.tenantId)) {
    return { kind: 'foreign_tenant', tenantId: ids.tenantId };
  }
  if (!ids.aadObjectId) return { kind: 'anonymous' };
  const found = await members.findMember(ids.tenantId, ids.aadObjectId);
  let member = found;
  if (opts.bootstrapAdminAadIds.includes(ids.aadObjectId)) {
    // Bootstrap admins are admins even before (or despite) their member record, so an area can
    // never be locked out of its own administration.
    member = found
      ? { ...found, active: true, roles: found.roles.includes('admin') ? found.roles : [...found.roles, 'admin'] }
      : {
          aadObjectId: ids.aadObjectId,
          tenantId: ids.tenantId,
          areaId: opts.areaId,
          // A label only, so records say who acted; the Entra id above is what identifies them.
          displayName: ids.displayName?.trim().slice(0, 200) || 'Bootstrap admin',
          agencyId: BOOTSTRAP_AGENCY_ID,
          roles: ['admin'],
          active: true,
          version: 0,
        };
  }
  return { kind: 'principal', principal: { tenantId: ids.tenantId, aadObjectId: ids.aadObjectId, member } };
}
