import { z } from 'zod';
import { AgencyUpdate } from '../../../src/domain/agency-update.schema';
import { policeOnlyRegistry } from '../../../src/domain/common.schema';
import { Minutes } from '../../../src/domain/minutes.schema';
import {
  POLICE_ONLY_FIELDS,
  redactForReader,
  withheldFields,
  type PoliceOnlyEntity,
} from '../../../src/domain/police-only';
import { Referral } from '../../../src/domain/referral.schema';
import { Subject } from '../../../src/domain/subject.schema';
import { aReferral } from '../../fixtures/domain-builders';

const SCHEMAS: Record<PoliceOnlyEntity, z.ZodType> = {
  subject: Subject,
  referral: Referral,
  agencyUpdate: AgencyUpdate,
  minutes: Minutes,
};

// Follows a dot path through objects, unwrapping optional/default/prefault wrappers.
const unwrap = (s: z.ZodType): z.ZodType => {
  let cur = s;
  while (
    cur instanceof z.ZodOptional ||
    cur instanceof z.ZodDefault ||
    cur instanceof z.ZodPrefault ||
    cur instanceof z.ZodNullable
  )
    cur = cur.unwrap() as z.ZodType;
  return cur;
};
function schemaAt(schema: z.ZodType, path: string): z.ZodType | undefined {
  let cur: z.ZodType | undefined = schema;
  for (const key of path.split('.')) {
    const u: z.ZodType | undefined = cur && unwrap(cur);
    cur = u instanceof z.ZodObject ? (u.shape as Record<string, z.ZodType>)[key] : undefined;
  }
  return cur && unwrap(cur);
}

describe('POLICE_ONLY_FIELDS', () => {
  test.each(
    Object.entries(POLICE_ONLY_FIELDS).flatMap(([kind, paths]) =>
      paths.map((p) => [kind as PoliceOnlyEntity, p] as const),
    ),
  )('%s.%s exists in the schema and is registered as police-only', (kind, path) => {
    const s = schemaAt(SCHEMAS[kind], path);
    expect(s).toBeDefined();
    expect(policeOnlyRegistry.has(s!)).toBe(true);
  });
});

describe('redactForReader', () => {
  const referral = aReferral();

  test('ViSOR users see everything, unchanged', () => {
    expect(redactForReader('referral', referral, true)).toBe(referral);
  });

  test('other readers lose every police-only field and nothing else; the input is untouched', () => {
    const before = structuredClone(referral);
    const red = redactForReader('referral', referral, false);
    expect(referral).toEqual(before);
    expect(red.sections.subject?.identifiers?.visor).toBeUndefined();
    expect(red.sections.risk?.visorIntelligence).toBeUndefined();
    expect(red.sections.subject?.identifiers?.pnc).toBe('2001/0123456X');
    expect(red.sections.risk?.riskOfHarmFactors).toEqual(referral.sections.risk?.riskOfHarmFactors);
    expect(Referral.parse(red)).toEqual(red);
    expect(withheldFields('referral', referral)).toEqual([
      'sections.subject.identifiers.visor',
      'sections.risk.visorIntelligence',
    ]);
    expect(withheldFields('referral', red)).toEqual([]);
  });

  test('missing branches are left alone', () => {
    const sparse = aReferral({ sections: {} });
    expect(redactForReader('referral', sparse, false)).toEqual(sparse);
  });

  test.each<[PoliceOnlyEntity, Record<string, unknown>, string]>([
    [
      'subject',
      {
        id: 's',
        areaId: 'a',
        name: { given: 'Lee', family: 'Fictitious' },
        dateOfBirth: '1985-05-05',
        identifiers: { visor: 'V1', crn: 'X000001' },
        status: 'community',
        version: 0,
      },
      'identifiers.visor',
    ],
    [
      'agencyUpdate',
      {
        id: 'u',
        areaId: 'a',
        caseId: 'c',
        meetingId: 'm',
        agencyId: 'police',
        author: { aadObjectId: 'x', displayName: 'Kim Made' },
        kind: 'update',
        content: 'Compliant.',
        restrictedIntelligence: 'Intel',
        submittedAt: '2026-01-01T00:00:00Z',
        version: 0,
      },
      'restrictedIntelligence',
    ],
    [
      'minutes',
      {
        id: 'n',
        areaId: 'a',
        caseId: 'c',
        meetingId: 'm',
        status: 'draft',
        meetingDetails: { kind: 'initial', sequence: 1, date: '2026-01-01', category: 'cat1', level: 2 },
        riskAssessment: { roshSummary: 'High to known adult', restrictedIntelligence: 'Intel' },
        createdAt: '2026-01-01T00:00:00Z',
        version: 0,
      },
      'riskAssessment.restrictedIntelligence',
    ],
  ])('%s: removes %s', (kind, raw, path) => {
    const entity = SCHEMAS[kind].parse(raw) as never;
    const red = redactForReader(kind, entity, false);
    expect(withheldFields(kind, entity)).toEqual([path]);
    expect(withheldFields(kind, red)).toEqual([]);
    expect(SCHEMAS[kind].parse(red)).toEqual(red);
  });
});
