import type { MeetingProgress, MeetingView } from '../../app/meetings';
import type { ActionRecord } from '../../app/ports/action-repository.port';
import { PILLAR_LABELS } from '../../domain/action.schema';
import type { AgencyUpdate } from '../../domain/agency-update.schema';
import { formatUkDate, formatUkDateTime } from '../../domain/format';
import type { Meeting } from '../../domain/meeting.schema';
import { anyoneAttending, currentAgency, type MeetingRun, type TurnState } from '../../domain/meeting-run';
import type { Principal } from '../../domain/policy';
import type { AdaptiveCardJson, CardData, MeetingAbility } from '../cards/render';
import type { OpenHandlerContext } from '../handler-context';

export const CONFIDENTIALITY_STATEMENT =
  'Confidentiality statement: the information shared in this meeting is for the assessment and management of risk. ' +
  "It is confidential to the agencies present and must not be passed on without the chair's agreement, except " +
  'where an agency must act under its own duties. Police-only intelligence is shown only to agencies cleared for it.';

/** MAPPA B's order of business. */
const AGENDA = [
  'Confidentiality statement',
  'Attendance',
  'Previous actions',
  'Round of agency updates',
  'Risk of serious harm and the plan (four pillars and contingency)',
  'Closing views on level and category',
  'Decision and next review date',
] as const;

export const TURN_WORDS: Readonly<Record<TurnState, string>> = {
  waiting: 'Waiting',
  current: 'Giving its update now',
  done: 'Update given',
  skipped: 'Skipped: to come back',
  absent: 'Absent',
  report_received: 'Written report received',
};

export const ATTENDANCE_WORDS: Readonly<Record<string, string>> = {
  present: 'Present',
  apologies: 'Apologies',
  substitute: 'Substitute',
  report_sent: 'Report sent',
};

const REVIEW_WORDS: Readonly<Record<string, string>> = {
  done: 'Done',
  in_progress: 'In progress',
  not_done: 'Not done',
};
export const RISK_WORDS: Readonly<Record<string, string>> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  very_high: 'Very high',
};
export const TO_WHOM_WORDS: Readonly<Record<string, string>> = {
  public: 'The public',
  known_adult: 'A known adult',
  children: 'Children',
  staff: 'Staff',
  prisoners: 'Prisoners',
};
const DISCLOSURE_WORDS: Readonly<Record<string, string>> = {
  disclose: 'Disclose',
  do_not_disclose: 'Do not disclose',
  review_later: 'Review later',
};

/** The agenda item the meeting is at (0-based), or null before the start and after the end. */
export function stepIndex(m: Meeting): number | null {
  const run = m.run;
  if (m.status !== 'in_progress' || !run) return null;
  if (!run.round) return 1;
  if (currentAgency(run)) return 3;
  if (!run.risk) return 4;
  if (!run.decision && run.views.length === 0) return 4;
  if (!run.decision) return 5;
  return 6;
}

const nameOf = (p: MeetingProgress, id: string) => p.agencyNames[id] ?? id;
const invited = (m: Meeting) => [...new Set(m.invitees.map((i) => i.agencyId))];

function statusLine(p: MeetingProgress): string {
  const m = p.meeting;
  const run = m.run;
  if (m.status === 'scheduled') return `Scheduled for ${formatUkDateTime(m.scheduledStart)}: not started yet`;
  if (m.status === 'cancelled') return 'This meeting was cancelled';
  if (m.status === 'held' || !run)
    return `Ended${run?.endedAt ? ` on ${formatUkDate(run.endedAt)}` : ''}: the record is closed`;
  const i = stepIndex(m) ?? 0;
  const now = currentAgency(run);
  if (now && run.round) {
    const pos = run.round.order.findIndex((s) => s.agencyId === now) + 1;
    return `Round of agency updates: ${nameOf(p, now)}'s turn (${pos} of ${run.round.order.length})`;
  }
  if (i === 6) return 'Decision recorded: the chair can end the meeting';
  return `Now: ${AGENDA[i]}`;
}

function agencyStates(p: MeetingProgress): { title: string; value: string }[] {
  const run = p.meeting.run;
  if (run?.round) return run.round.order.map((s) => ({ title: nameOf(p, s.agencyId), value: TURN_WORDS[s.state] }));
  return invited(p.meeting).map((id) => {
    const a = run?.attendance.find((x) => x.agencyId === id);
    return { title: nameOf(p, id), value: a ? ATTENDANCE_WORDS[a.status]! : 'Attendance not recorded yet' };
  });
}

const UPDATE_LABELS: ReadonlyArray<readonly [keyof AgencyUpdate, string]> = [
  ['content', 'Update since the last meeting'],
  ['changeInRisk', 'Change in risk'],
  ['childrenAndVulnerablePeople', 'Children and vulnerable adults'],
  ['victimIssues', 'Victim issues'],
  ['forDisclosure', 'For disclosure'],
  ['restrictedIntelligence', 'Police-only intelligence'],
];

/** An update's fields as facts (the reader's redacted copy: police-only text is simply absent). */
export function updateFacts(u: AgencyUpdate): { title: string; value: string }[] {
  return UPDATE_LABELS.flatMap(([k, label]) => {
    const v = u[k];
    return typeof v === 'string' && v ? [{ title: label, value: v }] : [];
  });
}

function sections(p: MeetingProgress, v: MeetingView, previous: readonly ActionRecord[]) {
  const run = v.meeting.run;
  const out: { heading: string; facts: { title: string; value: string }[] }[] = [];
  if (!run) return out;
  if (run.attendance.length)
    out.push({
      heading: 'Attendance',
      facts: run.attendance.map((a) => ({
        title: nameOf(p, a.agencyId),
        value: `${ATTENDANCE_WORDS[a.status]}${a.substituteName ? `: ${a.substituteName}` : ''} (recorded by ${a.recordedBy.displayName})`,
      })),
    });
  if (previous.length)
    out.push({
      heading: 'Previous actions',
      facts: previous.map((a) => {
        const r = run.previousActions.find((x) => x.actionId === a.id);
        return {
          title: `${a.text} (${nameOf(p, a.ownerAgencyId)}, due ${formatUkDate(a.dueDate)})`,
          value: r ? `${REVIEW_WORDS[r.status]}${r.note ? `: ${r.note}` : ''}` : 'Not reviewed yet',
        };
      }),
    });
  for (const u of v.updates) {
    if (u.status !== 'confirmed') continue;
    const how =
      u.kind === 'report_in_lieu'
        ? ' (written report in lieu)'
        : u.enteredOnBehalfBy
          ? ` (entered by ${u.enteredOnBehalfBy.displayName} on its behalf)`
          : '';
    out.push({ heading: `Update from ${nameOf(p, u.agencyId)}${how}`, facts: updateFacts(u) });
  }
  if (run.risk)
    out.push({
      heading: 'Risk of serious harm',
      facts: [
        { title: 'Level', value: RISK_WORDS[run.risk.level]! },
        { title: 'To whom', value: run.risk.toWhom.map((w) => TO_WHOM_WORDS[w]).join(', ') },
      ],
    });
  if (run.plan.length)
    out.push({
      heading: 'Risk management plan',
      facts: run.plan.map((a) => ({
        title: PILLAR_LABELS[a.pillar],
        value: `${a.text} · ${a.ownerName ? `${a.ownerName}, ` : ''}${nameOf(p, a.ownerAgencyId)} · due ${formatUkDate(a.dueDate)}`,
      })),
    });
  if (run.views.length)
    out.push({
      heading: 'Closing views',
      facts: run.views.map((x) => ({
        title: nameOf(p, x.agencyId),
        value: `Level ${x.level}, ${categoryTitle(p, x.category)}${x.comment ? `: ${x.comment}` : ''}`,
      })),
    });
  const d = run.decision;
  if (d)
    out.push({
      heading: 'Decision',
      facts: [
        { title: 'Level and category', value: `Level ${d.level}, ${categoryTitle(p, d.category)}` },
        { title: 'Rationale', value: d.rationale },
        ...(d.disclosure
          ? [{ title: 'Disclosure', value: `${DISCLOSURE_WORDS[d.disclosure.outcome]}: ${d.disclosure.rationale}` }]
          : []),
        ...d.dissent.map((x) => ({ title: `Dissent: ${nameOf(p, x.agencyId)}`, value: x.view })),
        {
          title: 'Next review',
          value: `${formatUkDate(d.nextReviewDate)}${d.reviewDateReason ? ` (${d.reviewDateReason})` : ''}`,
        },
        { title: 'Recorded by', value: d.by.displayName },
      ],
    });
  return out;
}

export const categoryTitle = (p: MeetingProgress, c: string) => p.categories.find((x) => x.value === c)?.title ?? c;

const OPEN_FOR_UPDATE = new Set<TurnState | undefined>([
  undefined,
  'waiting',
  'current',
  'skipped',
  'absent',
  'report_received',
]);

function abilities(
  v: MeetingView,
  principal: Principal,
  previous: readonly ActionRecord[],
): Record<MeetingAbility, boolean> {
  const m = v.meeting;
  const run: MeetingRun | undefined = m.status === 'in_progress' ? m.run : undefined;
  const chair = v.readerIsChair;
  const mine = principal.member?.agencyId ?? '';
  const isInvited = invited(m).includes(mine);
  const round = run?.round;
  const now = run ? currentAgency(run) : null;
  const myState = round?.order.find((s) => s.agencyId === mine)?.state;
  const myAttendance = run?.attendance.find((a) => a.agencyId === mine)?.status;
  const attended = myAttendance === 'present' || myAttendance === 'substitute';
  return {
    markPresent: !!run && !round && isInvited && myAttendance !== 'present',
    attendance: !!run && !round && chair,
    previousActions: !!run && previous.length > 0 && (chair || previous.some((a) => a.ownerAgencyId === mine)),
    openRound: !!run && !round && chair && anyoneAttending(run),
    moveRound: !!run && chair && !!now,
    update: m.status !== 'held' && m.status !== 'cancelled' && isInvited && OPEN_FOR_UPDATE.has(myState),
    updateOnBehalf: !!run && chair && !!now && now !== mine,
    // After an agency's turn only the chair amends its update, so the chair has the way to.
    amendUpdate: !!run && chair && !!round?.order.some((s) => s.state === 'done'),
    risk: !!run && chair,
    plan: !!run && chair,
    view: !!run && !!round && !now && isInvited && attended,
    decision: !!run && chair && !!round && !now,
    end: !!run && chair,
  };
}

export interface MeetingCardInput {
  readonly progress: MeetingProgress;
  /** The reader's detailed view, or null for the minimal card everyone may see. */
  readonly view: MeetingView | null;
  readonly principal: Principal | null;
  readonly previous?: readonly ActionRecord[];
  readonly refreshUserIds: readonly string[];
  readonly notice?: string;
}

/**
 * The meeting card: the shared copy and each entitled reader's refreshed copy come from this one
 * function, so the two cannot drift; only `view` (already redacted for the reader) adds detail.
 */
export function meetingCard(h: Pick<OpenHandlerContext, 'card'>, i: MeetingCardInput): AdaptiveCardJson {
  const p = i.progress;
  const m = i.view?.meeting ?? p.meeting;
  const at = stepIndex(m);
  const ended = m.status === 'held';
  const none = Object.fromEntries(
    [
      'markPresent',
      'attendance',
      'previousActions',
      'openRound',
      'moveRound',
      'update',
      'updateOnBehalf',
      'amendUpdate',
      'risk',
      'plan',
      'view',
      'decision',
      'end',
    ].map((k) => [k, false]),
  ) as Record<MeetingAbility, boolean>;
  const can = i.view && i.principal ? abilities(i.view, i.principal, i.previous ?? []) : none;
  const now = m.run ? currentAgency(m.run) : null;
  const mine = i.principal?.member?.agencyId ?? '';
  const myState = m.run?.round?.order.find((s) => s.agencyId === mine)?.state;
  const data: CardData<'meeting'> = {
    meetingId: m.id,
    version: String(m.version),
    turn: String(m.run?.round?.turn ?? 0),
    refreshUserIds: [...i.refreshUserIds].slice(0, 60),
    title: `MAPPA Level ${m.level} meeting ${p.caseRef}`,
    statusLine: statusLine({ ...p, meeting: m }),
    notice: i.notice ?? '',
    agenda: AGENDA.map((t, k) => ({
      text: `${k + 1}. ${t}: ${ended || (at !== null && k < at) || (at !== null && k === 0) ? 'done' : at === k ? 'now' : 'to come'}`,
    })),
    confidentiality: CONFIDENTIALITY_STATEMENT,
    agencies: agencyStates({ ...p, meeting: m }),
    showDetail: i.view !== null,
    withheldText: i.view?.withheld
      ? `Police-only intelligence in ${i.view.withheld} update(s) is withheld from your view.`
      : '',
    sections: i.view ? sections(p, i.view, i.previous ?? []) : [],
    can,
    myAgencyId: mine,
    currentAgencyId: now ?? '',
    myUpdateTitle: myState === 'current' ? "Confirm or amend my agency's update" : "Prepare my agency's update",
    onBehalfTitle: `Type the update for ${now ? nameOf(p, now) : 'the agency'}`,
  };
  return h.card('meeting', data);
}
