import type { AgencyUpdate } from '../../domain/agency-update.schema';
import type { Meeting } from '../../domain/meeting.schema';
import type { Principal } from '../../domain/policy';
import { redactForReader, withheldFields } from '../../domain/police-only';
import type { Result } from '../../lib/result';
import { ok } from '../../lib/result';
import { appendReadAudit } from './audit-read';
import { loadArea, loadMeeting, runsMeeting, type MeetingDeps, type MeetingError } from './shared';

export interface MeetingView {
  readonly meeting: Meeting;
  readonly caseRef: string;
  /** Each agency's update as this reader may see it (police-only intelligence removed for DTC readers). */
  readonly updates: readonly AgencyUpdate[];
  /** How many updates had police-only content withheld from this reader. */
  readonly withheld: number;
  readonly agencyNames: Readonly<Record<string, string>>;
  readonly readerAgencyId: string | null;
  /** The chair, or the co-ordinator who may take the chair's steps for the chair. */
  readonly readerIsChair: boolean;
}

/**
 * The meeting's detailed record for an enrolled member of an invited agency (or the co-ordinator),
 * redacted for the reader and audited before anything is returned.
 */
export async function viewMeeting(
  deps: MeetingDeps,
  principal: Principal,
  meetingId: string,
): Promise<Result<MeetingView, MeetingError>> {
  const loaded = await loadMeeting(deps, principal, meetingId, 'read');
  if (!loaded.ok) return loaded;
  const { meeting, caseRecord, actor } = loaded.value;
  const area = await loadArea(deps);
  const readerAgency = area.agencies.find((a) => a.id === principal.member?.agencyId);
  const hasVisor = readerAgency?.visorAccess ?? false;
  const stored = await deps.agencyUpdates.listForMeeting(meeting.id);
  // Counted only over what the card shows (confirmed updates): an agency's unshared draft is not
  // yet part of the meeting, and saying it holds police-only intelligence would itself disclose that.
  const withheld = hasVisor
    ? 0
    : stored.filter((u) => u.status === 'confirmed' && withheldFields('agencyUpdate', u).length > 0).length;
  await appendReadAudit(deps, actor, meeting, { updates: stored.length, withheld });
  return ok({
    meeting,
    caseRef: caseRecord.ref,
    updates: stored.map((u) => redactForReader('agencyUpdate', u, hasVisor)),
    withheld,
    agencyNames: Object.fromEntries(area.agencies.map((a) => [a.id, a.name])),
    readerAgencyId: principal.member?.agencyId ?? null,
    readerIsChair: runsMeeting(principal, meeting),
  });
}
