import { z } from 'zod';
import { deadlineForArea, type Area } from '../../domain/area.schema';
import { compareDates, IsoDate, ukDateOf } from '../../domain/dates';
import type { Meeting } from '../../domain/meeting.schema';
import { MeetingKind } from '../../domain/meeting.schema';
import { ukLocalInstant } from '../../domain/meeting-run';
import { can, type Principal } from '../../domain/policy';
import { appError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import { CaseRef, type CaseRecord } from '../ports/case-repository.port';
import { actorOf } from '../shared/actor';
import { fieldErrorsOf, invitedAgencies, loadArea, validation, type MeetingDeps, type MeetingError } from './shared';

const ukDay = (iso: string) => ukDateOf(new Date(iso));

export const ScheduleMeetingInput = z.object({
  kind: MeetingKind.default('initial'),
  level: z.coerce.number().pipe(z.literal([2, 3], { error: 'Choose Level 2 or Level 3.' })),
  date: IsoDate,
  time: z
    .string()
    .trim()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Give the time as HH:MM, for example 10:00.'),
  chair: z.string().trim().min(1, 'Choose the chair.'),
  /** Agency ids, as a list or as the comma-separated string a multi-select card input sends. */
  agencies: z
    .union([z.array(z.string()), z.string()])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.string()).min(1, 'Invite at least one agency.')),
  venue: z.string().trim().max(500, 'Keep the venue under 500 characters.').optional(),
  lateReason: z.string().trim().max(2000, 'Keep the reason under 2,000 characters.').optional(),
});
export type ScheduleMeetingInput = z.input<typeof ScheduleMeetingInput>;

export interface ScheduleOptions {
  readonly caseRecord: CaseRecord;
  readonly level: 2 | 3;
  readonly kind: Meeting['kind'];
  /** The last day the timescales allow for this meeting, or null when the area sets none. */
  readonly dueBy: IsoDate | null;
  readonly dueLabel: string | null;
  /** Pre-selected: the lead agency, the agencies named in the referral, and those owning open plan actions. */
  readonly agencyIds: readonly string[];
  readonly agencies: readonly { readonly id: string; readonly name: string }[];
  readonly chairs: readonly { readonly aadObjectId: string; readonly name: string }[];
}

/** The case, if the caller may schedule its meetings (the same answer for unknown and unseen cases). */
export async function loadCase(
  deps: MeetingDeps,
  principal: Principal,
  rawRef: string,
): Promise<Result<CaseRecord, MeetingError>> {
  const ref = CaseRef.safeParse(rawRef);
  if (!ref.success) return err(validation({ caseRef: 'Case references look like MAPPA-2026-0042.' }));
  const found = await deps.cases.getByRef(deps.areaId, ref.data);
  if (!found.ok) return err(appError('NOT_FOUND', 'That case was not found.'));
  const c = found.value;
  const decision = can(principal, 'meeting.run', {
    case: { areaId: c.areaId, leadAgencyId: c.leadAgencyId, involvedAgencyIds: [] },
  });
  if (!decision.allowed) {
    if (decision.code !== 'NOT_FOUND')
      return err(appError('NOT_PERMITTED', 'Only the co-ordinator or a chair can schedule meetings.'));
    // A chair whose agency is invited to one of the case's meetings already knows the case (they can
    // open that meeting): "not found" would contradict it, so they get the true reason instead.
    const invited = (await deps.meetings.listForCase(c.id)).flatMap(invitedAgencies);
    const knows = can(principal, 'case.read', {
      case: { areaId: c.areaId, leadAgencyId: c.leadAgencyId, involvedAgencyIds: invited },
    });
    return err(
      knows.allowed
        ? appError(
            'NOT_PERMITTED',
            "Only the co-ordinator or a chair from the case's lead agency can schedule its meetings. Nothing was changed.",
          )
        : appError('NOT_FOUND', 'That case was not found.'),
    );
  }
  if (c.status !== 'managed_l2' && c.status !== 'managed_l3')
    return err(
      appError(
        'ILLEGAL_TRANSITION',
        'This case is not managed at Level 2 or 3: a meeting can be scheduled once its referral is approved.',
      ),
    );
  return ok(c);
}

function dueFor(
  area: Area,
  c: CaseRecord,
  kind: Meeting['kind'],
  level: 2 | 3,
  previous: readonly Meeting[],
): { due: IsoDate; label: string } | null {
  if (kind === 'emergency') return null;
  if (kind === 'initial') {
    const approved = [...c.history].reverse().find((d) => d.kind === 'level' && d.source.type === 'referral');
    // Level 3's clock runs from the referral, Level 2's from the acceptance (as the referral decision computes it).
    const from =
      level === 3 && c.keyDates.referralDate ? c.keyDates.referralDate : approved ? ukDay(approved.decidedAt) : null;
    if (!from) return null;
    const d = deadlineForArea(area, level === 2 ? 'firstLevel2Meeting' : 'firstLevel3Meeting', from);
    return d ? { due: d.due, label: d.label } : null;
  }
  const last = [...previous].reverse().find((m) => m.status === 'held');
  if (!last) return null;
  const from = ukDay(last.run?.endedAt ?? last.scheduledStart);
  const d = deadlineForArea(area, level === 2 ? 'level2Review' : 'level3Review', from);
  return d ? { due: d.due, label: d.label } : null;
}

/** What the schedule card offers for a case: defaults, the due date, agencies and chairs. */
export async function scheduleOptions(
  deps: MeetingDeps & { readonly listChairs: () => Promise<{ aadObjectId: string; name: string }[]> },
  principal: Principal,
  caseRef: string,
): Promise<Result<ScheduleOptions, MeetingError>> {
  const loaded = await loadCase(deps, principal, caseRef);
  if (!loaded.ok) return loaded;
  const c = loaded.value;
  const area = await loadArea(deps);
  const previous = await deps.meetings.listForCase(c.id);
  const level = c.status === 'managed_l3' ? 3 : 2;
  const kind = previous.some((m) => m.status === 'held') ? 'review' : 'initial';
  const due = dueFor(area, c, kind, level, previous);
  return ok({
    caseRecord: c,
    level,
    kind,
    dueBy: due?.due ?? null,
    dueLabel: due?.label ?? null,
    agencyIds: await preselected(deps, c),
    agencies: area.agencies.filter((a) => a.active).map((a) => ({ id: a.id, name: a.name })),
    chairs: await deps.listChairs(),
  });
}

async function preselected(deps: MeetingDeps, c: CaseRecord): Promise<string[]> {
  const ids = [c.leadAgencyId];
  const referralIds = c.history.filter((d) => d.source.type === 'referral').map((d) => d.source.id);
  for (const id of new Set(referralIds)) {
    const r = await deps.referrals.get(id);
    if (r.ok) ids.push(...(r.value.sections.agencies?.agencies?.map((a) => a.agencyId) ?? []));
  }
  for (const a of await deps.actions.listForCase(c.id)) if (a.status === 'open') ids.push(a.ownerAgencyId);
  return [...new Set(ids)];
}

/**
 * Schedules the case's next meeting. The due date comes from the area's timescales; a date after it
 * needs a reason, which is kept on the meeting. Two people scheduling at once cannot both take the
 * same sequence number (the store refuses the second).
 */
export async function scheduleMeeting(
  deps: MeetingDeps,
  principal: Principal,
  caseRef: string,
  raw: unknown,
  opts: { readonly scheduleKey?: string } = {},
): Promise<Result<Meeting, MeetingError>> {
  const loaded = await loadCase(deps, principal, caseRef);
  if (!loaded.ok) return loaded;
  const c = loaded.value;
  const parsed = ScheduleMeetingInput.safeParse(raw);
  if (!parsed.success) return err(validation(fieldErrorsOf(parsed.error)));
  const input = parsed.data;
  const area = await loadArea(deps);
  const known = new Set(area.agencies.filter((a) => a.active).map((a) => a.id));
  const unknown = input.agencies.filter((a) => !known.has(a));
  if (unknown.length > 0) return err(validation({ agencies: `Not an agency of this area: ${unknown.join(', ')}.` }));
  const chair = await deps.members.getMember(area.tenantId, input.chair);
  if (!chair.ok || !chair.value.active || chair.value.areaId !== area.id || !chair.value.roles.includes('chair'))
    return err(validation({ chair: 'Choose a chair enrolled in this area.' }));
  const previous = await deps.meetings.listForCase(c.id);
  const due = dueFor(area, c, input.kind, input.level, previous);
  const lateReason = input.lateReason === '' ? undefined : input.lateReason;
  if (due && compareDates(input.date, due.due) > 0 && !lateReason)
    return err(
      validation({
        lateReason: `${due.label} is due by ${due.due}: say why the meeting is later.`,
      }),
    );
  const created = await deps.meetings.create(
    {
      areaId: c.areaId,
      caseId: c.id,
      level: input.level,
      kind: input.kind,
      sequence: previous.length + 1,
      scheduledStart: ukLocalInstant(input.date, input.time),
      ...(due ? { dueBy: due.due } : {}),
      ...(lateReason && due && compareDates(input.date, due.due) > 0 ? { lateReason } : {}),
      ...(input.venue ? { venue: input.venue } : {}),
      chair: { name: chair.value.displayName, aadObjectId: chair.value.aadObjectId },
      invitees: input.agencies.map((agencyId) => ({ agencyId })),
      status: 'scheduled',
      ...(opts.scheduleKey ? { scheduleKey: opts.scheduleKey } : {}),
    },
    { by: actorOf(principal) },
  );
  if (!created.ok)
    return err(appError('VERSION_CONFLICT', 'Someone scheduled a meeting for this case at the same time; look again.'));
  return ok(created.value);
}
