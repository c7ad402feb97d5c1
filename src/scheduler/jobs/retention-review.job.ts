import type { RetentionReviewItem } from '../../app/retention';
import type { Clock } from '../../app/ports/clock.port';
import type { Logger } from '../../config/logger';
import { ukDateOf } from '../../domain/dates';
import { formatUkDate } from '../../domain/format';
import type { ScheduledJob } from '../scheduler';
import type { JobConversations, JobDelivery } from './delivery';

export interface RetentionReviewJobDeps {
  readonly cron: string;
  readonly areaId: string;
  readonly clock: Clock;
  /** `runRetentionReviewJob` bound to the area: calls `post` with the due list, only when something is due. */
  readonly review: (today: string, post: (lines: readonly RetentionReviewItem[]) => Promise<void>) => Promise<unknown>;
  readonly conversations: JobConversations;
  readonly delivery: JobDelivery;
  readonly logger: Logger;
}

/** Tells the co-ordinator channel which exited cases have reached their retention review (references only). */
export function retentionReviewJob(deps: RetentionReviewJobDeps): ScheduledJob {
  return {
    name: 'retention-review',
    cron: deps.cron,
    run: async () => {
      await deps.review(ukDateOf(deps.clock.now()), async (lines) => {
        const channel = await deps.conversations.coordinatorChannel(deps.areaId);
        if (!channel) {
          deps.logger.warn('retention review due but no co-ordinator channel is set');
          return;
        }
        await deps.delivery.postNotice(
          channel,
          {
            title: 'Cases due for retention review',
            message: 'Review with the owning agencies; an admin can then erase personal data in personal chat.',
            facts: lines.map((l) => ({
              title: l.caseRef,
              value: `exited ${formatUkDate(l.exitDate)}, review due ${formatUkDate(l.dueOn)}`,
            })),
          },
          'the retention review',
        );
      });
    },
  };
}
