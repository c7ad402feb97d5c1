import { randomUUID } from 'node:crypto';
import { scheduleOptions, type ScheduleOptions } from '../../app/meetings';
import { formatUkDate } from '../../domain/format';
import type { Result } from '../../lib/result';
import type { MeetingError } from '../../app/meetings';
import { errorSummary } from '../cards/error-summary';
import { SCHEDULE_FIELDS, type AdaptiveCardJson } from '../cards/render';
import type { HandlerContext } from '../handler-context';

type Field = (typeof SCHEDULE_FIELDS)[number];
export type ScheduleValues = Record<Field, string>;

/** The card's fields as its labels name them, in the card's order, for the line beside the button. */
const FIELD_LABELS: Readonly<Record<Field, string>> = {
  kind: 'Kind of meeting',
  level: 'Level',
  date: 'Date',
  time: 'Start time',
  chair: 'Chair',
  agencies: 'Agencies invited',
  venue: 'Venue',
  lateReason: 'Why the meeting is after its due date',
};

const KIND_WORDS = { initial: 'first', review: 'review', emergency: 'emergency' } as const;

/** Chairs are senior probation or police officers (justice social work or Police Scotland in Scotland). */
const CHAIR_AGENCIES = new Set(['police', 'probation', 'police-scotland', 'local-authority']);

export async function listChairs(h: Pick<HandlerContext, 'deps'>): Promise<{ aadObjectId: string; name: string }[]> {
  const { members, areaId } = h.deps.members;
  const area = await members.getArea(areaId);
  const agencyName = (id: string) => (area.ok ? area.value.agencies.find((a) => a.id === id)?.name : undefined) ?? id;
  return (await members.listMembers(areaId, { role: 'chair' }))
    .filter((m) => m.active && CHAIR_AGENCIES.has(m.agencyId))
    .map((m) => ({ aadObjectId: m.aadObjectId, name: `${m.displayName} (${agencyName(m.agencyId)})` }));
}

export function loadScheduleOptions(
  h: HandlerContext,
  caseRef: string,
): Promise<Result<ScheduleOptions, MeetingError>> {
  return scheduleOptions({ ...h.deps.meetings.run, listChairs: () => listChairs(h) }, h.principal, caseRef);
}

export function dueLine(o: Pick<ScheduleOptions, 'dueBy' | 'level' | 'kind'>): string {
  return o.dueBy
    ? `Due by ${formatUkDate(o.dueBy)} · ${KIND_WORDS[o.kind]} Level ${o.level} meeting, from the area's timescales`
    : `No due date from the timescales for a ${KIND_WORDS[o.kind]} Level ${o.level} meeting`;
}

/**
 * The schedule form: the case's suggestions, or what was typed with each refused field's message. Its
 * key (kept across refusals, fresh for a new card) makes the same card sent twice schedule once.
 */
export function scheduleCard(
  h: Pick<HandlerContext, 'card'>,
  o: ScheduleOptions,
  typed: ScheduleValues | undefined,
  errors: Partial<Record<string, string>>,
  formError: string,
  scheduleKey: string = randomUUID(),
): AdaptiveCardJson {
  const agencyName = (id: string) => o.agencies.find((a) => a.id === id)?.name ?? id;
  const values: ScheduleValues = typed ?? {
    kind: o.kind,
    level: String(o.level),
    date: '',
    time: '10:00',
    chair: '',
    agencies: o.agencyIds.join(','),
    venue: '',
    lateReason: '',
  };
  const shownErrors = Object.fromEntries(SCHEDULE_FIELDS.map((f) => [f, errors[f] ?? ''])) as ScheduleValues;
  return h.card('meeting-schedule', {
    title: `Schedule a MAPPA meeting for ${o.caseRecord.ref}`,
    statusLine: dueLine(o),
    facts: [
      { title: 'Managed at', value: `Level ${o.level}` },
      { title: 'Lead agency', value: agencyName(o.caseRecord.leadAgencyId) },
      ...(o.chairs.length === 0
        ? [
            {
              title: 'Chairs',
              value: 'None enrolled: ask your MAPPA admin to give a police or probation member the chair role',
            },
          ]
        : []),
    ],
    caseRef: o.caseRecord.ref,
    scheduleKey,
    chairs: o.chairs.map((c) => ({ title: c.name, value: c.aadObjectId })),
    agencies: o.agencies.map((a) => ({ title: a.name, value: a.id })),
    values,
    errors: shownErrors,
    formError: formError || errorSummary(shownErrors, FIELD_LABELS),
  });
}
