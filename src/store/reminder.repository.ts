import type { Collection, Db } from 'mongodb';
import { z } from 'zod';
import type { ClaimedReminder, ReminderPlan, ReminderRepository } from '../app/ports/reminder-repository.port';
import { Reminder, type ReminderSend } from '../domain/reminders';
import type { Clock } from '../app/ports/clock.port';
import type { CollectionSpec } from './mongo';
import { parseStored } from './repository-support';
import { notHeld } from './transfer-hold';

export const REMINDERS: CollectionSpec = {
  name: 'reminders',
  indexes: [
    // The due query: scheduled reminders by next time, so its cost follows the number due.
    { key: { status: 1, nextAt: 1 }, name: 'reminders_status_next' },
    { key: { areaId: 1, lastSentAt: -1 }, name: 'reminders_area_sent' },
  ],
};

// Instants are BSON dates in the store so `nextAt` compares and sorts as time, not text.
const ReminderDoc = Reminder.omit({
  id: true,
  nextAt: true,
  lastSentAt: true,
  escalatedAt: true,
  closesAt: true,
  updatedAt: true,
}).extend({
  _id: z.string(),
  nextAt: z.date(),
  lastSentAt: z.date().nullable().default(null),
  escalatedAt: z.date().nullable().default(null),
  closesAt: z.date().nullable().default(null),
  updatedAt: z.date(),
});
type ReminderDoc = z.infer<typeof ReminderDoc>;

/** Sends kept on the record: enough for `reminders` and the fault-injection count, bounded in size. */
const KEEP_SENDS = 50;

function fromDoc(raw: unknown): Reminder {
  const d = parseStored(ReminderDoc, raw, REMINDERS.name);
  const { _id, nextAt, lastSentAt, escalatedAt, closesAt, updatedAt, ...rest } = d;
  return Reminder.parse({
    ...rest,
    id: _id,
    nextAt: nextAt.toISOString(),
    lastSentAt: lastSentAt?.toISOString() ?? null,
    escalatedAt: escalatedAt?.toISOString() ?? null,
    closesAt: closesAt?.toISOString() ?? null,
    updatedAt: updatedAt.toISOString(),
  });
}

export class MongoReminderRepository implements ReminderRepository {
  private readonly col: Collection<ReminderDoc>;
  constructor(
    db: Db,
    private readonly clock: Clock,
  ) {
    this.col = db.collection<ReminderDoc>(REMINDERS.name);
  }

  async schedule(plan: ReminderPlan): Promise<void> {
    const { id, nextAt, rearm, closesAt, ...fields } = plan;
    await this.col.updateOne(
      { _id: id },
      {
        $set: {
          ...fields,
          status: 'scheduled',
          nextAt: new Date(nextAt),
          closesAt: closesAt ? new Date(closesAt) : null,
          claimToken: null,
          updatedAt: this.clock.now(),
          ...(rearm ? { escalatedAt: null } : {}),
        },
        $setOnInsert: {
          lastSentAt: null,
          ...(rearm ? {} : { escalatedAt: null }),
          sends: [],
          undelivered: 0,
          unreached: [],
        },
      },
      { upsert: true },
    );
  }

  async get(id: string): Promise<Reminder | null> {
    const raw = await this.col.findOne({ _id: id });
    return raw ? fromDoc(raw) : null;
  }

  async close(id: string): Promise<void> {
    await this.col.updateOne(
      { _id: id },
      { $set: { status: 'closed', claimToken: null, updatedAt: this.clock.now() } },
    );
  }

  async claimDue(areaId: string, now: Date, leaseMs: number, token: string): Promise<ClaimedReminder | null> {
    const leaseEnd = new Date(now.getTime() + leaseMs);
    // The document before the claim: its nextAt is when the reminder fell due.
    const raw = await this.col.findOneAndUpdate(
      { status: 'scheduled', nextAt: { $lte: now }, areaId, ...notHeld },
      { $set: { nextAt: leaseEnd, claimToken: token, updatedAt: now } },
      { sort: { nextAt: 1 }, returnDocument: 'before' },
    );
    if (!raw) return null;
    const before = fromDoc(raw);
    return {
      ...before,
      nextAt: leaseEnd.toISOString(),
      updatedAt: now.toISOString(),
      claimToken: token,
      wasDueAt: before.nextAt,
    } as ClaimedReminder;
  }

  async recordSend(
    id: string,
    token: string,
    send: ReminderSend,
    next: { nextAt: string; escalatedAt: string | null; unreached?: readonly string[] },
  ): Promise<boolean> {
    const res = await this.col.updateOne(
      { _id: id, claimToken: token, status: 'scheduled' },
      {
        $set: {
          nextAt: new Date(next.nextAt),
          lastSentAt: new Date(send.at),
          escalatedAt: next.escalatedAt ? new Date(next.escalatedAt) : null,
          undelivered: send.undelivered,
          ...(next.unreached ? { unreached: [...next.unreached] } : {}),
          claimToken: null,
          updatedAt: this.clock.now(),
        },
        $push: { sends: { $each: [send], $slice: -KEEP_SENDS } },
      },
    );
    return res.modifiedCount === 1;
  }

  async listUpcoming(areaId: string, until: Date, limit: number): Promise<Reminder[]> {
    const docs = await this.col
      .find({ status: 'scheduled', nextAt: { $lte: until }, areaId, ...notHeld })
      .sort({ nextAt: 1 })
      .limit(limit)
      .toArray();
    return docs.map(fromDoc);
  }

  async listOpenDeadlines(areaId: string, today: string, limit: number): Promise<Reminder[]> {
    const docs = await this.col
      .find({ status: 'scheduled', areaId, kind: { $ne: 'action' }, due: { $lt: today }, ...notHeld })
      .sort({ due: 1 })
      .limit(limit)
      .toArray();
    return docs.map(fromDoc);
  }

  async listSentSince(areaId: string, since: Date, limit: number): Promise<Reminder[]> {
    const docs = await this.col
      .find({ areaId, lastSentAt: { $gte: since } })
      .sort({ lastSentAt: -1 })
      .limit(limit)
      .toArray();
    return docs.map(fromDoc);
  }

  async listUndelivered(areaId: string, limit: number): Promise<Reminder[]> {
    const docs = await this.col
      .find({ areaId, status: 'scheduled', undelivered: { $gt: 0 } })
      .sort({ lastSentAt: -1 })
      .limit(limit)
      .toArray();
    return docs.map(fromDoc);
  }
}
