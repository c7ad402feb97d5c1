import type { AgencyUpdate } from './agency-update.schema';
import type { Minutes } from './minutes.schema';
import type { Referral } from './referral.schema';
import type { Subject } from './subject.schema';

/**
 * Field paths (dot-separated) holding ViSOR-sourced or police-only intelligence, per entity.
 * Duty to Co-operate agencies have no ViSOR access, so these are withheld from their members.
 * Each path's schema is also registered in `policeOnlyRegistry`; a unit test keeps the two in step.
 */
export const POLICE_ONLY_FIELDS = {
  subject: ['identifiers.visor'],
  referral: ['sections.subject.identifiers.visor', 'sections.risk.visorIntelligence'],
  agencyUpdate: ['restrictedIntelligence'],
  minutes: ['riskAssessment.restrictedIntelligence'],
} as const;

export interface PoliceOnlyEntities {
  subject: Subject;
  referral: Referral;
  agencyUpdate: AgencyUpdate;
  minutes: Minutes;
}
export type PoliceOnlyEntity = keyof typeof POLICE_ONLY_FIELDS;

type Json = Record<string, unknown>;

// Copies only the objects on the path, so the caller's entity is never mutated.
function omitPath(value: unknown, [head, ...rest]: readonly string[]): unknown {
  if (head === undefined || typeof value !== 'object' || value === null || !(head in value)) return value;
  const { [head]: child, ...others } = value as Json;
  return rest.length === 0 ? others : { ...others, [head]: omitPath(child, rest) };
}

/**
 * The entity as a reader may see it: unchanged for ViSOR users, otherwise with every police-only
 * field removed (removed rather than blanked, so the result still parses against its schema).
 */
export function redactForReader<K extends PoliceOnlyEntity>(
  kind: K,
  entity: PoliceOnlyEntities[K],
  readerHasVisorAccess: boolean,
): PoliceOnlyEntities[K] {
  if (readerHasVisorAccess) return entity;
  return POLICE_ONLY_FIELDS[kind].reduce<unknown>(
    (acc, path) => omitPath(acc, path.split('.')),
    entity,
  ) as PoliceOnlyEntities[K];
}

/** Which police-only fields are present (and so would be withheld), for the "some content withheld" notice and audit. */
export function withheldFields<K extends PoliceOnlyEntity>(kind: K, entity: PoliceOnlyEntities[K]): string[] {
  return POLICE_ONLY_FIELDS[kind].filter(
    (path) =>
      path
        .split('.')
        .reduce<unknown>((v, k) => (typeof v === 'object' && v !== null ? (v as Json)[k] : undefined), entity) !==
      undefined,
  );
}
