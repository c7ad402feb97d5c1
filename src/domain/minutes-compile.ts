import type { z } from 'zod';
import { Pillar, type Action } from './action.schema';
import type { AgencyUpdate } from './agency-update.schema';
import type { Category } from './common.schema';
import { ukDateOf } from './dates';
import { formatUkDate } from './format';
import type { Meeting } from './meeting.schema';
import type { Minutes } from './minutes.schema';
import { CONFIDENTIALITY_STATEMENT } from './minutes-sections';

/** Minutes as compiled, before the store gives them an id, status, time and version. */
export type MinutesDraft = Omit<
  z.input<typeof Minutes>,
  'id' | 'status' | 'approvedBy' | 'approvedAt' | 'createdAt' | 'version' | 'contentHash' | 'correction'
>;

export interface MinutesSource {
  /** A held meeting: its running record is the raw material. */
  readonly meeting: Meeting;
  readonly caseRef: string;
  /** The case's category before this meeting, in case no decision was recorded. */
  readonly caseCategory: Category | null;
  /** The meeting's agency updates, latest version of each. */
  readonly updates: readonly AgencyUpdate[];
  /** The case's action records, for the text and owner of each action reviewed. */
  readonly actions: readonly Pick<Action, 'id' | 'text' | 'ownerAgencyId'>[];
  readonly agencyNames: Readonly<Record<string, string>>;
}

const RISK_TO: Readonly<Record<string, string>> = {
  public: 'the public',
  known_adult: 'a known adult',
  children: 'children',
  staff: 'staff',
  prisoners: 'prisoners',
};
const ROSH: Readonly<Record<string, string>> = { low: 'Low', medium: 'Medium', high: 'High', very_high: 'Very high' };

const list = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

/** "Police: …" lines, one per agency that said something, or undefined when none did. */
function byAgency(
  updates: readonly AgencyUpdate[],
  pick: (u: AgencyUpdate) => string | undefined,
  name: (id: string) => string,
): string | undefined {
  const lines = updates.flatMap((u) => {
    const v = pick(u);
    return v ? [`${name(u.agencyId)}: ${v}`] : [];
  });
  return lines.length > 0 ? lines.join('\n') : undefined;
}

/**
 * Draft MAPPA B minutes from a held meeting's record, section by section. Pure, so the same record
 * always gives the same draft; the chair edits and approves it afterwards. Police-only intelligence
 * from any update is gathered into the one police-only field (`riskAssessment.restrictedIntelligence`),
 * so redaction for duty-to-co-operate readers has a single place to remove.
 */
export function compileMinutesDraft(src: MinutesSource): MinutesDraft {
  const { meeting } = src;
  const run = meeting.run;
  if (!run || meeting.status !== 'held') throw new Error('compileMinutesDraft: the meeting has not been held');
  const name = (id: string) => src.agencyNames[id] ?? id;
  const invited = [...new Set(meeting.invitees.map((i) => i.agencyId))];
  // Drafts nobody confirmed were not given at the meeting; a report in lieu counts as given.
  const updates = invited.flatMap((id) =>
    src.updates.filter((u) => u.agencyId === id && (u.status === 'confirmed' || u.kind === 'report_in_lieu')),
  );
  const decision = run.decision;
  const category = decision?.category ?? src.caseCategory;
  if (!category) throw new Error('compileMinutesDraft: neither the decision nor the case has a category');
  const risk = run.risk;

  const attendance: MinutesDraft['attendance'] = invited.map((agencyId) => {
    const line = run.attendance.find((a) => a.agencyId === agencyId);
    const invitee = meeting.invitees.find((i) => i.agencyId === agencyId && i.name);
    const report = updates.find((u) => u.agencyId === agencyId && u.kind === 'report_in_lieu');
    return {
      agencyId,
      status: line?.status ?? 'absent',
      ...(line?.status === 'substitute' && line.substituteName
        ? { name: line.substituteName, ...(invitee?.name ? { substituteFor: invitee.name } : {}) }
        : invitee?.name
          ? { name: invitee.name }
          : {}),
      ...(line?.status === 'report_sent' && report ? { agencyUpdateId: report.id } : {}),
    };
  });

  const previousActionsReview: MinutesDraft['previousActionsReview'] = run.previousActions.map((r) => {
    const a = src.actions.find((x) => x.id === r.actionId);
    return {
      actionId: r.actionId,
      ...(a ? { text: a.text, ownerAgencyId: a.ownerAgencyId } : {}),
      status: r.status,
      ...(r.note ? { update: r.note } : {}),
    };
  });

  const rmp = Object.fromEntries(
    Pillar.options.map((p) => [
      p,
      run.plan
        .filter((a) => a.pillar === p)
        .map((a) => `${a.text} (${a.ownerName ?? name(a.ownerAgencyId)}, by ${formatUkDate(a.dueDate)})`)
        .join('\n'),
    ]),
  ) as Record<Pillar, string>;

  const dissent = decision?.dissent ?? [];
  return {
    areaId: meeting.areaId,
    caseId: meeting.caseId,
    meetingId: meeting.id,
    revision: 1,
    shape: 2,
    meetingDetails: {
      caseRef: src.caseRef,
      chair: meeting.chair.name,
      ...(run.minuteTaker ? { minuteTaker: run.minuteTaker } : {}),
      kind: meeting.kind,
      sequence: meeting.sequence,
      date: ukDateOf(new Date(run.actualStart ?? run.startedAt)),
      ...(meeting.venue ? { venue: meeting.venue } : {}),
      category,
      // The level the meeting was held at; the decided level is in `decisions` (one meaning of "Level" everywhere).
      level: meeting.level,
    },
    attendance,
    introductionsDone: attendance.length > 0,
    confidentialityStatementAgreed: true,
    confidentialityStatement: CONFIDENTIALITY_STATEMENT,
    previousActionsReview,
    agencyUpdates: updates.map((u) => ({
      agencyId: u.agencyId,
      summary: u.content,
      kind: u.kind,
      ...(u.childrenAndVulnerablePeople ? { childrenAndVulnerablePeople: u.childrenAndVulnerablePeople } : {}),
      ...(u.changeInRisk ? { changeInRisk: u.changeInRisk } : {}),
      ...(u.enteredOnBehalfBy ? { enteredOnBehalfBy: u.enteredOnBehalfBy.displayName } : {}),
      agencyUpdateId: u.id,
    })),
    riskAssessment: {
      ...(risk
        ? {
            roshLevel: risk.level,
            roshToWhom: risk.toWhom,
            roshSummary: `${ROSH[risk.level]} risk of serious harm to ${list(risk.toWhom.map((w) => RISK_TO[w] ?? w))}.`,
          }
        : {}),
      ...optional(
        'assessment',
        byAgency(updates, (u) => u.changeInRisk, name),
      ),
      ...optional(
        'restrictedIntelligence',
        byAgency(updates, (u) => u.restrictedIntelligence, name),
      ),
    },
    rmp,
    actionIds: [],
    ...optional(
      'victimIssues',
      byAgency(updates, (u) => u.victimIssues, name),
    ),
    disclosureDecisions: decision?.disclosure ? [decision.disclosure] : [],
    agencyViews: run.views.map((v) => ({
      agencyId: v.agencyId,
      level: v.level,
      category: v.category,
      ...(v.comment ? { comment: v.comment } : {}),
    })),
    decisions: decision
      ? [
          {
            topic: 'level',
            decision: `Level ${decision.level}`,
            rationale: decision.rationale,
            dissent: dissent.map((d) => ({ agencyId: d.agencyId, view: d.view })),
          },
          { topic: 'category', decision: categoryLabel(decision.category), rationale: decision.rationale, dissent: [] },
          ...(decision.reviewDateReason
            ? [{ topic: 'other' as const, decision: 'Review date set', rationale: decision.reviewDateReason }]
            : []),
        ]
      : [],
    ...(decision ? { reviewDate: decision.nextReviewDate } : {}),
    distribution: [
      { recipient: `Chair: ${meeting.chair.name}` },
      ...invited.map((agencyId) => ({ agencyId, recipient: name(agencyId) })),
      { recipient: 'MAPPA co-ordinator (case file)' },
    ],
    protectiveMarking: 'OFFICIAL-SENSITIVE',
  };
}

const optional = <K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, string>>;

export function categoryLabel(c: string): string {
  return c === 'restricted_patient' ? 'Restricted patient' : `Category ${c.replace('cat', '')}`;
}
