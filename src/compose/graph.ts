import type { Db } from 'mongodb';
import { parseGroupMappings, runMemberSync, type MemberSyncError, type MemberSyncSummary } from '../app/members';
import type { MemberRepository } from '../app/ports/member-repository.port';
import type { RequestActor } from '../app/ports/write-context.port';
import { systemActor } from '../app/shared/actor';
import { ConfigError, type Config } from '../config/config';
import type { Area } from '../domain/area.schema';
import { createGraphCalendar, type GraphCalendarOptions } from '../graph/calendar';
import { createGraphGroupReader, createGraphTokenProvider } from '../graph/graph-client';
import type { Result } from '../lib/result';
import { MongoMemberSyncStore } from '../store/member-sync.store';

export type MemberSync = (actor?: RequestActor) => Promise<Result<MemberSyncSummary, MemberSyncError>>;

// Graph's app-only token: the dedicated app registration, else the bot's own.
function graphTokenFor(config: Config, tenantId: string, feature: string) {
  const clientId = config.GRAPH_CLIENT_ID || config.MicrosoftAppId;
  const clientSecret = config.GRAPH_CLIENT_SECRET || config.MicrosoftAppPassword;
  if (!clientId || !clientSecret) {
    throw new ConfigError(
      'GRAPH_CLIENT_ID',
      `and GRAPH_CLIENT_SECRET (or the bot app id and password) are required for ${feature}`,
    );
  }
  return createGraphTokenProvider({ tenantId, clientId, clientSecret });
}

/** Entra security group → member sync, when group mappings are configured. */
export function memberSyncFrom(config: Config, area: Area, db: Db, members: MemberRepository): MemberSync | undefined {
  if (config.MEMBER_GROUP_MAPPINGS === '') return undefined;
  const mappings = parseGroupMappings(config.MEMBER_GROUP_MAPPINGS);
  if (!mappings.ok) throw new ConfigError('MEMBER_GROUP_MAPPINGS', mappings.error);
  const reader = createGraphGroupReader({ getToken: graphTokenFor(config, area.tenantId, 'MEMBER_GROUP_MAPPINGS') });
  const syncStore = new MongoMemberSyncStore(db, members);
  return (actor) =>
    runMemberSync({
      reader,
      members: syncStore,
      mappings: mappings.value,
      tenantId: area.tenantId,
      areaId: area.id,
      actor: actor ?? systemActor(area.tenantId),
    });
}

/**
 * Meeting invitations through Graph: only when an organiser mailbox is configured, since creating
 * events needs Calendars.ReadWrite, which the member sync's credentials need not have.
 */
export function meetingCalendarFrom(
  config: Config,
  area: Area,
  seam: Partial<GraphCalendarOptions> | undefined,
): ReturnType<typeof createGraphCalendar> | undefined {
  if (config.GRAPH_MEETING_ORGANISER === '') return undefined;
  const getToken = seam?.getToken ?? graphTokenFor(config, area.tenantId, 'GRAPH_MEETING_ORGANISER');
  return createGraphCalendar({ ...seam, getToken, organiser: config.GRAPH_MEETING_ORGANISER });
}
