import type { NotificationDeps } from './shared';

/**
 * The notification deps for one turn, reading each notification, case and person at most once: a
 * decision, the channel card it updates and the card that answers the co-ordinator all ask for the
 * same records. Any other call on those repositories (a write, its conflict, an audited read) forgets
 * everything read, so nothing written this turn is answered from before it. Never keep the result
 * beyond the turn.
 */
export function withinTurn<D extends NotificationDeps>(deps: D): D {
  const reads = new Map<string, Promise<unknown>>();
  const once = <R extends object>(name: string, repo: R): R =>
    new Proxy(repo, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        if (typeof value !== 'function') return value;
        const fn = value as (...args: unknown[]) => Promise<unknown>;
        if (key === 'get')
          return (id: string) => {
            const k = `${name}:${id}`;
            let read = reads.get(k);
            if (!read) {
              read = fn.call(target, id);
              reads.set(k, read);
              // A read that failed (an outage) is not kept: the next ask tries again.
              read.catch(() => reads.delete(k));
            }
            return read;
          };
        return (...args: unknown[]) => {
          reads.clear();
          return fn.apply(target, args);
        };
      },
    });
  const { repos } = deps;
  return {
    ...deps,
    repos: {
      ...repos,
      notifications: once('notification', repos.notifications),
      cases: once('case', repos.cases),
      subjects: once('subject', repos.subjects),
    },
  };
}
