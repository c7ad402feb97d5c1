import { z } from 'zod';
import { Pillar } from './action.schema';
import { Actor, AgencyId, Category, Level } from './common.schema';
import { IsoDate, IsoDateTime } from './dates';

const text = (max: number) => z.string().trim().min(1).max(max);

/** How an invited agency took part: present, sent apologies, sent a substitute, or sent a written report. */
export const RunAttendance = z.object({
  agencyId: AgencyId,
  status: z.enum(['present', 'apologies', 'substitute', 'report_sent']),
  substituteName: text(200).optional(),
  recordedBy: Actor,
});
export type RunAttendance = z.infer<typeof RunAttendance>;

/** Last meeting's action as reviewed at this one. */
export const ActionReview = z.object({
  actionId: z.string().min(1).max(128),
  status: z.enum(['done', 'in_progress', 'not_done']),
  note: text(2000).optional(),
  reviewedBy: Actor,
});
export type ActionReview = z.infer<typeof ActionReview>;

export const TurnState = z.enum(['waiting', 'current', 'done', 'skipped', 'absent', 'report_received']);
export type TurnState = z.infer<typeof TurnState>;

/**
 * The round-robin. `turn` counts every move of the round (next, skip, absent, reorder); a move is
 * accepted only against the turn the chair saw, so a stale card or a second click never moves it twice.
 */
export const Round = z.object({
  turn: z.number().int().nonnegative(),
  order: z.array(z.object({ agencyId: AgencyId, state: TurnState })),
});
export type Round = z.infer<typeof Round>;

export const RiskToWhom = z.enum(['public', 'known_adult', 'children', 'staff', 'prisoners']);
export const RiskOfSeriousHarm = z.object({
  level: z.enum(['low', 'medium', 'high', 'very_high']),
  toWhom: z.array(RiskToWhom).min(1),
  recordedBy: Actor,
});
export type RiskOfSeriousHarm = z.infer<typeof RiskOfSeriousHarm>;

/** An action agreed in the meeting; `end meeting` writes it to the actions collection under `key`. */
export const PlanAction = z.object({
  key: z.string().regex(/^a\d{1,4}$/),
  pillar: Pillar,
  text: text(2000),
  ownerAgencyId: AgencyId,
  ownerName: text(200).optional(),
  ownerAadObjectId: z.string().min(1).max(64).optional(),
  dueDate: IsoDate,
});
export type PlanAction = z.infer<typeof PlanAction>;

export const ClosingView = z.object({
  agencyId: AgencyId,
  level: Level,
  category: Category,
  comment: text(2000).optional(),
  by: Actor,
});
export type ClosingView = z.infer<typeof ClosingView>;

/** As the minutes' disclosure decision; kept here because the minutes schema builds on the meeting's. */
export const RunDisclosure = z.object({
  outcome: z.enum(['disclose', 'do_not_disclose', 'review_later']),
  /** Recipient described by role (e.g. "new partner"), not named. */
  recipient: text(500).optional(),
  rationale: text(10_000),
});

export const MeetingDecision = z.object({
  level: Level,
  category: Category,
  rationale: text(10_000),
  disclosure: RunDisclosure.optional(),
  dissent: z.array(z.object({ agencyId: AgencyId, view: text(4000) })).default([]),
  nextReviewDate: IsoDate,
  /** The date the area's review interval gives; a different date needs `reviewDateReason`. */
  computedReviewDate: IsoDate.nullable(),
  reviewDateReason: text(2000).optional(),
  by: Actor,
  at: IsoDateTime,
});
export type MeetingDecision = z.infer<typeof MeetingDecision>;

/** Everything recorded while a meeting runs: lives in the meeting document so a restart loses nothing. */
export const MeetingRun = z.object({
  startedAt: IsoDateTime,
  startedBy: Actor,
  /** The Teams conversation the meeting runs in. */
  conversationId: z.string().min(1).max(512).optional(),
  /** Named by the chair at `start meeting`; carried into the minutes' meeting details. */
  minuteTaker: z.string().trim().min(1).max(200).optional(),
  attendance: z.array(RunAttendance).default([]),
  previousActions: z.array(ActionReview).default([]),
  round: Round.optional(),
  risk: RiskOfSeriousHarm.optional(),
  plan: z.array(PlanAction).default([]),
  views: z.array(ClosingView).default([]),
  decision: MeetingDecision.optional(),
  /** Actual times from the Teams meeting's start and end events, when the bot is in the meeting. */
  actualStart: IsoDateTime.optional(),
  actualEnd: IsoDateTime.optional(),
  /**
   * The Teams meeting's id (`channelData.meeting.id`) when the conversation is a Teams meeting chat:
   * what the in-meeting notification and participant APIs are addressed by.
   */
  teamsMeetingId: z.string().min(1).max(1024).optional(),
  endedAt: IsoDateTime.optional(),
  endedBy: Actor.optional(),
});
export type MeetingRun = z.infer<typeof MeetingRun>;

export type RunError = { readonly code: 'STALE_TURN' | 'ILLEGAL_STEP'; readonly message: string };
type RunResult = { ok: true; run: MeetingRun } | { ok: false; error: RunError };
const fail = (code: RunError['code'], message: string): RunResult => ({ ok: false, error: { code, message } });
const done = (run: MeetingRun): RunResult => ({ ok: true, run });

/** Replaces the agency's attendance line (the chair may correct it). */
export function recordAttendance(run: MeetingRun, line: RunAttendance): RunResult {
  if (run.round) return fail('ILLEGAL_STEP', 'Attendance is closed once the round of updates has begun.');
  return done({ ...run, attendance: [...run.attendance.filter((a) => a.agencyId !== line.agencyId), line] });
}

export function reviewAction(run: MeetingRun, review: ActionReview): RunResult {
  return done({
    ...run,
    previousActions: [...run.previousActions.filter((r) => r.actionId !== review.actionId), review],
  });
}

const ATTENDING = new Set(['present', 'substitute']);

/** Opens the round: attending agencies wait their turn (first one current), others are absent or sent a report. */
export function openRound(run: MeetingRun, invited: readonly string[]): RunResult {
  if (run.round) return done(run);
  // With nobody attending, the round would close as it opened and attendance (closed by then) could
  // never be recorded, so the meeting could not be ended.
  if (!run.attendance.some((a) => ATTENDING.has(a.status)))
    return fail(
      'ILLEGAL_STEP',
      'Record attendance first: the round opens once at least one agency is marked present (or sends a substitute).',
    );
  const status = new Map(run.attendance.map((a) => [a.agencyId, a.status]));
  const order = invited.map((agencyId) => {
    const s = status.get(agencyId);
    const state: TurnState = s && ATTENDING.has(s) ? 'waiting' : s === 'report_sent' ? 'report_received' : 'absent';
    return { agencyId, state };
  });
  // Attending agencies first, in the invited order; the others keep their place after them.
  order.sort((a, b) => Number(a.state !== 'waiting') - Number(b.state !== 'waiting'));
  return done({ ...run, round: { turn: 0, order: promoteNext(order) } });
}

type Slot = Round['order'][number];

// The next agency to speak: the first still waiting, else the first skipped (the chair comes back to it).
function promoteNext(order: Slot[]): Slot[] {
  if (order.some((s) => s.state === 'current')) return order;
  const i = order.findIndex((s) => s.state === 'waiting');
  const j = i >= 0 ? i : order.findIndex((s) => s.state === 'skipped');
  return j < 0 ? order : order.map((s, k) => (k === j ? { ...s, state: 'current' } : s));
}

export type RoundMove =
  | { readonly kind: 'next' }
  | { readonly kind: 'skip' }
  | { readonly kind: 'absent'; readonly agencyId: string }
  | { readonly kind: 'reorder'; readonly order: readonly string[] };

/** One chair move of the round, accepted only against the turn the chair saw. */
export function moveRound(run: MeetingRun, expectedTurn: number, move: RoundMove): RunResult {
  const round = run.round;
  if (!round) return fail('ILLEGAL_STEP', 'The round of updates has not begun.');
  if (round.turn !== expectedTurn) return fail('STALE_TURN', 'The round has moved on since that card was sent.');
  let order = round.order;
  const current = order.find((s) => s.state === 'current');
  switch (move.kind) {
    case 'next':
    case 'skip': {
      if (!current) return fail('ILLEGAL_STEP', 'Every agency has given its update.');
      const to: TurnState = move.kind === 'next' ? 'done' : 'skipped';
      // Waiting agencies come before skipped ones, so a skipped agency is heard after the others.
      order = promoteNext(order.map((s) => (s === current ? { ...s, state: to } : s)));
      break;
    }
    case 'absent': {
      const slot = order.find((s) => s.agencyId === move.agencyId);
      if (!slot) return fail('ILLEGAL_STEP', 'That agency is not in the round.');
      if (slot.state === 'done') return fail('ILLEGAL_STEP', 'That agency has already given its update.');
      order = promoteNext(order.map((s) => (s === slot ? { ...s, state: 'absent' } : s)));
      break;
    }
    case 'reorder': {
      const ids = order.map((s) => s.agencyId);
      if (move.order.length !== ids.length || !ids.every((id) => move.order.includes(id)))
        return fail('ILLEGAL_STEP', 'The new order must list every agency in the round once.');
      order = move.order.map((id) => order.find((s) => s.agencyId === id)!);
      break;
    }
  }
  return done({ ...run, round: { turn: round.turn + 1, order } });
}

/** The agency whose turn it is, if any. */
/** Whether anyone attends (present or by substitute): the round needs at least one. */
export const anyoneAttending = (run: MeetingRun): boolean => run.attendance.some((a) => ATTENDING.has(a.status));

export function currentAgency(run: MeetingRun): string | null {
  return run.round?.order.find((s) => s.state === 'current')?.agencyId ?? null;
}

/** The agency's state in the round, or null before the round opens. */
export function turnStateOf(run: MeetingRun, agencyId: string): TurnState | null {
  return run.round?.order.find((s) => s.agencyId === agencyId)?.state ?? null;
}

/** Adds an agreed action under the next free key. */
export function addPlanAction(run: MeetingRun, action: Omit<PlanAction, 'key'>): RunResult {
  if (run.endedAt) return fail('ILLEGAL_STEP', 'The meeting has ended.');
  // The same action sent twice (a double click, a retried card) is recorded once.
  const same = (a: PlanAction) =>
    a.pillar === action.pillar &&
    a.text === action.text &&
    a.ownerAgencyId === action.ownerAgencyId &&
    a.ownerName === action.ownerName &&
    a.dueDate === action.dueDate;
  if (run.plan.some(same)) return done(run);
  const key = `a${run.plan.length + 1}`;
  return done({ ...run, plan: [...run.plan, { ...action, key }] });
}

/** An agency present at the meeting (in person or by substitute) gives its view; a later view replaces it. */
export function recordView(run: MeetingRun, view: ClosingView): RunResult {
  const a = run.attendance.find((x) => x.agencyId === view.agencyId);
  if (!a || !ATTENDING.has(a.status)) return fail('ILLEGAL_STEP', 'Only agencies present at the meeting give a view.');
  return done({ ...run, views: [...run.views.filter((v) => v.agencyId !== view.agencyId), view] });
}

/** What still stops `end meeting`, in the order of business. */
export function endGaps(run: MeetingRun): string[] {
  const gaps: string[] = [];
  // A round already open settles attendance (a meeting from before the round required it must still end).
  if (run.attendance.length === 0 && !run.round) gaps.push('Record attendance.');
  if (!run.round) gaps.push('Hold the round of agency updates.');
  else if (currentAgency(run)) gaps.push('Finish the round of agency updates.');
  if (!run.risk) gaps.push('Record the risk of serious harm.');
  if (!run.decision) gaps.push('Record the decision and the next review date.');
  return gaps;
}

/**
 * The instant of a UK wall-clock date and time (GMT or BST as the day has it), for meetings typed as
 * "10:00 on 12 May". Two passes settle the offset on either side of a clock change.
 */
export function ukLocalInstant(date: IsoDate, time: string): string {
  const wall = Date.parse(`${date}T${time}:00Z`);
  const offsetAt = (t: number): number => {
    const parts = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/London',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    }).formatToParts(new Date(t));
    const get = (k: string) => Number(parts.find((p) => p.type === k)!.value);
    return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute')) - t;
  };
  let t = wall - offsetAt(wall);
  t = wall - offsetAt(t);
  return new Date(t).toISOString();
}
