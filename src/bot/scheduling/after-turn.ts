import { describeError, type Logger } from '../../config/logger';

/**
 * Work that follows a reply (Graph, invitation cards): started after the turn's answer, never awaited
 * by it, and tracked so shutdown can wait for what is still running.
 */
export interface AfterTurnWork {
  run(what: string, work: () => Promise<void>): void;
  settled(): Promise<void>;
}

export function afterTurnWork(logger: Logger): AfterTurnWork {
  const pending = new Set<Promise<void>>();
  return {
    run(what, work) {
      // setImmediate: the turn's own reply is written before any of this starts.
      const p = new Promise<void>((resolve) => setImmediate(resolve))
        .then(work)
        .catch((e: unknown) => logger.error({ error: describeError(e) }, `after-turn work failed: ${what}`));
      pending.add(p);
      void p.finally(() => pending.delete(p));
    },
    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
