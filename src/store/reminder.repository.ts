import type { AnyBulkWriteOperation, Collection, Db, Filter, UpdateFilter, WithId } from 'mongodb';
import { z } from 'zod';
import type { ClaimedReminder, ReminderPlan, ReminderRepository } from '../app/ports/reminder-repository.port';
import { Reminder, type ReminderSend } from '../domain/reminders';
import type { Clock } from '../app/ports/clock.port';
import type { CollectionSpec } from './mongo';
import { isDuplicateKeyError, parseStored } from './repository-support';
import { notHeld } from './transfer-hold';

export const REMINDERS: CollectionSpec = {
  name: 'reminders',
  indexes: [
    // The due query, one hour slot at a time: equality on status, area and slot, then the range on
    // nextAt (equality before range), so what it reads follows the number due. Servers that answer
    // only equality from an index (FerretDB v1 on PostgreSQL) still read just the slot.
    { key: { status: 1, areaId: 1, dueSlot: 1, nextAt: 1 }, name: 'reminders_status_area_slot_next' },
    // "What is due to go out" (listUpcoming) reads by time across areas' slots.
    { key: { status: 1, nextAt: 1 }, name: 'reminders_status_next' },
    { key: { areaId: 1, lastSentAt: -1 }, name: 'reminders_area_sent' },
  ],
};

/** Per area, the due slot below which no scheduled reminder is due (the low-water mark). */
export const REMINDER_MARKS: CollectionSpec = { name: 'reminder_marks', indexes: [] };

const Slot = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}$/);
const MarkDoc = z.object({ _id: z.string(), slot: Slot });
type MarkDoc = z.infer<typeof MarkDoc>;

const HOUR_MS = 3_600_000;

/**
 * The UTC hour ('YYYY-MM-DDTHH') in which a reminder may next fire: that of the later of its nextAt
 * and the time of the write. So a reminder written at w is never in a slot before w's, which is what
 * lets a sweep that found a past slot empty trust it stays empty.
 */
export function dueSlotOf(nextAt: Date, writtenAt: Date): string {
  return slotOf(nextAt > writtenAt ? nextAt : writtenAt);
}

const slotOf = (at: Date): string => at.toISOString().slice(0, 13);
const slotStart = (slot: string): number => Date.parse(`${slot}:00:00.000Z`);
const slotAfter = (slot: string): string => slotOf(new Date(slotStart(slot) + HOUR_MS));

/**
 * How far behind now the mark stays: a write whose time was taken before a sweep began but which lands
 * after the sweep read that slot (a slow write, or another instance's clock running behind) is still
 * above the mark. Costs one extra, normally empty, slot read per claim.
 */
const MARK_LAG_MS = HOUR_MS;
/** Beyond this many empty slots to read one by one, one sorted query finds the next slot in use. */
const JUMP_AFTER_SLOTS = 24;
const SAFETY_NET_MS = HOUR_MS;

/** The sweep's filter for one slot: equality on status, area and slot, then due by time. */
export function dueFilter(areaId: string, slot: string, now: Date): Filter<ReminderDoc> {
  return { status: 'scheduled', areaId, dueSlot: slot, nextAt: { $lte: now }, ...notHeld };
}

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
  /** Absent on reminders stored before due slots existed, until an instance's first due query of the area sets it. */
  dueSlot: Slot.optional(),
  lastSentAt: z.date().nullable().default(null),
  escalatedAt: z.date().nullable().default(null),
  closesAt: z.date().nullable().default(null),
  updatedAt: z.date(),
});
type ReminderDoc = z.infer<typeof ReminderDoc>;
const SlotOnly = z.object({ dueSlot: Slot });
const Unslotted = z.object({ _id: z.string(), nextAt: z.date() });

/** Sends kept on the record: enough for `reminders` and the fault-injection count, bounded in size. */
const KEEP_SENDS = 50;

function fromDoc(raw: unknown): Reminder {
  const d = parseStored(ReminderDoc, raw, REMINDERS.name);
  const { _id, nextAt, lastSentAt, escalatedAt, closesAt, updatedAt, dueSlot: _slot, ...rest } = d;
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
  private readonly marks: Collection<MarkDoc>;
  /** Per area, this instance's one pass giving reminders stored without a due slot theirs. */
  private readonly backfills = new Map<string, Promise<void>>();
  /** When each area's safety net last came back empty here (ms). */
  private readonly lastNet = new Map<string, number>();
  constructor(
    db: Db,
    private readonly clock: Clock,
  ) {
    this.col = db.collection<ReminderDoc>(REMINDERS.name);
    this.marks = db.collection<MarkDoc>(REMINDER_MARKS.name);
  }

  async schedule(plan: ReminderPlan): Promise<void> {
    const { id, nextAt, rearm, closesAt, ...fields } = plan;
    const now = this.clock.now();
    const at = new Date(nextAt);
    await this.col.updateOne(
      { _id: id },
      {
        $set: {
          ...fields,
          status: 'scheduled',
          nextAt: at,
          dueSlot: dueSlotOf(at, now),
          closesAt: closesAt ? new Date(closesAt) : null,
          claimToken: null,
          updatedAt: now,
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
    const claim = { $set: { nextAt: leaseEnd, dueSlot: dueSlotOf(leaseEnd, now), claimToken: token, updatedAt: now } };
    // The document before the claim: its nextAt is when the reminder fell due.
    let raw = await this.eachDueSlot(areaId, now, async (slot) => {
      const doc = await this.col.findOneAndUpdate(dueFilter(areaId, slot, now), claim, {
        sort: { nextAt: 1 },
        returnDocument: 'before',
      });
      return { found: doc !== null, done: doc };
    });
    raw ??= await this.safetyNet(areaId, now, claim);
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

  /**
   * Once an hour per area and instance, when the slots hold nothing more, the due query without slots
   * (the `(status, nextAt)` index): a reminder whose slot is below the mark because something wrote its
   * nextAt without its slot (an instance still on older code during a rolling deployment, a hand
   * repair) is then sent at most an hour late instead of never. Repeated while it finds any.
   */
  private async safetyNet(
    areaId: string,
    now: Date,
    claim: UpdateFilter<ReminderDoc>,
  ): Promise<WithId<ReminderDoc> | null> {
    const last = this.lastNet.get(areaId);
    if (last !== undefined && now.getTime() - last < SAFETY_NET_MS) return null;
    const doc = await this.col.findOneAndUpdate(
      { status: 'scheduled', areaId, nextAt: { $lte: now }, ...notHeld },
      claim,
      {
        sort: { nextAt: 1 },
        returnDocument: 'before',
      },
    );
    if (!doc) this.lastNet.set(areaId, now.getTime());
    return doc;
  }

  /**
   * The area's due reminders without claiming them, read exactly as `claimDue` reads them (slot by slot
   * from the mark), in slot then time order: for the benchmark and diagnostics.
   */
  async findDue(areaId: string, now: Date, limit: number): Promise<Reminder[]> {
    const out: Reminder[] = [];
    if (limit < 1) return out; // a limit of 0 would mean none to the server
    await this.eachDueSlot(areaId, now, async (slot) => {
      const docs = await this.col
        .find(dueFilter(areaId, slot, now))
        .sort({ nextAt: 1 })
        .limit(limit - out.length)
        .toArray();
      out.push(...docs.map(fromDoc));
      return { found: docs.length > 0, done: out.length >= limit ? out : null };
    });
    return out;
  }

  /**
   * Offers `visit` the area's slots in order, from its low-water mark up to now's, until it is done.
   * Every slot before the first in which it found a due reminder was read empty during this pass, so
   * the mark rises to that slot (or past now's, if none), but never within MARK_LAG_MS of `now`; a
   * pass that throws moves nothing.
   */
  private async eachDueSlot<T>(
    areaId: string,
    now: Date,
    visit: (slot: string) => Promise<{ readonly found: boolean; readonly done: T | null }>,
  ): Promise<T | null> {
    await this.backfill(areaId);
    const nowSlot = slotOf(now);
    const safe = slotOf(new Date(now.getTime() - MARK_LAG_MS));
    const mark = await this.lowWater(areaId, safe);
    let slot = mark;
    let firstFound: string | undefined;
    let done: T | null = null;
    while (slot <= nowSlot) {
      if ((slotStart(nowSlot) - slotStart(slot)) / HOUR_MS > JUMP_AFTER_SLOTS) {
        const next = await this.firstSlotInUse(areaId, slot, nowSlot);
        if (next === null) break;
        slot = next;
      }
      const seen = await visit(slot);
      if (seen.found) firstFound ??= slot;
      done = seen.done;
      if (done !== null) break;
      slot = slotAfter(slot);
    }
    const clear = firstFound ?? safe;
    const reached = clear < safe ? clear : safe;
    if (reached > mark) await this.raiseMark(areaId, reached);
    return done;
  }

  /** The lowest slot from `from` to `to` holding a scheduled reminder of the area, if any. */
  private async firstSlotInUse(areaId: string, from: string, to: string): Promise<string | null> {
    const [first] = await this.col
      .find(
        { status: 'scheduled', areaId, dueSlot: { $gte: from, $lte: to }, ...notHeld },
        { projection: { _id: 0, dueSlot: 1 } },
      )
      .sort({ dueSlot: 1 })
      .limit(1)
      .toArray();
    return first ? parseStored(SlotOnly, first, REMINDERS.name).dueSlot : null;
  }

  /**
   * The area's mark; when it has none yet, the oldest slot in use (or `safe` if that is older), stored
   * at once. Reminders written later are in their write's slot or after, at least `safe`'s.
   */
  private async lowWater(areaId: string, safe: string): Promise<string> {
    const raw = await this.marks.findOne({ _id: areaId });
    if (raw) return parseStored(MarkDoc, raw, REMINDER_MARKS.name).slot;
    const oldest = await this.firstSlotInUse(areaId, '', safe);
    const start = oldest ?? safe;
    await this.raiseMark(areaId, start);
    return start;
  }

  /** Only ever upwards ($max), so instances racing, or one with an older `now`, cannot lower it. */
  private async raiseMark(areaId: string, slot: string): Promise<void> {
    const raise = () => this.marks.updateOne({ _id: areaId }, { $max: { slot } }, { upsert: true });
    try {
      await raise();
    } catch (error) {
      // Two first-ever upserts of one area's mark can race; the loser's retry updates the winner's.
      if (!isDuplicateKeyError(error)) throw error;
      await raise();
    }
  }

  /**
   * Reminders stored before due slots existed have none, and no slot query would find them: once per
   * area and instance, before its first due query, each gets the slot it would have been written with
   * now (its nextAt's, or now's if that has passed, so at or above any mark). An absent field is the
   * index key null, so on MongoDB this reads only such reminders from the due index.
   */
  private backfill(areaId: string): Promise<void> {
    let pass = this.backfills.get(areaId);
    if (!pass) {
      pass = this.fillMissingSlots(areaId).catch((error: unknown) => {
        this.backfills.delete(areaId);
        throw error;
      });
      this.backfills.set(areaId, pass);
    }
    return pass;
  }

  private async fillMissingSlots(areaId: string): Promise<void> {
    const now = this.clock.now();
    const cursor = this.col.find(
      { status: 'scheduled', areaId, dueSlot: { $exists: false } },
      { projection: { _id: 1, nextAt: 1 } },
    );
    let batch: AnyBulkWriteOperation<ReminderDoc>[] = [];
    const flush = async () => {
      if (batch.length > 0) await this.col.bulkWrite(batch, { ordered: false });
      batch = [];
    };
    for await (const raw of cursor) {
      const d = parseStored(Unslotted, raw, REMINDERS.name);
      // Only if nextAt is still what was read: a write meanwhile set its own slot (or will, if older code).
      batch.push({
        updateOne: {
          filter: { _id: d._id, nextAt: d.nextAt, dueSlot: { $exists: false } },
          update: { $set: { dueSlot: dueSlotOf(d.nextAt, now) } },
        },
      });
      if (batch.length >= 500) await flush();
    }
    await flush();
  }

  async recordSend(
    id: string,
    token: string,
    send: ReminderSend,
    next: { nextAt: string; escalatedAt: string | null; unreached?: readonly string[] },
  ): Promise<boolean> {
    const now = this.clock.now();
    const res = await this.col.updateOne(
      { _id: id, claimToken: token, status: 'scheduled' },
      {
        $set: {
          nextAt: new Date(next.nextAt),
          dueSlot: dueSlotOf(new Date(next.nextAt), now),
          lastSentAt: new Date(send.at),
          escalatedAt: next.escalatedAt ? new Date(next.escalatedAt) : null,
          undelivered: send.undelivered,
          ...(next.unreached ? { unreached: [...next.unreached] } : {}),
          claimToken: null,
          updatedAt: now,
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
