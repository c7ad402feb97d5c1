import type { MeetingDeps } from './shared';

/**
 * The meeting deps for one turn, reading each meeting and case at most once: a save, its permission
 * checks and the card that answers it all ask for the same records. Any other call on the meetings or
 * cases repository (a write, conditional or not, or a list) forgets what was read, so a write's
 * conflict re-reads the stored version and nothing written this turn is answered from before it.
 * Never keep the result beyond the turn: meeting state changes between turns.
 */
export function withinTurn(deps: MeetingDeps): MeetingDeps {
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
  return { ...deps, meetings: once('meeting', deps.meetings), cases: once('case', deps.cases) };
}
