/**
 * Records moved by a transfer that is not yet settled carry its id here; area-scoped readers skip
 * them, so neither area acts on (or is reminded of) a half-moved record.
 */
export const TRANSFER_HOLD = 'transferHold';
export const notHeld = { [TRANSFER_HOLD]: { $exists: false } } as const;
