import type { Db } from 'mongodb';
import { hostname } from 'node:os';
import type { ConversationDirectory } from '../app/ports/conversations.port';
import { systemClock } from '../app/ports/clock.port';
import { referralsDueOrLate } from '../app/referrals';
import { channelDigest, runReminderSweep, type ReminderDeps } from '../app/reminders';
import { runRetentionReviewJob, type RetentionDeps } from '../app/retention';
import type { CardRenderer } from '../bot/handler-context';
import { jobDelivery } from '../bot/proactive/job-delivery';
import type { TeamsMessenger } from '../bot/proactive/messenger';
import { digestPoster, reminderOutbox } from '../bot/reminders/outbox';
import type { Config } from '../config/config';
import type { Logger } from '../config/logger';
import type { Area } from '../domain/area.schema';
import { memberSyncJob } from '../scheduler/jobs/member-sync.job';
import { referralRemindersJob } from '../scheduler/jobs/referral-reminders.job';
import { reminderDigestJob } from '../scheduler/jobs/reminder-digest.job';
import { retentionReviewJob } from '../scheduler/jobs/retention-review.job';
import { startReminderSweeper } from '../scheduler/reminder-sweeper';
import { startScheduler } from '../scheduler/scheduler';
import type { Repositories } from '../app/ports';
import { MongoJobLeases } from '../store/job-lease.repository';
import { countError, recordQueueDepth, recordReminderLag } from '../telemetry/telemetry';
import type { MemberSync } from './graph';

export interface BackgroundDeps {
  readonly config: Config;
  readonly db: Db;
  readonly area: Area;
  readonly repos: Pick<Repositories, 'notifications' | 'cases'>;
  readonly messenger: TeamsMessenger;
  readonly conversations: ConversationDirectory;
  readonly card: CardRenderer;
  readonly reminders: ReminderDeps;
  readonly retention: RetentionDeps;
  readonly memberSync: MemberSync | undefined;
  readonly logger: Logger;
}

/** The reminder sweep on every instance and the leased cron jobs (one instance runs each); stop ends both. */
export function startBackgroundWork(d: BackgroundDeps): { stop(): Promise<void> } {
  const { config, area, messenger, conversations, card, logger } = d;
  const delivery = jobDelivery(messenger, card);
  const outbox = reminderOutbox({ messenger, conversations, card, tenantId: area.tenantId, areaId: area.id, logger });
  const claimer = `${hostname()}:${process.pid}`;
  const sweeper = startReminderSweeper({
    intervalMs: config.REMINDER_SWEEP_SECONDS * 1000,
    sweep: async () => {
      const done = await runReminderSweep(
        {
          ...d.reminders,
          outbox,
          telemetry: { reminderSent: recordReminderLag, dueFound: (n) => recordQueueDepth('reminders.due', n) },
        },
        { claimer, leaseMs: config.REMINDER_LEASE_SECONDS * 1000 },
      );
      if (done.sent + done.closed > 0) logger.info(done, 'reminder sweep');
    },
    onError: (e) => countError('reminder.sweep', e),
    logger,
  });
  const scheduler = startScheduler(
    [
      ...(d.memberSync ? [memberSyncJob({ cron: config.MEMBER_SYNC_CRON, sync: d.memberSync, logger })] : []),
      referralRemindersJob({
        cron: config.REFERRAL_REMINDER_CRON,
        areaId: area.id,
        tenantId: area.tenantId,
        clock: systemClock,
        due: (today) =>
          referralsDueOrLate({ notifications: d.repos.notifications, cases: d.repos.cases, areaId: area.id }, today),
        conversations,
        delivery,
        logger,
      }),
      reminderDigestJob({
        cron: config.REMINDER_DIGEST_CRON,
        digest: () => channelDigest(d.reminders),
        post: digestPoster({ messenger, conversations, card, areaId: area.id }),
        logger,
      }),
      retentionReviewJob({
        cron: config.RETENTION_REVIEW_CRON,
        areaId: area.id,
        clock: systemClock,
        review: (today, post) => runRetentionReviewJob(d.retention, today, post),
        conversations,
        delivery,
        logger,
      }),
    ],
    new MongoJobLeases(d.db, claimer),
    logger,
  );
  return {
    stop: async () => {
      scheduler.stop();
      await sweeper.stop();
    },
  };
}
