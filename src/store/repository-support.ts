import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Collection, Document } from 'mongodb';
import type { z } from 'zod';
import {
  AuditWriteError,
  type AuditAppend,
  type AuditDetails,
  type AuditEntityType,
  type AuditLog,
  type RecordedAuditAction,
  type WriteContext,
} from '../app/ports';
import { appError, type AppError } from '../lib/errors';
import { err, ok, type Result } from '../lib/result';

/** Store-assigned ids: random, so they reveal nothing about the record or its order. */
export function newId(): string {
  return randomUUID();
}

/** Inserts report unique-index violations as 11000 on MongoDB, Cosmos DB and FerretDB alike. */
export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}

/**
 * A stored document that no longer matches its schema: data corruption or a missed migration, so a
 * bug to fix rather than an expected failure. The message names the paths at fault, never the values.
 */
export class CorruptDocumentError extends Error {
  constructor(
    readonly collection: string,
    readonly documentId: string,
    issues: readonly { path: readonly PropertyKey[] }[],
  ) {
    super(
      `Stored ${collection} document ${documentId} does not match its schema at ${issues.map((i) => i.path.join('.') || '(root)').join(', ')}`,
    );
    this.name = 'CorruptDocumentError';
  }
}

/** Validates a document read from MongoDB. */
export function parseStored<S extends z.ZodType>(schema: S, raw: unknown, collection: string): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const id = typeof raw === 'object' && raw !== null ? String((raw as { _id?: unknown })._id) : '?';
  throw new CorruptDocumentError(collection, id, result.error.issues);
}

/**
 * Drops undefined members, recursively. The driver would otherwise store them as null, which the
 * schemas (rightly) refuse on the way back out; absent is how "not set" is stored.
 */
export function stripUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => stripUndefined(v)) as T;
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = stripUndefined(v);
  return out as T;
}

/** A copy of `obj` without `keys`: mappers use it to drop store-only fields on the way out. */
export function without<T extends object, K extends keyof T>(obj: T, ...keys: readonly K[]): Omit<T, K> {
  const copy: Partial<T> = { ...obj };
  for (const key of keys) delete copy[key];
  return copy as Omit<T, K>;
}

/**
 * `next` with identity and ownership fields copied from `current`, so a cast in a caller cannot move a
 * record to another area or rewind its version.
 */
export function keepFixed<T extends object>(next: T, current: T, fixed: readonly (keyof T)[]): T {
  const kept = { ...next };
  for (const key of fixed) kept[key] = current[key];
  return kept;
}

/** Applies a caller's partial changes to the current record, keeping its fixed fields. */
export function mergeChanges<T extends object>(current: T, changes: object, fixed: readonly (keyof T)[]): T {
  return keepFixed({ ...current, ...changes } as T, current, fixed);
}

export const notFound = (entity: string, id: string): AppError<'NOT_FOUND'> =>
  appError('NOT_FOUND', undefined, { entity, id });

export const versionConflict = (
  entity: string,
  id: string,
  meta: Record<string, string | number> = {},
): AppError<'VERSION_CONFLICT'> => appError('VERSION_CONFLICT', undefined, { entity, id, ...meta });

type StoredVersioned = { _id: string; version: number };

/**
 * Collections are typed loosely on purpose: every document is validated by its zod schema on the way
 * in and out, so the driver's generic type would only repeat (and could drift from) the schema.
 */
export type StoredDocument = Document & { _id: string };

/**
 * Builds the update that turns `current` into `next`: `$set` for changed fields, `$unset` for removed
 * ones, and always `$inc` on the version (the store owns it). Field-level rather than a replace, so
 * the write names exactly what changed.
 */
function diffUpdate(
  current: Record<string, unknown>,
  next: Record<string, unknown>,
): { update: Document; changed: string[] } {
  const $set: Record<string, unknown> = {};
  const $unset: Record<string, ''> = {};
  for (const key of new Set([...Object.keys(current), ...Object.keys(next)])) {
    if (key === '_id' || key === 'version') continue;
    if (next[key] === undefined) {
      if (current[key] !== undefined) $unset[key] = '';
    } else if (!isDeepStrictEqual(current[key], next[key])) {
      $set[key] = next[key];
    }
  }
  const update: Document = { $inc: { version: 1 } };
  if (Object.keys($set).length > 0) update.$set = $set;
  if (Object.keys($unset).length > 0) update.$unset = $unset;
  return { update, changed: [...Object.keys($set), ...Object.keys($unset)] };
}

/** Names of the top-level fields an update wrote: safe audit detail (no values). */
export function changedFields(written: { readonly changed: readonly string[] }): string {
  return [...written.changed].sort().join(',').slice(0, 200);
}

/**
 * Optimistic-concurrency update: read, check the version, build the next document (validated by the
 * caller's mapper), then write with a filter on `{ _id, version }` plus any state `condition`. A null
 * result means someone else wrote first, and a re-read says whether the record is gone (NOT_FOUND),
 * moved on (VERSION_CONFLICT) or in a state that refuses the change (`refuse`).
 */
export async function versionedUpdate<D extends StoredVersioned, E extends AppError = never>(args: {
  col: Collection<StoredDocument>;
  entity: string;
  id: string;
  expectedVersion: number;
  read: (raw: unknown) => D;
  next: (current: D) => D;
  condition?: Document;
  refuse?: (current: D) => E | null;
}): Promise<Result<{ doc: D; changed: string[] }, AppError<'NOT_FOUND' | 'VERSION_CONFLICT'> | E>> {
  const classify = (raw: Document | null): AppError<'NOT_FOUND' | 'VERSION_CONFLICT'> | E => {
    if (!raw) return notFound(args.entity, args.id);
    const current = args.read(raw);
    if (current.version !== args.expectedVersion) {
      return versionConflict(args.entity, args.id, {
        expectedVersion: args.expectedVersion,
        currentVersion: current.version,
      });
    }
    return args.refuse?.(current) ?? versionConflict(args.entity, args.id, { expectedVersion: args.expectedVersion });
  };
  const raw = await args.col.findOne({ _id: args.id });
  if (!raw) return err(notFound(args.entity, args.id));
  const current = args.read(raw);
  if (current.version !== args.expectedVersion) return err(classify(raw));
  const refusal = args.refuse?.(current);
  if (refusal) return err(refusal);
  const { update, changed } = diffUpdate(
    current as Record<string, unknown>,
    args.next(current) as Record<string, unknown>,
  );
  const written = await args.col.findOneAndUpdate(
    { ...args.condition, _id: args.id, version: args.expectedVersion },
    update,
    { returnDocument: 'after' },
  );
  if (written) return ok({ doc: args.read(written), changed });
  return err(classify(await args.col.findOne({ _id: args.id })));
}

/**
 * After a conditional state transition matched nothing, says why: gone, moved on since the caller
 * read it, already in a final state, or in a state the transition does not start from.
 */
export async function classifyTransitionMiss<D extends StoredVersioned & { status: string }>(args: {
  col: Collection<StoredDocument>;
  entity: string;
  id: string;
  read: (raw: unknown) => D;
  decided: readonly string[];
  expectedVersion?: number;
}): Promise<AppError<'NOT_FOUND' | 'VERSION_CONFLICT' | 'ALREADY_DECIDED' | 'ILLEGAL_TRANSITION'>> {
  const raw = await args.col.findOne({ _id: args.id });
  if (!raw) return notFound(args.entity, args.id);
  const current = args.read(raw);
  if (args.decided.includes(current.status)) {
    return appError('ALREADY_DECIDED', undefined, { entity: args.entity, id: args.id, status: current.status });
  }
  if (args.expectedVersion !== undefined && current.version !== args.expectedVersion) {
    return versionConflict(args.entity, args.id, {
      expectedVersion: args.expectedVersion,
      currentVersion: current.version,
    });
  }
  return appError('ILLEGAL_TRANSITION', undefined, { entity: args.entity, id: args.id, status: current.status });
}

/** The audit event for a write or read done on behalf of `ctx.by`. */
export function auditEventFor<A extends RecordedAuditAction>(
  ctx: WriteContext<A>,
  fallback: A,
  areaId: string,
  entity: { type: AuditEntityType; id: string },
  details: AuditDetails = {},
): AuditAppend {
  return {
    tenantId: ctx.by.tenantId,
    areaId,
    actorAadObjectId: ctx.by.aadObjectId,
    action: ctx.action ?? fallback,
    entity,
    outcome: 'success',
    details: { ...details, ...ctx.details },
  };
}

/**
 * Appends in the same code path as the write it describes. A failure is never swallowed: it comes
 * back as AuditWriteError saying whether the write itself stands.
 */
export async function appendAudit(audit: AuditLog, event: AuditAppend, entityWritten: boolean): Promise<void> {
  try {
    await audit.append(event);
  } catch (cause) {
    throw new AuditWriteError(event.action, event.entity, entityWritten, { cause });
  }
}

/**
 * The tail of every versioned `update`: audit the write (which fields changed, the new version, plus
 * `extra` ids or codes) in the same code path, and hand back the record. Failures pass through.
 */
export async function auditUpdated<D, R extends { areaId: string; version: number }, A extends RecordedAuditAction, E>(
  audit: AuditLog,
  ctx: WriteContext<A>,
  action: A,
  entity: { type: AuditEntityType; id: string },
  result: Result<{ doc: D; changed: string[] }, E>,
  toRecord: (doc: D) => R,
  extra: (record: R) => AuditDetails = () => ({}),
): Promise<Result<R, E>> {
  if (!result.ok) return result;
  const record = toRecord(result.value.doc);
  await appendAudit(
    audit,
    auditEventFor(ctx, action, record.areaId, entity, {
      ...extra(record),
      fields: changedFields(result.value),
      version: record.version,
    }),
    true,
  );
  return ok(record);
}

/**
 * Mappers between an entity and its stored document for the common shape: `id` becomes `_id` and one
 * ISO instant (the field the store sorts and filters on) becomes a BSON date. Both directions are
 * validated: the entity by its domain schema, the document by the stored schema.
 */
export function instantMapper<R extends { id: string }, D extends StoredDocument>(
  record: z.ZodType<R>,
  doc: z.ZodType<D>,
  collection: string,
  instant: keyof R & keyof D & string,
): { toDoc(entity: R): D; readDoc(raw: unknown): D; fromDoc(raw: unknown): R } {
  const readDoc = (raw: unknown): D => parseStored(doc, raw, collection);
  return {
    toDoc: (entity) => {
      const { id, ...rest } = record.parse(entity) as R & Record<string, unknown>;
      return doc.parse(stripUndefined({ ...rest, _id: id, [instant]: toDate(rest[instant] as string) }));
    },
    readDoc,
    fromDoc: (raw) => {
      const { _id, ...rest } = readDoc(raw) as D & Record<string, unknown>;
      return { ...rest, id: _id, [instant]: fromDate(rest[instant] as Date) } as unknown as R;
    },
  };
}

/** Instants the store sorts or filters on are BSON dates; embedded ones stay ISO strings as in the domain. */
export const toDate = (iso: string): Date => new Date(iso);
export const fromDate = (date: Date): string => date.toISOString();
