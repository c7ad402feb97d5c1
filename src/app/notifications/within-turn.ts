import { turnReads } from '../shared/turn-reads';
import type { NotificationDeps } from './shared';

/**
 * The notification deps for one turn, reading each notification, case and person at most once: a
 * decision, the channel card it updates and the card that answers the co-ordinator all ask for the
 * same records. Any other call on those repositories forgets everything read (see turnReads).
 */
export function withinTurn<D extends NotificationDeps>(deps: D): D {
  const once = turnReads();
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
