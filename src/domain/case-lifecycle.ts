import { type AppError, appError, type ErrorCode } from '../lib/errors';
import { err, ok, type Result } from '../lib/result';
import type { Case, CaseEvent, CaseStatus, DecisionInput, DecisionRecord, DecisionSource } from './case.schema';
import type { Level } from './common.schema';
import { categoryInfo } from './eligibility';

export type CaseError = AppError<
  Extract<
    ErrorCode,
    'ILLEGAL_TRANSITION' | 'RATIONALE_REQUIRED' | 'CATEGORY_3_LEVEL_1' | 'CATEGORY_NOT_IN_JURISDICTION'
  >
>;

const MANAGED: Readonly<Record<Level, CaseStatus>> = { 1: 'managed_l1', 2: 'managed_l2', 3: 'managed_l3' };

/** The status a case returns to when nothing is pending: its managed level, or 'notified' before any decision. */
export function restingStatus(level: Level | null): CaseStatus {
  return level === null ? 'notified' : MANAGED[level];
}

/*
 * Legal level decisions by status. Escalation from Level 1 always goes through a referral (so a
 * co-ordinator sees it); meetings move Level 2 and 3 cases up or down; a notification alone only
 * places a case at Level 1. Confirming the current level is allowed so reviews leave a record.
 */
export const LEVEL_MOVES: Readonly<
  Record<CaseStatus, { readonly source: DecisionSource['type']; readonly to: readonly Level[] } | null>
> = {
  notified: { source: 'notification', to: [1] },
  referral_pending: { source: 'referral', to: [1, 2, 3] },
  managed_l1: null,
  managed_l2: { source: 'meeting', to: [1, 2, 3] },
  managed_l3: { source: 'meeting', to: [1, 2, 3] },
  exited: null,
};

/** Statuses a referral may be submitted from; Level 3 cases are already at the top. */
export const REFERRAL_FROM: readonly CaseStatus[] = ['notified', 'managed_l1', 'managed_l2'];

function withoutPendingReferral(c: Case): Case {
  const copy = { ...c };
  delete copy.pendingReferralId;
  return copy;
}

const illegal = (c: Case, what: string): Result<never, CaseError> =>
  err(
    appError('ILLEGAL_TRANSITION', `Cannot ${what} while the case is ${c.status}.`, { caseId: c.id, status: c.status }),
  );

/**
 * Appends a level or category decision and applies it, returning a new case (the input is not
 * touched and earlier history entries are carried over unchanged). Refuses a blank rationale,
 * Category 3 at Level 1, categories not used in the case's jurisdiction and level moves the state
 * machine does not allow.
 */
export function recordDecision(c: Case, decision: DecisionInput): Result<Case, CaseError> {
  if (decision.rationale.trim() === '') return err(appError('RATIONALE_REQUIRED', undefined, { caseId: c.id }));
  if (c.status === 'exited') return illegal(c, 'record a decision');
  if (decision.kind === 'category') {
    if (!categoryInfo(c.jurisdiction, decision.to)) {
      return err(
        appError('CATEGORY_NOT_IN_JURISDICTION', undefined, { category: decision.to, jurisdiction: c.jurisdiction }),
      );
    }
    if (decision.to === 'cat3' && c.level === 1)
      return err(appError('CATEGORY_3_LEVEL_1', undefined, { caseId: c.id }));
    const record: DecisionRecord = { ...decision, from: c.category };
    return ok({ ...c, category: decision.to, history: [...c.history, record] });
  }
  const move = LEVEL_MOVES[c.status];
  if (!move || move.source !== decision.source.type || !move.to.includes(decision.to)) {
    return illegal(c, `decide Level ${decision.to} from a ${decision.source.type}`);
  }
  if (c.status === 'referral_pending' && decision.source.id !== c.pendingReferralId)
    return illegal(c, 'decide on a referral that is not the pending one');
  if (decision.to === 1 && c.category === 'cat3')
    return err(appError('CATEGORY_3_LEVEL_1', undefined, { caseId: c.id }));
  const record: DecisionRecord = { ...decision, from: c.level };
  return ok({
    ...withoutPendingReferral(c),
    level: decision.to,
    status: MANAGED[decision.to],
    history: [...c.history, record],
  });
}

type Handler<T extends CaseEvent['type']> = (c: Case, e: Extract<CaseEvent, { type: T }>) => Result<Case, CaseError>;

const HANDLERS: { readonly [T in CaseEvent['type']]: Handler<T> } = {
  REFERRAL_SUBMITTED: (c, e) =>
    REFERRAL_FROM.includes(c.status)
      ? ok({
          ...c,
          status: 'referral_pending',
          pendingReferralId: e.referralId,
          keyDates: { ...c.keyDates, referralDate: e.on },
        })
      : illegal(c, 'submit a referral'),
  REFERRAL_WITHDRAWN: (c, e) => {
    if (c.status !== 'referral_pending' || c.pendingReferralId !== e.referralId)
      return illegal(c, 'withdraw that referral');
    return ok({ ...withoutPendingReferral(c), status: restingStatus(c.level) });
  },
  LEVEL_DECIDED: (c, e) => recordDecision(c, e.decision),
  CATEGORY_DECIDED: (c, e) => recordDecision(c, e.decision),
  EXITED: (c, e) => {
    if (c.status === 'exited') return illegal(c, 'exit');
    return ok({
      ...withoutPendingReferral(c),
      status: 'exited',
      exitReason: e.reason,
      keyDates: { ...c.keyDates, exitDate: e.on },
    });
  },
};

/**
 * The case state machine: notified → referral_pending → managed_l1/l2/l3 → exited, with the legal
 * moves between levels. Illegal moves come back as an 'ILLEGAL_TRANSITION' error value.
 */
export function transition(c: Case, event: CaseEvent): Result<Case, CaseError> {
  return (HANDLERS[event.type] as Handler<CaseEvent['type']>)(c, event);
}
