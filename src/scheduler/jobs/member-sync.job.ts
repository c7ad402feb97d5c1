import type { MemberSyncError, MemberSyncSummary } from '../../app/members';
import type { Logger } from '../../config/logger';
import type { Result } from '../../lib/result';
import type { ScheduledJob } from '../scheduler';

export interface MemberSyncJobDeps {
  readonly cron: string;
  /** The group sync, run as the system (`runMemberSync` bound to the area's mappings). */
  readonly sync: () => Promise<Result<MemberSyncSummary, MemberSyncError>>;
  readonly logger: Logger;
}

/** Brings members in line with the mapped Entra groups; the log says how many changed, never who. */
export function memberSyncJob(deps: MemberSyncJobDeps): ScheduledJob {
  return {
    name: 'member-sync',
    cron: deps.cron,
    run: async () => {
      const res = await deps.sync();
      if (!res.ok) {
        deps.logger.warn({ code: res.error.code }, 'member sync read no groups; nothing changed');
        return;
      }
      deps.logger.info(
        {
          added: res.value.added,
          updated: res.value.updated,
          deactivated: res.value.deactivated,
          conflicts: res.value.conflicts.length,
        },
        'member sync done',
      );
    },
  };
}
