import { Id } from '../../domain/common.schema';
import { categoryLabel } from '../../domain/minutes-compile';
import type { Minutes } from '../../domain/minutes.schema';
import { CaseRef } from '../ports/case-repository.port';
import { readerCopy, type MinutesDeps } from './shared';

/**
 * What a shared conversation may show of a meeting's minutes: references, the date, levels, the
 * decision in words and counts. No names and no minuted text, so no read audit (`openMinutes` is the
 * audited read of the content).
 */
export interface MinutesSummary {
  readonly minutesId: string;
  readonly meetingId: string;
  readonly caseRef: string;
  readonly tenantId: string;
  readonly date: string;
  /** The level the meeting was held at. */
  readonly meetingLevel: number;
  /** 'Level 3, Category 2', or null when the meeting recorded no decision. */
  readonly decision: string | null;
  readonly actionCount: number;
  readonly status: Minutes['status'];
  readonly revision: number;
  readonly version: number;
  readonly approvedAt?: string;
  readonly correctionOpen: boolean;
  /** The draft revision of an open correction; the rest of the summary is the approved revision's. */
  readonly correctionRevision?: number;
}

export async function minutesSummary(deps: MinutesDeps, meetingId: string): Promise<MinutesSummary | null> {
  const id = Id.safeParse(meetingId);
  if (!id.success) return null;
  const [found, meeting] = await Promise.all([deps.minutes.getForMeeting(id.data), deps.meetings.get(id.data)]);
  if (!found.ok || !meeting.ok || found.value.areaId !== deps.areaId) return null;
  const m = found.value;
  const c = await deps.cases.get(m.caseId);
  const area = await deps.members.getArea(deps.areaId);
  if (!c.ok || !area.ok) return null;
  const decided = meeting.value.run?.decision;
  // While a correction is drafted, the shared card shows the approved revision, noting the correction.
  const { minutes: shown, correctionInProgress } = await readerCopy(deps, m, meeting.value.level);
  return {
    minutesId: m.id,
    meetingId: m.meetingId,
    caseRef: c.value.ref,
    tenantId: area.value.tenantId,
    date: m.meetingDetails.date,
    meetingLevel: meeting.value.level,
    decision: decided ? `Level ${decided.level}, ${categoryLabel(decided.category)}` : null,
    actionCount: m.actionIds.length,
    status: shown.status,
    revision: shown.revision,
    version: m.version,
    ...(shown.approvedAt ? { approvedAt: shown.approvedAt } : {}),
    correctionOpen: m.correction !== undefined && m.status !== 'approved',
    ...(correctionInProgress !== null ? { correctionRevision: correctionInProgress } : {}),
  };
}

/**
 * The newest minutes of the case a typed reference names, or null. Access is checked by the use case
 * the caller then makes (`openMinutes`), which answers alike for no case and a case not theirs.
 */
export async function latestMinutesIdForCase(deps: MinutesDeps, rawRef: string): Promise<string | null> {
  const ref = CaseRef.safeParse(rawRef.trim().toUpperCase());
  if (!ref.success) return null;
  const found = await deps.cases.getByRef(deps.areaId, ref.data);
  if (!found.ok) return null;
  const all = await deps.minutes.listForCase(found.value.id);
  return all.at(-1)?.id ?? null;
}
