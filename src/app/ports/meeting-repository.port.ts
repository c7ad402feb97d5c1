import type { z } from 'zod';
import type { Meeting } from '../../domain';
import type { AppError } from '../../lib/errors';
import type { Result } from '../../lib/result';
import type { Changes, ErasureOutcome, UpdateError, WriteContext } from './write-context.port';

/** What `create` needs; the store assigns id and version. */
export type NewMeeting = Omit<z.input<typeof Meeting>, 'id' | 'version'>;
export type MeetingChanges = Changes<Meeting, 'id' | 'areaId' | 'caseId' | 'sequence'>;
export type MeetingUpdateAction =
  'meeting.updated' | 'meeting.cancelled' | 'meeting.started' | 'meeting.run_updated' | 'meeting.ended';

/** Level 2/3 meetings, one sequence number per case (1 = initial, then reviews). */
export interface MeetingRepository {
  /**
   * Schedules a meeting ('meeting.scheduled'). The (case, sequence) pair is unique, so two people
   * scheduling "the next review" at once cannot both succeed: the loser gets VERSION_CONFLICT.
   */
  create(
    input: NewMeeting,
    ctx: WriteContext<'meeting.scheduled'>,
  ): Promise<Result<Meeting, AppError<'VERSION_CONFLICT'>>>;
  get(id: string): Promise<Result<Meeting, AppError<'NOT_FOUND'>>>;
  /** In sequence order. */
  listForCase(caseId: string): Promise<Meeting[]>;
  /**
   * Meetings of the area started in this Teams conversation (`run.conversationId`), latest start first:
   * a recurring Teams meeting keeps one chat, so one conversation may have held several.
   */
  listForConversation(areaId: string, conversationId: string): Promise<Meeting[]>;
  /**
   * Scheduled meetings of the area whose stored join link starts with this link's address (the part
   * before any query, compared without case); the caller checks the match with `sameJoinUrl`.
   */
  listScheduledByJoinUrl(areaId: string, joinUrl: string): Promise<Meeting[]>;
  /** Scheduled meetings starting in [from, to), soonest first: for reminders and the co-ordinator's diary. */
  listScheduledBetween(areaId: string, from: Date, to: Date): Promise<Meeting[]>;
  update(
    id: string,
    expectedVersion: number,
    changes: MeetingChanges,
    ctx: WriteContext<MeetingUpdateAction>,
  ): Promise<Result<Meeting, UpdateError>>;
  /**
   * `update`, also conditional on the round's turn still being `expectedTurn`: a round move is written
   * only against the turn it was decided on.
   */
  updateAtTurn(
    id: string,
    expectedVersion: number,
    expectedTurn: number,
    changes: MeetingChanges,
    ctx: WriteContext<MeetingUpdateAction>,
  ): Promise<Result<Meeting, UpdateError>>;
  /**
   * Erases the meeting's personal data (`eraseMeeting` in the domain) in one conditional write and appends
   * 'meeting.erased' with ids only. Idempotent: a record already erased is left alone (`erased: false`).
   */
  erase(id: string, ctx: WriteContext<'meeting.erased'>): Promise<Result<ErasureOutcome, AppError<'NOT_FOUND'>>>;
}
