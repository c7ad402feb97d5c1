import { z } from 'zod';

/** The two legal frameworks: CJA 2003 ss.325-327 (England and Wales) and the 2005 Act ss.10-11 (Scotland). */
export const Jurisdiction = z.enum(['england-wales', 'scotland']);
export type Jurisdiction = z.infer<typeof Jurisdiction>;

/** Management level. Level is not risk: a Level 1 case can be High RoSH. */
export const Level = z.literal([1, 2, 3]);
export type Level = z.infer<typeof Level>;

/**
 * MAPPA category. E&W uses cat1-cat4. Scotland uses cat1 (RSOs), restricted_patient (mentally
 * disordered restricted patients) and cat3 (ORoSH); Scotland's cat2 exists in law but is not in use.
 */
export const Category = z.enum(['cat1', 'cat2', 'cat3', 'cat4', 'restricted_patient']);
export type Category = z.infer<typeof Category>;

/** OASys Risk of Serious Harm levels. */
export const RoshLevel = z.enum(['LOW', 'MEDIUM', 'HIGH', 'VERY_HIGH']);
export type RoshLevel = z.infer<typeof RoshLevel>;

/** Government Security Classification marking carried by every MAPPA document. */
export const ProtectiveMarking = z.enum(['OFFICIAL', 'OFFICIAL-SENSITIVE']);
export type ProtectiveMarking = z.infer<typeof ProtectiveMarking>;
/** MAPPA documents are OFFICIAL-SENSITIVE unless someone deliberately says otherwise. */
export const documentMarking = ProtectiveMarking.default('OFFICIAL-SENSITIVE');

/** Opaque record id (the store chooses the format). */
export const Id = z.string().trim().min(1).max(128);
/** Microsoft Entra object id of a user, the stable identity Teams gives us. */
export const AadObjectId = z.string().trim().min(1).max(64);
export const TenantId = z.string().trim().min(1).max(64);
/** Short slug such as 'police' or 'probation', unique within an area. */
export const AgencyId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case slug');

/** Optimistic-concurrency counter: the store increments it on every write; the domain never does. */
export const Version = z.number().int().nonnegative();

/** Someone acting in the bot, as recorded in history and audit. */
export const Actor = z.object({ aadObjectId: AadObjectId, displayName: z.string().trim().min(1).max(200) });
export type Actor = z.infer<typeof Actor>;

/** A person who may not (yet) be a Teams user, e.g. an invited officer from another force. */
export const PersonRef = z.object({ name: z.string().trim().min(1).max(200), aadObjectId: AadObjectId.optional() });
export type PersonRef = z.infer<typeof PersonRef>;

/**
 * Marks a schema whose value comes from ViSOR or police-only intelligence. The registry is the
 * schema-side half of `POLICE_ONLY_FIELDS`; a unit test checks the two agree.
 */
export const policeOnlyRegistry = z.registry<{ source: 'visor' | 'police_intelligence' }>();

/** Non-empty trimmed free text. */
export const Text = z.string().trim().min(1).max(10_000);
