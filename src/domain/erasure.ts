import { Pillar, type Action } from './action.schema';
import type { AgencyUpdate } from './agency-update.schema';
import type { Case } from './case.schema';
import type { Actor } from './common.schema';
import type { Meeting } from './meeting.schema';
import type { Minutes } from './minutes.schema';
import type { Notification } from './notification.schema';
import type { Referral } from './referral.schema';
import type { Subject } from './subject.schema';

/*
 * What erasing a case's personal data means, record by record. One rule throughout: names and free
 * text go; ids, codes, categories, levels, statuses, outcomes and dates stay, so the annual-report
 * counts, the decision trail and the audit chain (which holds ids only) survive the erasure.
 * Required text becomes ERASED (so a reader sees something was removed); optional names and places
 * are dropped. Entra object ids of staff are kept: they are ids, and the audit chain holds them anyway.
 *
 * Every function is idempotent (erasing twice gives the same record), which is what lets the store
 * skip records already erased and an interrupted erasure simply run again.
 */

/** What replaces erased text. */
export const ERASED = 'Erased';

/**
 * The domain requires a date of birth on every subject, so erasure writes 1 January 1900, the
 * placeholder case-management systems conventionally use for "date of birth not known".
 */
export const ERASED_DATE_OF_BIRTH = '1900-01-01';

/** `obj` with each of `keys` (text fields) that is present replaced by ERASED; absent ones stay absent. */
function redacted<T extends object>(obj: T, ...keys: readonly (keyof T)[]): T {
  const copy: T = { ...obj };
  for (const key of keys) if (copy[key] !== undefined) (copy as Record<keyof T, unknown>)[key] = ERASED;
  return copy;
}

/** `obj` without `keys`, which callers pick from the optional ones. */
function dropped<T extends object>(obj: T, ...keys: readonly (keyof T)[]): T {
  const copy: T = { ...obj };
  for (const key of keys) delete copy[key];
  return copy;
}

const erasedActor = (a: Actor): Actor => ({ ...a, displayName: ERASED });

/** Names, aliases, identifiers (PNC, CRN, ViSOR…), date of birth, gender and ethnicity. */
export function eraseSubject<S extends Subject>(s: S): S {
  return {
    ...dropped(s, 'gender', 'ethnicity'),
    name: { given: ERASED, family: ERASED },
    aliases: [],
    dateOfBirth: ERASED_DATE_OF_BIRTH,
    identifiers: {},
  };
}

/**
 * Every MAPPA A section goes except the category and the level asked for; status, submission and
 * decision outcome, level and dates stay.
 */
export function eraseReferral<R extends Referral>(r: R): R {
  const sections: Referral['sections'] = {};
  const category = r.sections.category?.category;
  const levelRequested = r.sections.reason?.levelRequested;
  if (category !== undefined) sections.category = { category };
  if (levelRequested !== undefined) sections.reason = { levelRequested };
  const out: R = { ...r, sections };
  if (r.decision) out.decision = { ...r.decision, rationale: ERASED, decidedBy: erasedActor(r.decision.decidedBy) };
  return out;
}

/** The notes and the co-ordinator's reason go; category, eligibility codes, dates and outcome stay. */
export function eraseNotification<N extends Notification & { decision?: { reason?: string; decidedBy: Actor } }>(
  n: N,
): N {
  const out: N = { ...redacted(n, 'notes'), notifiedBy: erasedActor(n.notifiedBy) };
  if (n.decision) out.decision = { ...redacted(n.decision, 'reason'), decidedBy: erasedActor(n.decision.decidedBy) };
  return out;
}

/**
 * Venue, link, people's names and the running record go (its content is in the minutes and the action
 * records, which are erased on their own); the date, level, status and agencies invited stay.
 */
export function eraseMeeting<M extends Meeting>(m: M): M {
  return {
    ...dropped(m, 'venue', 'onlineMeetingUrl', 'lateReason', 'run'),
    chair: { ...m.chair, name: ERASED },
    invitees: m.invitees.map((i) => dropped(i, 'name', 'substitute')),
  };
}

/**
 * Every free-text part of the agency's update, police-only intelligence included, and the names of who
 * typed it; the agency, kind, status, dates and which actions it reported on stay.
 */
export function eraseAgencyUpdate<U extends AgencyUpdate>(u: U): U {
  const out: U = {
    ...redacted(
      u,
      'content',
      'changeInRisk',
      'childrenAndVulnerablePeople',
      'victimIssues',
      'forDisclosure',
      'restrictedIntelligence',
    ),
    author: erasedActor(u.author),
    actionUpdates: u.actionUpdates.map((a) => redacted(a, 'note')),
  };
  if (u.enteredOnBehalfBy) out.enteredOnBehalfBy = erasedActor(u.enteredOnBehalfBy);
  return out;
}

/** Every free-text item of business; the structure (who attended, which decisions, views on level) stays. */
export function eraseMinutes<M extends Minutes>(m: M): M {
  const out: M = {
    ...redacted(m, 'purpose', 'subjectDetails', 'victimIssues'),
    meetingDetails: redacted(dropped(m.meetingDetails, 'venue'), 'chair', 'minuteTaker'),
    attendance: m.attendance.map((a) => redacted(dropped(a, 'name', 'substituteFor'), 'role')),
    previousActionsReview: m.previousActionsReview.map((p) => redacted(p, 'update', 'text')),
    agencyUpdates: m.agencyUpdates.map((u) =>
      redacted(u, 'summary', 'childrenAndVulnerablePeople', 'changeInRisk', 'enteredOnBehalfBy'),
    ),
    riskAssessment: redacted(
      m.riskAssessment,
      'victimsAndPotentialVictims',
      'diversityIssues',
      'roshSummary',
      'assessment',
      'restrictedIntelligence',
    ),
    // Agencies stay (who received the minutes); a named person (the chair) does not.
    distribution: m.distribution.map((d) => (d.agencyId ? d : { ...d, recipient: ERASED })),
    rmp: {
      ...m.rmp,
      ...Object.fromEntries(Pillar.options.map((p) => [p, m.rmp[p] === '' ? '' : ERASED])),
      licenceConditions: m.rmp.licenceConditions.map(() => ERASED),
    },
    disclosureDecisions: m.disclosureDecisions.map((d) => redacted(d, 'recipient', 'rationale')),
    agencyViews: m.agencyViews.map((v) => redacted(v, 'comment')),
    decisions: m.decisions.map((d) => ({
      ...redacted(d, 'decision', 'rationale'),
      dissent: d.dissent.map((x) => ({ ...x, view: ERASED })),
    })),
  };
  if (m.approvedBy) out.approvedBy = erasedActor(m.approvedBy);
  if (m.correction) out.correction = { ...m.correction, reason: ERASED, by: erasedActor(m.correction.by) };
  return out;
}

/** The action's text, owner's name and status note; pillar, agency, dates and status stay. */
export function eraseAction<A extends Action>(a: A): A {
  const out = redacted(a, 'text', 'ownerName', 'statusNote');
  // Notes, reasons and names in the history and a waiting extension are free text too.
  return {
    ...out,
    history: a.history.map((h) => ({
      ...redacted(h, 'note'),
      by: erasedActor(h.by),
      ...(h.owner ? { owner: { from: ERASED, to: ERASED } } : {}),
    })),
    ...(a.extensionRequest
      ? {
          extensionRequest: {
            ...a.extensionRequest,
            reason: ERASED,
            requestedBy: erasedActor(a.extensionRequest.requestedBy),
          },
        }
      : {}),
  };
}

/**
 * The lead officer and the reasoning in the decision history; the decisions themselves (what level
 * or category, when, on what source) stay for the annual report and the audit trail.
 */
export function eraseCaseContent<C extends Case>(c: C): C {
  return {
    ...dropped(c, 'leadOfficer'),
    history: c.history.map((d) => ({ ...redacted(d, 'rationale', 'dissent'), actor: erasedActor(d.actor) })),
  };
}
