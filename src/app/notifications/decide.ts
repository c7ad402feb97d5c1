import { z } from 'zod';
import {
  deadlineForArea,
  transition,
  ukDateOf,
  type Actor,
  type Area,
  type CaseError,
  type CaseStatus,
  IsoDate,
  type Notification,
} from '../../domain';
import { formatUkDate } from '../../domain/format';
import { can, type Principal } from '../../domain/policy';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import type { CaseRecord } from '../ports/case-repository.port';
import type { NotificationRecord } from '../ports/notification-repository.port';
import type { RequestActor } from '../ports/write-context.port';
import { actorOf } from '../shared/actor';
import {
  DECISION_LABELS,
  invalid,
  loadNotification,
  parseReason,
  teamsNotifier,
  type DecisionVerb,
  type NotificationDeps,
  type NotificationValidationError,
} from './shared';

export const LEVEL1_RATIONALE = 'Notification only: managed at Level 1 by the lead agency';

/** The referral date as an Input.Date sends it; blank means "use the area's rule". */
const ReferralDueInput = z
  .string()
  .trim()
  .max(10)
  .transform((v) => (v === '' ? undefined : v))
  .pipe(IsoDate.optional());

const DecisionNote = z.string().trim().max(1500, 'Keep the note under 1500 characters').optional();

export type DecideNotificationError = AppError<'NOT_PERMITTED' | 'NOT_FOUND'> | CaseError | NotificationValidationError;

export interface DecidedNotification {
  readonly notification: NotificationRecord;
  readonly caseRef: string;
  readonly caseStatus: CaseStatus;
  /** The case as the decision left it (as written, or as read when the decision did not write it). */
  readonly caseRecord: CaseRecord;
  /** True when someone had already decided: nothing was done and `verb` is their choice. */
  readonly alreadyDecided: boolean;
  /** The decision in force (undefined only for a notification returned by other means). */
  readonly verb?: DecisionVerb;
  /** When a referral is due under the area's policy (awaitReferral, askToRefer); absent if the area sets none. */
  readonly referralDue?: IsoDate;
  /**
   * askToRefer, first decision only: the notifier to ask for a referral. Null when the notification
   * came through the API (its notifier is an application, not a person).
   */
  readonly messageTo?: Actor | null;
  /** Why nobody was messaged for askToRefer: the co-ordinator asks the lead agency themselves. */
  readonly notAskedBecause?: 'sent_by_a_system' | 'notifier_not_in_lead_agency';
}

function decisionReason(verb: DecisionVerb, note: string | undefined, due: IsoDate | undefined): string {
  const head =
    due && verb !== 'level1' ? `${DECISION_LABELS[verb]} (referral due ${formatUkDate(due)})` : DECISION_LABELS[verb];
  return note ? `${head}\n${note}` : head;
}

/**
 * The co-ordinator's decision on a notification. `level1` accepts it and moves the case to Level 1
 * with a recorded decision; `awaitReferral` accepts it and leaves the case 'notified' (the state
 * machine only enters 'referral_pending' with a submitted referral) with the referral due date in
 * the decision; `askToRefer` does the same and names whom to ask. The notification's one-way
 * transition is the gate: of two decisions, however close, only the first acts and the second gets
 * the first one back with `alreadyDecided: true`.
 */
export async function decideNotification(
  deps: NotificationDeps,
  principal: Principal,
  notificationId: string,
  verb: DecisionVerb,
  note?: string,
  chosenReferralDue?: string,
): Promise<Result<DecidedNotification, DecideNotificationError>> {
  if (!can(principal, 'notification.decide').allowed) {
    return err(appError('NOT_PERMITTED', 'Only the MAPPA co-ordinator can decide notifications.'));
  }
  const parsedNote = DecisionNote.safeParse(note === '' ? undefined : note);
  if (!parsedNote.success) {
    return err(invalid({ note: parsedNote.error.issues[0]?.message ?? 'Invalid note' }));
  }
  const loaded = await loadNotification(deps, principal, notificationId);
  if (!loaded.ok) return loaded;
  const { notification: n, caseRecord: c, area } = loaded.value;
  const actor = actorOf(principal);
  if (n.status !== 'received') return ok(await alreadyDecided(deps, n, c, area, actor));

  const decidedAt = deps.clock.now().toISOString();
  if (verb === 'level1') {
    // Checked before the gate so a refusal (Category 3, case moved on) leaves nothing half-done.
    const trial = transition(c, {
      type: 'LEVEL_DECIDED',
      decision: level1Decision(n, actor, decidedAt, parsedNote.data),
    });
    if (!trial.ok) return trial;
  }
  let referralDue: IsoDate | undefined;
  if (verb !== 'level1') {
    // The co-ordinator's date wins; the area's rule is the default; with neither, nothing would be chased.
    const due = ReferralDueInput.safeParse(chosenReferralDue ?? '');
    if (!due.success) return err(invalid({ referralDue: 'Give the date as a real calendar date.' }));
    referralDue = due.data ?? referralDueOf(area, n);
    if (referralDue === undefined)
      return err(
        invalid({
          referralDue:
            'This area sets no referral timescale: choose the date by which the referral is expected, so it can be chased.',
        }),
      );
    if (referralDue < ukDateOf(deps.clock.now()))
      return err(invalid({ referralDue: 'The date the referral is expected by cannot be in the past.' }));
  }
  const decided = await deps.repos.notifications.decide(
    n.id,
    {
      outcome: 'accepted',
      decidedBy: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
      decidedAt,
      reason: decisionReason(verb, parsedNote.data, referralDue),
      ...(referralDue ? { referralDue } : {}),
      caseId: c.id,
    },
    { by: actor, details: { verb } },
  );
  if (!decided.ok) {
    if (decided.error.code === 'NOT_FOUND') return err(appError('NOT_FOUND'));
    const now = await deps.repos.notifications.get(n.id);
    if (!now.ok) return err(appError('NOT_FOUND'));
    if (now.value.status === 'received')
      throw new Error(`Notification ${n.id} could not be decided: ${decided.error.code}`);
    return ok(await alreadyDecided(deps, now.value, c, area, actor));
  }
  // The case read before the notification's write is tried first: the case write is conditional on its version.
  const finalCase = verb === 'level1' ? await applyLevel1(deps, decided.value, actor, false, c) : c;
  return ok({
    notification: decided.value,
    caseRef: c.ref,
    caseStatus: finalCase.status,
    caseRecord: finalCase,
    alreadyDecided: false,
    verb,
    ...(referralDue ? { referralDue } : {}),
    ...(verb === 'askToRefer' ? await whomToAsk(deps, n, c, actor.tenantId) : {}),
  });
}

/**
 * Whom to message for askToRefer: the Teams notifier, but only if they are an active member of the
 * case's lead agency. Another agency's notifier could not open the case (so the message would name a
 * case they cannot see and ask for something they cannot do); the co-ordinator asks the lead agency.
 */
async function whomToAsk(
  deps: NotificationDeps,
  n: NotificationRecord,
  c: CaseRecord,
  tenantId: string,
): Promise<Pick<DecidedNotification, 'messageTo' | 'notAskedBecause'>> {
  const notifier = teamsNotifier(n);
  if (!notifier) return { messageTo: null, notAskedBecause: 'sent_by_a_system' };
  const m = await deps.repos.members.getMember(tenantId, notifier.aadObjectId);
  if (m.ok && m.value.active && m.value.agencyId === c.leadAgencyId) return { messageTo: notifier };
  return { messageTo: null, notAskedBecause: 'notifier_not_in_lead_agency' };
}

function referralDueOf(area: Area, n: Notification): IsoDate | undefined {
  return deadlineForArea(area, 'referralAfterNotification', n.notifiedOn)?.due;
}

function level1Decision(n: NotificationRecord, decidedBy: Actor, decidedAt: string, note: string | undefined) {
  return {
    // Deterministic, so a repeated attempt to apply the same decision is recognisable.
    id: `notification-${n.id}-level1`,
    kind: 'level' as const,
    to: 1 as const,
    actor: { aadObjectId: decidedBy.aadObjectId, displayName: decidedBy.displayName },
    decidedAt,
    rationale: note ? `${LEVEL1_RATIONALE}\n${note}` : LEVEL1_RATIONALE,
    source: { type: 'notification' as const, id: n.id },
  };
}

/**
 * Moves the case to Level 1 for an accepted level1 decision, unless it already carries that
 * decision. Also finishes the job if an earlier call stopped after the notification was decided.
 * If the case has moved on meanwhile (a referral arrived), the newer state stands.
 */
async function applyLevel1(
  deps: NotificationDeps,
  n: NotificationRecord,
  by: RequestActor,
  resumed: boolean,
  /** The case as the caller read it this turn: the first attempt's base; a conflict reads it afresh. */
  known?: CaseRecord,
): Promise<CaseRecord> {
  const decision = n.decision;
  if (n.caseId === undefined || !decision) throw new Error(`Notification ${n.id} is not a decided level1`);
  // Finishing someone else's decision is recorded as theirs: the later caller only triggered it.
  const writer = resumed ? { ...decision.decidedBy, tenantId: by.tenantId } : by;
  const { note } = parseReason(decision.reason);
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = attempt === 0 && known?.id === n.caseId ? ok(known) : await deps.repos.cases.get(n.caseId);
    if (!current.ok) throw new Error(`Case of notification ${n.id} is missing`);
    const c = current.value;
    if (c.history.some((h) => h.source.type === 'notification' && h.source.id === n.id)) return c;
    const next = transition(c, {
      type: 'LEVEL_DECIDED',
      decision: level1Decision(n, decision.decidedBy, decision.decidedAt, note),
    });
    if (!next.ok) return c;
    const saved = await deps.repos.cases.save(next.value, {
      by: writer,
      action: 'case.decision_recorded',
      details: { notificationId: n.id, level: 1, ...(resumed ? { resumed: true } : {}) },
    });
    if (saved.ok) return saved.value;
    if (saved.error.code === 'NOT_FOUND') throw new Error(`Case of notification ${n.id} is missing`);
  }
  throw new Error(`Case of notification ${n.id} kept changing; Level 1 not recorded`);
}

async function alreadyDecided(
  deps: NotificationDeps,
  n: NotificationRecord,
  c: CaseRecord,
  area: Area,
  by: RequestActor,
): Promise<DecidedNotification> {
  const { verb } = parseReason(n.decision?.reason);
  const finalCase = verb === 'level1' ? await applyLevel1(deps, n, by, true) : c;
  const referralDue = verb && verb !== 'level1' ? (n.decision?.referralDue ?? referralDueOf(area, n)) : undefined;
  return {
    notification: n,
    caseRef: c.ref,
    caseStatus: finalCase.status,
    caseRecord: finalCase,
    alreadyDecided: true,
    ...(verb ? { verb } : {}),
    ...(referralDue ? { referralDue } : {}),
  };
}
