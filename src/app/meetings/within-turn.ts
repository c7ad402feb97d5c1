import { turnReads } from '../shared/turn-reads';
import type { MeetingDeps } from './shared';

/**
 * The meeting deps for one turn, reading each meeting and case at most once: a save, its permission
 * checks and the card that answers it all ask for the same records. Any other call on the meetings or
 * cases repository forgets what was read (see turnReads), so a write's conflict re-reads the stored
 * version. Never keep the result beyond the turn: meeting state changes between turns.
 */
export function withinTurn(deps: MeetingDeps): MeetingDeps {
  const once = turnReads();
  return { ...deps, meetings: once('meeting', deps.meetings), cases: once('case', deps.cases) };
}
