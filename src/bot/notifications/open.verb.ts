import { can } from '../../domain/policy';
import type { ExecuteHandler } from '../capability';
import { coordinatorUserIds, viewCard } from './notification-channel.card';

/** The co-ordinator opens the details; only readers entitled to the case get them. */
export const openVerb: ExecuteHandler<{ notificationId: string }> = (h, p) => {
  const viewer = can(h.principal, 'notification.decide').allowed ? h.principal : null;
  return viewCard({ ...h, principal: viewer }, p.notificationId, () =>
    coordinatorUserIds(h.deps.notifications, h.principal.tenantId),
  );
};
