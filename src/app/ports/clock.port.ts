/**
 * The current instant. Use cases and repositories ask this instead of `new Date()` so tests can pin
 * time and deadlines, refs (which carry the year) and audit timestamps stay deterministic.
 */
export interface Clock {
  now(): Date;
}

/** The wall clock, for the composition root. */
export const systemClock: Clock = { now: () => new Date() };
