import type { ReferralReminder } from '../../app/referrals';
import type { Clock } from '../../app/ports/clock.port';
import { describeError, type Logger } from '../../config/logger';
import { ukDateOf } from '../../domain/dates';
import { formatUkDate } from '../../domain/format';
import type { ScheduledJob } from '../scheduler';
import type { JobConversations, JobDelivery } from './delivery';

export interface ReferralRemindersJobDeps {
  readonly cron: string;
  readonly areaId: string;
  readonly tenantId: string;
  readonly clock: Clock;
  /** The referrals due today or late (`referralsDueOrLate`, bound to the area's repositories). */
  readonly due: (today: string) => Promise<readonly ReferralReminder[]>;
  readonly conversations: JobConversations;
  readonly delivery: JobDelivery;
  readonly logger: Logger;
}

/**
 * Chases referrals the co-ordinator is awaiting: one list in the co-ordinator channel (references and
 * dates only), and a reminder to each notifier who made the notification in Teams. A reminder that
 * cannot be delivered is logged and the others still go.
 */
export function referralRemindersJob(deps: ReferralRemindersJobDeps): ScheduledJob {
  return {
    name: 'referral-reminders',
    cron: deps.cron,
    run: async () => {
      const due = await deps.due(ukDateOf(deps.clock.now()));
      if (due.length === 0) return;
      const channel = await deps.conversations.coordinatorChannel(deps.areaId);
      if (channel) {
        await deps.delivery.postNotice(
          channel,
          {
            title: 'Referrals awaited',
            message: 'These notifications are waiting for a MAPPA A referral from the lead agency.',
            facts: due.map((d) => ({
              title: d.caseRef,
              value: `${d.overdue ? 'late, was due' : 'due'} ${formatUkDate(d.due)}`,
            })),
          },
          'the referral reminder',
        );
      }
      for (const d of due) {
        if (!d.notifierAadObjectId) continue;
        const chat = await deps.conversations.personalChatOf(deps.tenantId, d.notifierAadObjectId);
        if (!chat) continue;
        await deps.delivery
          .sendText(
            chat,
            `Reminder: a MAPPA A referral for ${d.caseRef} ${d.overdue ? 'was' : 'is'} due ${formatUkDate(d.due)}. Type **refer ${d.caseRef}** to start.`,
            'a referral reminder',
          )
          .catch((e: unknown) =>
            deps.logger.warn({ error: describeError(e) }, 'a referral reminder could not be delivered'),
          );
      }
    },
  };
}
