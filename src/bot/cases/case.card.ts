import type { CaseOverview } from '../../app/actions';
import { ACTION_STATUS_LABELS, PILLAR_LABELS } from '../../domain/action.schema';
import { pendingExtension } from '../../domain/action-update';
import type { CaseStatus } from '../../domain/case.schema';
import { categoryInfo } from '../../domain/eligibility';
import { formatUkDate, formatUkDateTime } from '../../domain/format';
import type { CardData } from '../cards/render';

const STATUS_WORDS: Readonly<Record<CaseStatus, string>> = {
  notified: 'Notified: awaiting the co-ordinator',
  referral_pending: 'Referral waiting for a decision',
  managed_l1: 'Managed at Level 1',
  managed_l2: 'Managed at Level 2',
  managed_l3: 'Managed at Level 3',
  exited: 'Exited MAPPA',
};
const MINUTES_WORDS = { draft: 'Draft', circulated: 'Circulated', approved: 'Approved' } as const;
const days = (n: number) => `${n} working day${n === 1 ? '' : 's'}`;

function scheduleLine(o: CaseOverview): { line: string; urgent: boolean } {
  const s = o.schedule;
  if (s.kind === 'meeting') {
    const when = `Next meeting ${formatUkDateTime(s.meeting.scheduledStart)}`;
    if (s.lateBy > 0 && s.dueBy)
      return { line: `${when} · late by ${days(s.lateBy)} (due by ${formatUkDate(s.dueBy)})`, urgent: true };
    return { line: s.dueBy ? `${when} · due by ${formatUkDate(s.dueBy)}` : when, urgent: false };
  }
  if (s.kind === 'review')
    return s.lateBy > 0
      ? { line: `Review due by ${formatUkDate(s.dueBy)} · late by ${days(s.lateBy)}`, urgent: true }
      : { line: `Review due by ${formatUkDate(s.dueBy)}`, urgent: false };
  return { line: 'No meeting or review date set', urgent: false };
}

/** A hand-over of the case still waiting for the receiving area's answer: where to, and since when. */
export interface PendingHandOver {
  readonly toAreaName: string;
  readonly since: string;
}

/** The case card for a reader the need-to-know rule lets see the case (personal chat only). */
export function caseCardData(o: CaseOverview, pending: PendingHandOver | null = null): CardData<'case'> {
  const c = o.caseRecord;
  const agency = (id: string) => o.area.agencies.find((a) => a.id === id)?.name ?? id;
  const status = scheduleLine(o);
  const ids = o.subject?.identifiers ?? {};
  const identifierFacts = (
    [
      ['PNC', ids.pnc],
      ['CRN', ids.crn],
      ['ViSOR', ids.visor],
      ['Prison number', ids.prisonNumber],
    ] as const
  )
    .filter(([, v]) => v)
    .map(([title, v]) => ({ title, value: v! }));
  const byAgency = new Map<string, CaseOverview['openActions'][number][]>();
  for (const x of o.openActions)
    byAgency.set(x.action.ownerAgencyId, [...(byAgency.get(x.action.ownerAgencyId) ?? []), x]);
  let n = 0;
  return {
    title: `MAPPA case ${c.ref}`,
    statusLine: status.line,
    statusUrgent: status.urgent,
    facts: [
      ...(o.subject ? [{ title: 'Person', value: `${o.subject.name.given} ${o.subject.name.family}` }] : []),
      ...identifierFacts,
      {
        title: 'Category',
        value: c.category ? (categoryInfo(c.jurisdiction, c.category)?.label ?? c.category) : 'Not decided',
      },
      { title: 'Level', value: c.level ? `Level ${c.level}` : 'Not decided' },
      { title: 'Lead agency', value: agency(c.leadAgencyId) },
      { title: 'Status', value: STATUS_WORDS[c.status] },
      // A case can move between areas (transfer), so the card says whose it is now.
      { title: 'MAPPA area', value: o.area.name },
      ...(pending
        ? [
            {
              title: 'Transfer pending',
              value: `To ${pending.toAreaName} since ${formatUkDate(pending.since)}; ${o.area.name} stays responsible until they accept`,
            },
          ]
        : []),
    ],
    withheldText: o.withheld ? 'Some police-only information is not shown to you.' : '',
    agencies: [...byAgency.entries()].map(([agencyId, list]) => ({
      heading: agency(agencyId),
      actions: list.map(({ action: a, mayUpdate }) => {
        n += 1;
        return {
          text: `${n}. ${a.text} · ${PILLAR_LABELS[a.pillar]} · due ${formatUkDate(a.dueDate)} · ${ACTION_STATUS_LABELS[a.status]}${pendingExtension(a) ? ' · extension asked for' : ''}`,
          actionId: a.id,
          canUpdate: mayUpdate,
          buttonTitle: `Update action ${n}: ${a.text.slice(0, 40)}`,
        };
      }),
    })),
    minutes: o.minutes.map(({ minutes: m, meetingDate, correctionInProgress }) => ({
      title: meetingDate ? `Meeting of ${formatUkDate(meetingDate)}` : 'Meeting',
      value: `Version ${m.revision} · ${MINUTES_WORDS[m.status]}${m.approvedAt ? ` ${formatUkDate(m.approvedAt)}` : ''}${correctionInProgress !== null ? ` · correction in progress (version ${correctionInProgress})` : ''}`,
    })),
    decisions: o.decisions.map((d) => {
      const label = (cat: Parameters<typeof categoryInfo>[1]) => categoryInfo(c.jurisdiction, cat)?.label ?? cat;
      // A first decision has nothing to change from: "set", not "none → …".
      const what =
        d.kind === 'level'
          ? d.from
            ? `Level ${d.from} → Level ${d.to}`
            : `Level ${d.to} set`
          : d.from
            ? `Category ${label(d.from)} → ${label(d.to)}`
            : `Category set: ${label(d.to)}`;
      return {
        text: `${formatUkDate(d.decidedAt)} · ${what} by ${d.actor.displayName}. Why: ${d.rationale}${d.dissent ? ` Dissent: ${d.dissent}` : ''}`,
      };
    }),
  };
}
