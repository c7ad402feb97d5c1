import { Cron } from 'croner';
import { describeError, type Logger } from '../config/logger';

export interface ScheduledJob {
  readonly name: string;
  /** Cron expression in the area's local time (Europe/London): MAPPA works to UK office days. */
  readonly cron: string;
  /** `runKey` identifies this occurrence (e.g. its date) so only one instance runs it. */
  readonly run: (runKey: string) => Promise<void>;
}

export interface Leases {
  claim(job: string, runKey: string): Promise<boolean>;
}

export interface RunningScheduler {
  stop(): void;
  /** Runs a job now (an admin command or a test), still claiming its lease. */
  runNow(name: string, runKey: string): Promise<'ran' | 'skipped'>;
}

/** Starts the jobs with croner; overlapping runs are prevented and failures logged, never thrown. */
export function startScheduler(jobs: readonly ScheduledJob[], leases: Leases, logger: Logger): RunningScheduler {
  const execute = async (job: ScheduledJob, runKey: string): Promise<'ran' | 'skipped'> => {
    if (!(await leases.claim(job.name, runKey))) return 'skipped';
    try {
      await job.run(runKey);
      logger.info({ job: job.name, runKey }, 'scheduled job finished');
    } catch (err) {
      logger.error({ job: job.name, runKey, error: describeError(err) }, 'scheduled job failed');
    }
    return 'ran';
  };
  const crons = jobs.map(
    (job) =>
      new Cron(job.cron, { timezone: 'Europe/London', protect: true }, async (self: Cron) => {
        const at = self.currentRun() ?? new Date();
        await execute(job, at.toISOString().slice(0, 16));
      }),
  );
  return {
    stop: () => crons.forEach((c) => c.stop()),
    runNow: async (name, runKey) => {
      const job = jobs.find((j) => j.name === name);
      if (!job) throw new Error(`no scheduled job named ${name}`);
      return execute(job, runKey);
    },
  };
}
