/**
 * Wraps repositories for one turn so that `get(id)` reads each record at most once, shared by every
 * repository wrapped through the same returned function. Any other call on any of them (a write,
 * conditional or not, its conflict, a list, an audited read) forgets everything read, so nothing written
 * this turn is answered from before it. Never keep a wrapped repository beyond the turn.
 */
export function turnReads(): <R extends object>(name: string, repo: R) => R {
  const reads = new Map<string, Promise<unknown>>();
  return <R extends object>(name: string, repo: R): R =>
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
}
