import { z } from 'zod';
import { AadObjectId, Id } from '../../domain/common.schema';
import { IsoDateTime } from '../../domain/dates';

/**
 * A Teams online meeting with its calendar invitation (an Outlook event with the join link), sent
 * to the invitees from the organiser's mailbox. The subject and body name the case by reference only.
 */
export const OnlineMeetingRequest = z.object({
  /** The meeting record's id: the adapter uses it so a retried create makes one event, not two. */
  meetingId: Id,
  subject: z.string().min(1).max(255),
  body: z.string().max(4000),
  start: IsoDateTime,
  end: IsoDateTime,
  /** Entra object ids; the adapter finds each person's mailbox. */
  attendees: z.array(AadObjectId).min(1),
});
export type OnlineMeetingRequest = z.infer<typeof OnlineMeetingRequest>;

export interface OnlineMeetingCreated {
  readonly joinUrl: string;
}

/**
 * Creates the online meeting and its invitation. Throws when it could not (after its own retries and
 * within its own time limits); the error says why in codes, never with a name or address.
 */
export interface OnlineMeetingCalendar {
  create(request: OnlineMeetingRequest): Promise<OnlineMeetingCreated>;
}
