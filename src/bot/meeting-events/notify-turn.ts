import type { Meeting } from '../../domain/meeting.schema';
import type { HandlerContext } from '../handler-context';

/**
 * Tells the current agency's representatives in a Teams meeting that it is their turn (a targeted
 * in-meeting notification). Best effort: it never throws and never delays the chair's turn beyond
 * one connector call; outside a Teams meeting it does nothing.
 */
export async function notifyTurn(_hc: HandlerContext, _meeting: Meeting): Promise<void> {
  // Filled in by the meeting-events capability.
}
