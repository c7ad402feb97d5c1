import {
  categoryLabel,
  formatUkDate,
  formatUkDateTime,
  MINUTES_SECTIONS,
  PILLAR_LABELS,
  Pillar,
  type Minutes,
  type MinutesSectionId,
} from '../domain';
import type { MinutesDocumentFormat, MinutesDocumentInput } from '../app/ports/minutes-document.port';

/*
 * The minutes as format-neutral blocks (a heading and label/text rows), so the Word and PDF
 * documents print exactly the same words and a test of one is evidence about the other.
 */

export interface MinutesRow {
  readonly label: string;
  readonly text: string;
}
export interface MinutesBlock {
  readonly heading: string;
  readonly rows: readonly MinutesRow[];
}

export const NONE_RECORDED = 'None recorded';
/** The visible line a duty-to-co-operate copy carries at its top and where police-only text was removed. */
export const WITHHELD_LINE = 'Police-only information withheld from this copy';
export const WITHHELD_NOTICE = `${WITHHELD_LINE} (the reader's agency has no ViSOR access).`;

/** Whether this copy had police-only text removed, so it must say so. */
export const copyWithheld = (input: MinutesDocumentInput): boolean => input.withheld ?? !input.readerHasVisorAccess;

const STATUS: Readonly<Record<string, string>> = {
  present: 'Present',
  apologies: 'Apologies',
  substitute: 'Substitute',
  report_sent: 'Report received in lieu of attendance',
  absent: 'Absent (no apologies recorded)',
  open: 'Open',
  in_progress: 'In progress',
  not_done: 'Not done',
  done: 'Done',
  cancelled: 'Cancelled',
  disclose: 'Disclose',
  do_not_disclose: 'Do not disclose',
  review_later: 'Review later',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  very_high: 'Very high',
  public: 'The public',
  known_adult: 'A known adult',
  children: 'Children',
  staff: 'Staff',
  prisoners: 'Prisoners',
};
const label = (k: string) => STATUS[k] ?? k;
const joined = (...parts: (string | undefined | false)[]) => parts.filter(Boolean).join('\n');

/** The decided level and category as minuted ('Level 3, Category 2'), read from the decisions. */
export function decisionLine(m: Minutes): string {
  const of = (topic: string) => m.decisions.find((d) => d.topic === topic)?.decision;
  const parts = [of('level'), of('category')].filter((x): x is string => x !== undefined);
  return parts.length > 0 ? parts.join(', ') : NONE_RECORDED;
}

function rowsOf(id: MinutesSectionId, m: Minutes, input: MinutesDocumentInput): MinutesRow[] {
  const name = (agencyId: string) => input.agencyNames?.[agencyId] ?? agencyId;
  const none = [{ label: '', text: NONE_RECORDED }];
  const orNone = (rows: MinutesRow[]) => (rows.length > 0 ? rows : none);
  switch (id) {
    case 'meeting_details': {
      const d = m.meetingDetails;
      return [
        { label: 'Case reference', text: d.caseRef ?? input.caseRef },
        // The level the meeting was held at; what it decided is its own line.
        { label: 'Level', text: `Level ${d.level}` },
        { label: 'Decision', text: decisionLine(m) },
        { label: 'Category', text: categoryLabel(d.category) },
        { label: 'Kind of meeting', text: `${d.kind[0]!.toUpperCase()}${d.kind.slice(1)} (meeting ${d.sequence})` },
        { label: 'Date', text: formatUkDate(d.date) },
        { label: 'Chair', text: d.chair ?? NONE_RECORDED },
        { label: 'Minute-taker', text: d.minuteTaker ?? NONE_RECORDED },
        ...(d.venue ? [{ label: 'Venue', text: d.venue }] : []),
      ];
    }
    case 'attendance':
      return orNone(
        m.attendance.map((a) => ({
          label: name(a.agencyId),
          text: joined(label(a.status), a.name && (a.substituteFor ? `${a.name}, for ${a.substituteFor}` : a.name)),
        })),
      );
    case 'confidentiality':
      return [{ label: 'Statement', text: m.confidentialityStatement ?? NONE_RECORDED }];
    case 'previous_actions':
      return orNone(
        m.previousActionsReview.map((p) => ({
          label: joined(p.text ?? p.actionId, p.ownerAgencyId && `(${name(p.ownerAgencyId)})`).replace('\n', ' '),
          text: joined(label(p.status), p.update),
        })),
      );
    case 'agency_updates':
      return orNone(
        m.agencyUpdates.map((u) => ({
          label: u.kind === 'report_in_lieu' ? `${name(u.agencyId)} (report in lieu of attendance)` : name(u.agencyId),
          text: joined(
            u.summary,
            u.childrenAndVulnerablePeople && `Children and vulnerable people: ${u.childrenAndVulnerablePeople}`,
            u.changeInRisk && `Change in risk: ${u.changeInRisk}`,
            u.enteredOnBehalfBy && `Entered on the agency's behalf by ${u.enteredOnBehalfBy}`,
          ),
        })),
      );
    case 'risk': {
      const r = m.riskAssessment;
      return [
        { label: 'Risk of serious harm', text: r.roshLevel ? label(r.roshLevel) : NONE_RECORDED },
        { label: 'To whom', text: r.roshToWhom?.map(label).join(', ') || NONE_RECORDED },
        { label: 'Summary', text: r.roshSummary ?? NONE_RECORDED },
        { label: 'Assessment', text: r.assessment ?? NONE_RECORDED },
        ...(r.diversityIssues ? [{ label: 'Diversity', text: r.diversityIssues }] : []),
        ...(r.restrictedIntelligence
          ? [{ label: 'Police-only intelligence', text: r.restrictedIntelligence }]
          : copyWithheld(input)
            ? [{ label: 'Police-only intelligence', text: WITHHELD_NOTICE }]
            : []),
      ];
    }
    case 'rmp':
      return [
        ...Pillar.options.map((p) => ({ label: PILLAR_LABELS[p], text: m.rmp[p] || NONE_RECORDED })),
        ...(m.rmp.licenceConditions.length > 0
          ? [{ label: 'Licence conditions', text: m.rmp.licenceConditions.join('\n') }]
          : []),
      ];
    case 'victim_issues':
      return [{ label: 'Victim issues', text: m.victimIssues ?? NONE_RECORDED }];
    case 'disclosure':
      return orNone(
        m.disclosureDecisions.map((d) => ({
          label: joined(label(d.outcome), d.recipient && `to ${d.recipient}`).replace('\n', ' '),
          text: `Rationale: ${d.rationale}`,
        })),
      );
    case 'agency_views':
      return orNone(
        m.agencyViews.map((v) => ({
          label: name(v.agencyId),
          text: joined(`Level ${v.level}, ${categoryLabel(v.category)}`, v.comment),
        })),
      );
    case 'decisions':
      return orNone(
        m.decisions.map((d) => ({
          label: d.decision,
          text: joined(
            `Rationale: ${d.rationale}`,
            ...d.dissent.map((x) => `Dissent (${name(x.agencyId)}): ${x.view}`),
          ),
        })),
      );
    case 'review_date':
      return [{ label: 'Next review', text: m.reviewDate ? formatUkDate(m.reviewDate) : NONE_RECORDED }];
    case 'distribution':
      return orNone(m.distribution.map((d, i) => ({ label: String(i + 1), text: d.recipient })));
  }
}

/** Every section in MAPPA B order, numbered, plus the approval record. */
export function minutesBlocks(input: MinutesDocumentInput): MinutesBlock[] {
  const m = input.minutes;
  const blocks = MINUTES_SECTIONS.map((s, i) => ({ heading: `${i + 1}. ${s.title}`, rows: rowsOf(s.id, m, input) }));
  const approval: MinutesRow[] = [
    { label: 'Version', text: `${m.revision} (${m.status})` },
    ...(m.approvedBy ? [{ label: 'Approved by', text: m.approvedBy.displayName }] : []),
    ...(m.approvedAt ? [{ label: 'Approved', text: formatUkDateTime(m.approvedAt) }] : []),
    { label: 'Content hash (SHA-256)', text: m.contentHash ?? 'Not yet approved' },
    ...(m.correction
      ? [
          {
            label: `Correction of version ${m.correction.corrects}`,
            text: `${m.correction.reason} (${m.correction.by.displayName})`,
          },
        ]
      : []),
  ];
  return [...blocks, { heading: 'Approval', rows: approval }];
}

export const minutesTitle = (input: MinutesDocumentInput) =>
  `MAPPA B — Minutes of the Level ${input.minutes.meetingDetails.level} meeting, ${input.caseRef}`;

/** Printed in every footer with the marking: which version, and the hash that identifies it. */
export const versionLine = (input: MinutesDocumentInput) =>
  `Version ${input.minutes.revision} (${input.minutes.status})`;
export const hashLine = (input: MinutesDocumentInput) => `SHA-256 ${input.minutes.contentHash ?? 'not yet approved'}`;
export const footerLine = (input: MinutesDocumentInput) => `${versionLine(input)} · ${hashLine(input)}`;

/** From references only, never a name: `MAPPA-B_MAPPA-2026-0001_v2.pdf`. */
export function minutesFileName(caseRef: string, revision: number, format: MinutesDocumentFormat): string {
  const ref =
    caseRef
      .replace(/[^A-Za-z0-9-]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'minutes';
  return `MAPPA-B_${ref}_v${revision}.${format}`;
}
