import { z } from 'zod';
import { Id, policeOnlyRegistry, Version } from './common.schema';
import { IsoDate } from './dates';

export const PersonName = z.object({
  given: z.string().trim().min(1).max(100),
  family: z.string().trim().min(1).max(100),
});
export type PersonName = z.infer<typeof PersonName>;

/** Reference numbers held in other systems. PNC and nDelius CRN have published formats; the rest vary. */
export const SubjectIdentifiers = z.object({
  pnc: z
    .string()
    .regex(/^\d{2,4}\/\d{1,7}[A-Z]$/i, 'PNC id like 2001/0123456X')
    .optional(),
  crn: z
    .string()
    .regex(/^[A-Z]\d{6}$/i, 'nDelius CRN like X123456')
    .optional(),
  visor: z.string().trim().min(1).max(40).register(policeOnlyRegistry, { source: 'visor' }).optional(),
  prisonNumber: z.string().trim().min(1).max(20).optional(),
  /** Scotland's Community Health Index number, used for restricted patients. */
  chi: z
    .string()
    .regex(/^\d{10}$/)
    .optional(),
});
export type SubjectIdentifiers = z.infer<typeof SubjectIdentifiers>;

export const SubjectStatus = z.enum(['custody', 'community', 'hospital']);
export type SubjectStatus = z.infer<typeof SubjectStatus>;

/** The person MAPPA manages. */
export const Subject = z.object({
  id: Id,
  areaId: Id,
  name: PersonName,
  /** Aliases and nicknames matter for gang-related cases, hence free text rather than a name shape. */
  aliases: z.array(z.string().trim().min(1).max(200)).default([]),
  dateOfBirth: IsoDate,
  gender: z.string().trim().max(50).optional(),
  /** Stated in words, not as a code (MAPPA A guidance). */
  ethnicity: z.string().trim().max(100).optional(),
  identifiers: SubjectIdentifiers.prefault({}),
  status: SubjectStatus,
  version: Version,
});
export type Subject = z.infer<typeof Subject>;
