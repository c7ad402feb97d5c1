import type { Principal } from '../../domain/policy';
import type { Transfer } from '../../domain';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import type {
  ActionRepository,
  MeetingRepository,
  CaseRepository,
  Clock,
  MemberRepository,
  MinutesRepository,
  ReminderRepository,
  TransferNotifier,
  TransferRepository,
  TransferSigner,
} from '../ports';

export interface TransferDeps {
  readonly clock: Clock;
  readonly members: MemberRepository;
  readonly cases: CaseRepository;
  readonly actions: ActionRepository;
  readonly minutes: MinutesRepository;
  /** For the need-to-know of the sending side's readers of a transfer card (agencies at the case's meetings). */
  readonly meetings: Pick<MeetingRepository, 'listForCase'>;
  readonly transfers: TransferRepository;
  /** Stops the reminders of a case that left for another deployment. */
  readonly reminders: Pick<ReminderRepository, 'close'>;
  readonly signer: TransferSigner;
  readonly notifier: TransferNotifier;
  readonly newId: () => string;
  /** How long a signed package or receipt for another deployment stays valid, in days. */
  readonly packageTtlDays: number;
  /**
   * Ids of the partner areas served by other deployments (`TRANSFER_PARTNER_AREAS`): only these, and
   * the areas of this database, can receive a transfer, so a mistyped id is refused, not exported.
   */
  readonly remoteAreas: readonly string[];
}

const DAY_MS = 86_400_000;

/** When something signed now for another deployment stops being accepted there. */
export const expiryFrom = (deps: Pick<TransferDeps, 'packageTtlDays'>, from: Date): string =>
  new Date(from.getTime() + deps.packageTtlDays * DAY_MS).toISOString();

/** The caller's area when they are an active co-ordinator there; transfers are co-ordinator work. */
export function coordinatorArea(principal: Principal): Result<string, AppError<'NOT_PERMITTED'>> {
  const m = principal.member;
  if (!m?.active || !m.roles.includes('coordinator'))
    return err(appError('NOT_PERMITTED', 'Only a MAPPA co-ordinator can transfer a case or answer a hand-over.'));
  return ok(m.areaId);
}

/**
 * Only the receiving area's co-ordinators answer a hand-over. Anyone else is told the transfer does
 * not exist, so a transfer id reveals nothing about a case outside the caller's areas; the sender
 * is told plainly that the answer is the receiver's.
 */
export function checkReceiver(
  principal: Principal,
  transfer: Transfer,
): Result<string, AppError<'NOT_PERMITTED' | 'NOT_FOUND'>> {
  const area = coordinatorArea(principal);
  if (!area.ok) return area;
  if (area.value === transfer.toAreaId) return area;
  if (area.value === transfer.fromAreaId && transfer.mode !== 'import')
    return err(
      appError('NOT_PERMITTED', "Only the receiving area's co-ordinators can accept or decline this transfer."),
    );
  return err(appError('NOT_FOUND', 'There is no such transfer for your area.'));
}

/**
 * What someone acting on a transfer that has already been answered is told: the truth of what
 * happened, without names (the answer's author is in the audit trail).
 */
export function answeredMessage(t: Transfer): string {
  switch (t.state) {
    case 'withdrawn':
      return `The sending area withdrew this transfer of ${t.caseRef}; nothing moved and the sending area stays responsible.`;
    case 'declined':
      return `The receiving area declined this transfer of ${t.caseRef}; nothing moved and the sending area stays responsible.`;
    case 'accepting':
    case 'accepted':
      return `The receiving area accepted this transfer of ${t.caseRef}; the case is theirs${t.state === 'accepting' ? ' once the move finishes' : ''}.`;
    case 'pending':
      return `This transfer of ${t.caseRef} is still waiting for an answer.`;
  }
}
