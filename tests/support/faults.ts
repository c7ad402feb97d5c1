import type { Repositories } from '../../src/app/ports';

/**
 * The real repositories with one method wrapped, to cut a write short the way a crash or a database
 * outage would. `wrap` receives the real call and decides whether (and when) to make it.
 */
export function withFault<R extends keyof Repositories>(
  repos: Repositories,
  repo: R,
  method: keyof Repositories[R] & string,
  wrap: (call: () => Promise<unknown>) => Promise<unknown>,
): Repositories {
  type Fn = (...args: unknown[]) => unknown;
  const target = repos[repo] as object;
  const proxy = new Proxy(target, {
    get(t, prop, receiver) {
      const value = Reflect.get(t, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const fn = value as Fn;
      if (prop === method) return (...args: unknown[]) => wrap(async () => fn.apply(t, args));
      return fn.bind(t);
    },
  });
  return { ...repos, [repo]: proxy } as Repositories;
}
