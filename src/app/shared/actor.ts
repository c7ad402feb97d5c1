import type { Principal } from '../../domain/policy';
import type { RequestActor } from '../ports/write-context.port';

/**
 * Who a write or a personal-data read is recorded as: the caller's Entra ids, which Teams vouches
 * for, and the name from their member record (never one typed on a card).
 */
export function actorOf(principal: Principal): RequestActor {
  return {
    aadObjectId: principal.aadObjectId,
    tenantId: principal.tenantId,
    displayName: principal.member?.displayName ?? 'Unknown',
  };
}

/** The service identity recorded for writes the bot makes on its own behalf. */
export function systemActor(tenantId: string): RequestActor {
  return { aadObjectId: 'system', displayName: 'MAPPA Assistant (system)', tenantId };
}
