import { isDeepStrictEqual } from 'node:util';
import type { Collection } from 'mongodb';
import type { AuditLog, AuditEntityType, ErasureOutcome, RecordedAuditAction, WriteContext } from '../app/ports';
import type { AppError } from '../lib/errors';
import { err, ok, type Result } from '../lib/result';
import { appendAudit, auditEventFor, notFound, versionedUpdate, type StoredDocument } from './repository-support';

/*
 * Someone may be editing a record while an admin erases it (a practitioner closing an action). Each
 * retry re-reads and erases the newer version, so a concurrent edit cannot slip past erasure; only a
 * record changing on every attempt would exhaust these, which means something is wrong.
 */
const MAX_ERASE_ATTEMPTS = 5;

/**
 * Erases one document in a single write conditional on the version just read, then audits it with ids
 * only. `erase` maps a stored document to its erased form and must be idempotent: a document it leaves
 * unchanged is already erased, so nothing is written or audited and a rerun after a crash is harmless.
 */
export async function eraseDocument<D extends { _id: string; version: number; areaId: string }>(args: {
  col: Collection<StoredDocument>;
  audit: AuditLog;
  entity: AuditEntityType;
  id: string;
  read: (raw: unknown) => D;
  erase: (doc: D) => D;
  action: RecordedAuditAction;
  ctx: WriteContext;
}): Promise<Result<ErasureOutcome, AppError<'NOT_FOUND'>>> {
  for (let attempt = 1; attempt <= MAX_ERASE_ATTEMPTS; attempt++) {
    const raw = await args.col.findOne({ _id: args.id });
    if (!raw) return err(notFound(args.entity, args.id));
    const current = args.read(raw);
    if (isDeepStrictEqual(current, args.erase(current))) return ok({ erased: false });
    const written = await versionedUpdate({
      col: args.col,
      entity: args.entity,
      id: args.id,
      expectedVersion: current.version,
      read: args.read,
      next: args.erase,
    });
    if (written.ok) {
      await appendAudit(
        args.audit,
        auditEventFor(args.ctx, args.action, current.areaId, {
          type: args.entity,
          id: args.id,
        }),
        true,
      );
      return ok({ erased: true });
    }
    if (written.error.code === 'NOT_FOUND') return err(notFound(args.entity, args.id));
  }
  throw new Error(`Erasure of ${args.entity} ${args.id} lost ${MAX_ERASE_ATTEMPTS} races with other writers`);
}
