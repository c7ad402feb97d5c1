import type { Area } from '../../domain/area.schema';
import type { Meeting } from '../../domain/meeting.schema';
import { categoriesFor } from '../../domain/eligibility';
import { CaseRef } from '../ports/case-repository.port';
import { Id } from '../../domain/common.schema';
import { invitedAgencies, isCoordinator, loadArea, type MeetingDeps } from './shared';
import { meetingToRun } from './start-meeting';

/**
 * What a shared conversation may show of a meeting: its case reference, where it has got to and the
 * invited agencies' names. No meeting content, so no read audit; the detailed view is `viewMeeting`.
 */
export interface MeetingProgress {
  readonly meeting: Meeting;
  readonly caseRef: string;
  readonly agencyNames: Readonly<Record<string, string>>;
  readonly categories: readonly { readonly value: string; readonly title: string }[];
  readonly tenantId: string;
  /** For the defaults a form offers (the review interval); no case content. */
  readonly area: Area;
}

export async function meetingProgress(deps: MeetingDeps, meetingId: string): Promise<MeetingProgress | null> {
  const id = Id.safeParse(meetingId);
  if (!id.success) return null;
  const found = await deps.meetings.get(id.data);
  if (!found.ok || found.value.areaId !== deps.areaId) return null;
  const c = await deps.cases.get(found.value.caseId);
  if (!c.ok) return null;
  const area = await loadArea(deps);
  return {
    meeting: found.value,
    caseRef: c.value.ref,
    agencyNames: Object.fromEntries(area.agencies.map((a) => [a.id, a.name])),
    categories: categoriesFor(area.jurisdiction).map((x) => ({ value: x.category, title: x.label })),
    tenantId: area.tenantId,
    area,
  };
}

/**
 * The meeting to run for a typed case reference (with `orLastHeld`, failing that the last one held), or null. The caller's access is checked by the use
 * case it then calls, which answers "not found" alike for a case that does not exist and one they
 * may not see.
 */
export async function meetingIdForCase(
  deps: MeetingDeps,
  rawRef: string,
  opts: { readonly orLastHeld?: boolean } = {},
): Promise<string | null> {
  const ref = CaseRef.safeParse(rawRef.trim().toUpperCase());
  if (!ref.success) return null;
  const found = await deps.cases.getByRef(deps.areaId, ref.data);
  if (!found.ok) return null;
  const toRun = await meetingToRun(deps, found.value.id);
  if (toRun || !opts.orLastHeld) return toRun?.id ?? null;
  // `end meeting` typed again: the meeting just held, so the use case can say it has already ended.
  const held = (await deps.meetings.listForCase(found.value.id)).filter((m) => m.status === 'held');
  return held.sort((a, b) => a.scheduledStart.localeCompare(b.scheduledStart)).at(-1)?.id ?? null;
}

/**
 * The meeting bound to a conversation by `start meeting` there: the one running, else the latest
 * started (so `end meeting` typed again says it had already ended). Access is the caller's use case's.
 */
export async function meetingIdForConversation(deps: MeetingDeps, conversationId: string): Promise<string | null> {
  const bound = await deps.meetings.listForConversation(deps.areaId, conversationId);
  return (bound.find((m) => m.status === 'in_progress') ?? bound[0])?.id ?? null;
}

/**
 * Of these people (Entra ids, e.g. a conversation's roster), those entitled to the meeting's detailed
 * view: active enrolled members of an invited agency, and the area's co-ordinators.
 */
export async function meetingReaders(
  deps: MeetingDeps,
  meeting: Meeting,
  tenantId: string,
  aadObjectIds: readonly string[],
): Promise<string[]> {
  const invited = invitedAgencies(meeting);
  const out: string[] = [];
  for (const aad of aadObjectIds) {
    const m = await deps.members.getMember(tenantId, aad);
    if (!m.ok || !m.value.active) continue;
    if (invited.includes(m.value.agencyId) || isCoordinator({ aadObjectId: aad, tenantId, member: m.value }))
      out.push(aad);
  }
  return out;
}
