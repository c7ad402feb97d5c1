import { describeError, type Logger } from '../config/logger';

export interface RunningSweeper {
  stop(): Promise<void>;
}

/**
 * Every instance sweeps on its own timer: the reminders' own claims keep instances apart, so no job
 * lease is needed, and a sweep never overlaps the previous one on the same instance.
 */
export function startReminderSweeper(opts: {
  readonly intervalMs: number;
  readonly sweep: () => Promise<unknown>;
  readonly logger: Logger;
}): RunningSweeper {
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return;
    running = opts
      .sweep()
      .then(
        () => undefined,
        (e: unknown) => opts.logger.error({ error: describeError(e) }, 'reminder sweep failed'),
      )
      .finally(() => (running = undefined));
  };
  const timer = setInterval(tick, opts.intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
