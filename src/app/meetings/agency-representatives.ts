import type { MemberRepository } from '../ports/member-repository.port';

export interface AgencyRepresentatives {
  /** The agency's name as the area calls it (its id if the area no longer lists it). */
  readonly agencyName: string;
  /** Entra object ids of its active enrolled members. */
  readonly aadObjectIds: ReadonlySet<string>;
}

/**
 * Who may speak for an agency at its turn: its active, enrolled members in the area. Ids only, for
 * matching against a Teams roster; nothing here is shown to anyone but the agency's name.
 */
export async function agencyRepresentatives(
  deps: { readonly members: Pick<MemberRepository, 'listMembers' | 'listAgencies'>; readonly areaId: string },
  agencyId: string,
): Promise<AgencyRepresentatives> {
  const [members, agencies] = await Promise.all([
    deps.members.listMembers(deps.areaId),
    deps.members.listAgencies(deps.areaId, { includeInactive: true }),
  ]);
  const agencyName = (agencies.ok ? agencies.value.find((a) => a.id === agencyId)?.name : undefined) ?? agencyId;
  return {
    agencyName,
    aadObjectIds: new Set(members.filter((m) => m.active && m.agencyId === agencyId).map((m) => m.aadObjectId)),
  };
}
