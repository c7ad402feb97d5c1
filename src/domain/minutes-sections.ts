import type { z } from 'zod';
import { Minutes, MinutesSectionId } from './minutes.schema';

/** Each section of the minutes: its MAPPA B heading and the one field of `Minutes` that holds it. */
export const MINUTES_SECTIONS = [
  { id: 'meeting_details', title: 'Meeting details', field: 'meetingDetails' },
  { id: 'attendance', title: 'Attendance, apologies, substitutes and reports received', field: 'attendance' },
  { id: 'confidentiality', title: 'Confidentiality statement', field: 'confidentialityStatement' },
  { id: 'previous_actions', title: 'Review of previous actions', field: 'previousActionsReview' },
  { id: 'agency_updates', title: 'Agency updates', field: 'agencyUpdates' },
  { id: 'risk', title: 'Risk of serious harm and assessment', field: 'riskAssessment' },
  { id: 'rmp', title: 'Risk management plan', field: 'rmp' },
  { id: 'victim_issues', title: 'Victim issues', field: 'victimIssues' },
  { id: 'disclosure', title: 'Disclosure decisions', field: 'disclosureDecisions' },
  { id: 'agency_views', title: 'Views on level and category', field: 'agencyViews' },
  { id: 'decisions', title: 'Decisions', field: 'decisions' },
  { id: 'review_date', title: 'Next review date', field: 'reviewDate' },
  { id: 'distribution', title: 'Distribution list', field: 'distribution' },
] as const satisfies readonly { id: MinutesSectionId; title: string; field: keyof Minutes }[];

export type MinutesSectionField = (typeof MINUTES_SECTIONS)[number]['field'];

export const sectionSpec = (id: MinutesSectionId) => MINUTES_SECTIONS.find((s) => s.id === id)!;

/**
 * Sections the minutes cannot stand without (MAPPA B: who was there, the plan, what was decided and
 * when the case is next reviewed): saving one empty is refused. Any other section may be cleared.
 */
export const REQUIRED_SECTIONS: readonly MinutesSectionId[] = ['attendance', 'rmp', 'decisions', 'review_date'];

/** Nothing in it: no text, no entries, every part of it empty. */
export function isEmptySectionValue(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.values(v).every(isEmptySectionValue);
  return false;
}

export const emptySectionRefusal = (id: MinutesSectionId) =>
  `${sectionSpec(id).title} is required in the minutes and cannot be saved empty. Nothing was saved: write it, or go back to the minutes to keep it as it was.`;

/** The schema a section's new value must satisfy: the field's own schema in `Minutes`. */
export function sectionSchema(id: MinutesSectionId): z.ZodType {
  return Minutes.shape[sectionSpec(id).field];
}

/**
 * What the approval hash covers: the record of the meeting and which revision it is, not the
 * bookkeeping (status, counters, who approved), so the same content always hashes the same.
 */
export function minutesContent(m: Minutes): Record<string, unknown> {
  const content: Record<string, unknown> = {
    id: m.id,
    caseId: m.caseId,
    meetingId: m.meetingId,
    revision: m.revision,
    protectiveMarking: m.protectiveMarking,
    correction: m.correction,
  };
  for (const s of MINUTES_SECTIONS) content[s.field] = m[s.field];
  return content;
}

/**
 * The MAPPA confidentiality statement as minuted: read at the start of every Level 2/3 meeting
 * (MAPPA Guidance, the confidentiality and diversity statement).
 */
export const CONFIDENTIALITY_STATEMENT =
  'The information shared at this meeting is confidential and is shared only to assess and manage the risk ' +
  'of serious harm. It is held by each agency under its own duties and the MAPPA information-sharing ' +
  'agreement; it may not be disclosed further without the chair’s agreement, except where needed to protect ' +
  'someone from immediate harm. Diversity needs and any disproportionality have been considered.';
