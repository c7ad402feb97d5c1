import type { DigestLine } from '../../app/reminders';
import type { Logger } from '../../config/logger';
import type { ScheduledJob } from '../scheduler';

export interface ReminderDigestJobDeps {
  readonly cron: string;
  /** `channelDigest` bound to the area: empty on a closed day. */
  readonly digest: () => Promise<DigestLine[]>;
  /** Posts the digest card in the co-ordinator channel; false when no channel is set. */
  readonly post: (lines: DigestLine[]) => Promise<boolean>;
  readonly logger: Logger;
}

/** The working-day morning digest of open and overdue actions in the co-ordinator channel (no names). */
export function reminderDigestJob(deps: ReminderDigestJobDeps): ScheduledJob {
  return {
    name: 'reminder-digest',
    cron: deps.cron,
    run: async () => {
      const lines = await deps.digest();
      if (lines.length === 0) return;
      if (!(await deps.post(lines))) deps.logger.warn('action digest due but no co-ordinator channel is set');
    },
  };
}
