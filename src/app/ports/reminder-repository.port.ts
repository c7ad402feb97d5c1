import type { Reminder, ReminderSend } from '../../domain/reminders';

/**
 * What scheduling a reminder sets; the store keeps its sends, last send and escalation, except that
 * `rearm` (the due date moved) clears the escalation so the co-ordinator is told again if the new
 * date is missed too.
 */
export type ReminderPlan = Pick<
  Reminder,
  'id' | 'areaId' | 'kind' | 'subjectId' | 'caseId' | 'caseRef' | 'agencyId' | 'due' | 'nextAt'
> & { readonly rearm?: boolean; readonly closesAt?: string | null };

/**
 * A reminder this instance has claimed: `claimToken` must accompany the record of its send, and
 * `wasDueAt` is its `nextAt` before the claim moved it a lease ahead (how late the send is).
 */
export type ClaimedReminder = Reminder & { readonly claimToken: string; readonly wasDueAt: string };

/**
 * One reminder document per thing reminded. Finding what is due reads, one hour at a time from the
 * area's oldest hour that may still hold a due reminder, only the reminders due in that hour; a claim is one conditional write that moves `nextAt` a lease ahead, so two instances never hold
 * the same reminder, and one that dies lets it come due again when the lease runs out.
 */
export interface ReminderRepository {
  /**
   * Creates or moves a reminder (scheduled again if it was closed). A claim in flight is voided, so a
   * send decided on the old date cannot record over the new schedule.
   */
  schedule(plan: ReminderPlan): Promise<void>;
  get(id: string): Promise<Reminder | null>;
  /** Stops a reminder at once (the action is done or cancelled, the deadline met). */
  close(id: string): Promise<void>;
  /** Claims one due reminder (nextAt at or before `now`), moving nextAt to now + lease; null when none is due. */
  claimDue(areaId: string, now: Date, leaseMs: number, token: string): Promise<ClaimedReminder | null>;
  /**
   * Records a send and the next time, only if the claim still holds (same token, still scheduled):
   * false when the lease was lost or the reminder was moved or closed meanwhile. `unreached`, when
   * given, replaces who the co-ordinator has been told cannot be reached.
   */
  recordSend(
    id: string,
    token: string,
    send: ReminderSend,
    next: { nextAt: string; escalatedAt: string | null; unreached?: readonly string[] },
  ): Promise<boolean>;
  /** Process deadlines (not actions) still open whose due date is before `today`: late ones. */
  listOpenDeadlines(areaId: string, today: string, limit: number): Promise<Reminder[]>;
  /** Scheduled reminders due before `until`, soonest first ("what is due to go out"). */
  listUpcoming(areaId: string, until: Date, limit: number): Promise<Reminder[]>;
  /** Reminders sent since `since`, newest first ("what went out"). */
  listSentSince(areaId: string, since: Date, limit: number): Promise<Reminder[]>;
  /**
   * Open reminders whose last send did not reach everyone, however long ago, newest first ("what was
   * not delivered": a failure stays listed until a send gets through or the reminder closes).
   */
  listUndelivered(areaId: string, limit: number): Promise<Reminder[]>;
}
