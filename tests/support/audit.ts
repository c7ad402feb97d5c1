import type { Collection, Db, Document } from 'mongodb';

/**
 * The chained audit log once the app's sequencer has integrated everything queued. Appends return
 * before they are chained (the sequencer runs in the background), so a test that reads the log
 * collection directly after a turn waits for the queue to drain first.
 */
export async function chainedAuditEvents(db: Db, timeoutMs = 10_000): Promise<Collection<Document>> {
  const deadline = Date.now() + timeoutMs;
  while ((await db.collection('auditQueue').countDocuments({})) > 0) {
    if (Date.now() > deadline) throw new Error(`the audit queue was not integrated within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return db.collection('auditEvents');
}
