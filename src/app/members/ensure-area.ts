import { newArea, type Area } from '../../domain/area.schema';
import type { Jurisdiction } from '../../domain/common.schema';
import { BOOTSTRAP_AGENCY_ID } from './resolve-caller';
import type { MemberRepository } from '../ports/member-repository.port';
import { systemActor } from '../shared/actor';

/**
 * Makes sure the deployment's area exists, seeded from its jurisdiction's default agencies and
 * timescales, plus the MAPPA co-ordination unit (co-ordinators and admins belong to it, and it has
 * ViSOR access because co-ordinators work from ViSOR records). Existing areas are left as edited.
 */
export async function ensureArea(
  members: MemberRepository,
  cfg: { id: string; name: string; jurisdiction: Jurisdiction; tenantId: string },
): Promise<Area> {
  const existing = await members.getArea(cfg.id);
  if (existing.ok) return existing.value;
  const seeded = newArea(cfg);
  const area = {
    ...seeded,
    agencies: [
      {
        id: BOOTSTRAP_AGENCY_ID,
        name: 'MAPPA co-ordination unit',
        role: 'other' as const,
        visorAccess: true,
        active: true,
        // It co-ordinates cases but owns none, so it is never a lead agency (canLeadCases).
        canLead: false,
      },
      ...seeded.agencies,
    ],
  };
  const { version: _v, ...input } = area;
  const created = await members.createArea(input, { by: systemActor(cfg.tenantId), details: { change: 'seed' } });
  if (created.ok) return created.value;
  // Another instance seeded it at the same moment: use theirs.
  const again = await members.getArea(cfg.id);
  if (again.ok) return again.value;
  throw new Error(`Could not create or read area ${cfg.id}`);
}
