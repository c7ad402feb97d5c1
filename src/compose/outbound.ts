import type { Db } from 'mongodb';
import { hostname } from 'node:os';
import { OutboundWorker } from '../app/outbound';
import type { CardPostRepository } from '../app/ports/card-posts.port';
import { systemClock } from '../app/ports/clock.port';
import type { ConversationDirectory } from '../app/ports/conversations.port';
import type { MemberRepository } from '../app/ports/member-repository.port';
import type { CardRenderer } from '../bot/handler-context';
import type { TeamsTransport } from '../bot/proactive/teams-transport';
import { undeliverableReporter } from '../bot/proactive/undeliverable';
import type { Config } from '../config/config';
import { describeError, type Logger } from '../config/logger';
import type { Area } from '../domain/area.schema';
import { TEAMS_CONVERSATION_WINDOWS, tenantWindows } from '../lib/sliding-window';
import { MongoOutboundQueue } from '../store/outbound-queue.repository';
import { recordQueueDepth } from '../telemetry/telemetry';

/** What the outbound worker reports to telemetry: its depth, counted at each sweep. */
export const outboundTelemetry = {
  onQueueDepth: (depth: number): void => recordQueueDepth('outbound', depth),
} as const;

/** Every proactive message goes through one durable queue paced to Teams' limits (README); started here. */
export function startOutbound(d: {
  readonly config: Config;
  readonly db: Db;
  readonly area: Area;
  readonly transport: TeamsTransport;
  readonly cardPosts: CardPostRepository;
  readonly conversations: ConversationDirectory;
  readonly members: MemberRepository;
  readonly card: CardRenderer;
  readonly logger: Logger;
}): OutboundWorker {
  const outbound: OutboundWorker = new OutboundWorker({
    queue: new MongoOutboundQueue(d.db),
    transport: d.transport,
    clock: systemClock,
    owner: `${hostname()}:${process.pid}`,
    limits: {
      conversation: TEAMS_CONVERSATION_WINDOWS,
      tenant: tenantWindows(d.config.OUTBOUND_TENANT_RPS),
    },
    onDelivered: async (m, posted) => {
      // Whichever instance sends a card records where it landed, so updates find it even if the
      // instance that asked for it died waiting.
      if (m.recordAs) {
        await d.cardPosts.save({ key: m.recordAs, ...posted, targetConversationId: m.target.conversationId });
      }
    },
    ...outboundTelemetry,
    onUndeliverable: (m) => reportUndeliverable(m),
    onError: (e, where) => d.logger.error({ error: describeError(e), where }, 'outbound queue error'),
  });
  const reportUndeliverable = undeliverableReporter({
    outbound,
    conversations: d.conversations,
    members: d.members,
    areaId: d.area.id,
    tenantId: d.area.tenantId,
    card: d.card,
  });
  outbound.start();
  return outbound;
}
