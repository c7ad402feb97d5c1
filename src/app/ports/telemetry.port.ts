/**
 * What the reminder sweep reports to metrics. Numbers only: the adapter adds no attribute about the
 * reminder, its case or its owner.
 */
export interface SweepTelemetry {
  /** A reminder went out `lagMs` after it fell due. */
  reminderSent(lagMs: number): void;
  /** How many reminders one sweep found due (those it claimed, up to its limit). */
  dueFound(count: number): void;
}
