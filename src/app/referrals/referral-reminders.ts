import { compareDates, type IsoDate } from '../../domain/dates';
import type { NotificationRepository } from '../ports/notification-repository.port';
import type { CaseRepository } from '../ports/case-repository.port';
import { teamsNotifier } from '../notifications';

export interface ReferralReminder {
  readonly caseRef: string;
  readonly due: IsoDate;
  /** The Teams user who notified, to remind in personal chat; null when a system sent it. */
  readonly notifierAadObjectId: string | null;
  readonly overdue: boolean;
}

/**
 * Notifications the co-ordinator is awaiting a referral for, whose referral is due today or late and
 * has not arrived (the case is still only 'notified'). Minimal data: references and dates.
 */
export async function referralsDueOrLate(
  deps: {
    notifications: Pick<NotificationRepository, 'listByStatus'>;
    cases: Pick<CaseRepository, 'get'>;
    areaId: string;
  },
  today: IsoDate,
): Promise<ReferralReminder[]> {
  const accepted = await deps.notifications.listByStatus(deps.areaId, 'accepted', { limit: 500 });
  const out: ReferralReminder[] = [];
  for (const n of accepted) {
    const due = n.decision?.referralDue;
    if (!due || compareDates(due, today) > 0 || !n.caseId) continue;
    const c = await deps.cases.get(n.caseId);
    if (!c.ok || c.value.status !== 'notified') continue;
    out.push({
      caseRef: c.value.ref,
      due,
      // Only notifications made in Teams name a person; intake API ones name an application.
      notifierAadObjectId: teamsNotifier(n)?.aadObjectId ?? null,
      overdue: compareDates(due, today) < 0,
    });
  }
  return out;
}
