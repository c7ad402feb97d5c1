import { ensureArea } from './app/members';
import { cachedMemberRepository, resolveCaller } from './app/members';
import { cachedConversationDirectory } from './app/shared/cached-conversations';
import { systemClock } from './app/ports/clock.port';
import { createAdapter, messagesHandler } from './bot/adapter';
import { MappaBot } from './bot/mappa.bot';
import { allowedTenants, ConfigError, loadConfig, redactedConfigSummary, type Config } from './config/config';
import { createLogger, describeError, type Logger } from './config/logger';
import { createHttpServer } from './http/server';
import { MongoBotStorage } from './store/bot-state.storage';
import { MongoConversationDirectory } from './store/conversation.repository';
import { ALL_COLLECTIONS, createRepositories } from './store';
import { DatabaseUnavailableError, connectMongo } from './store/mongo';
import { TeamsMessenger } from './bot/proactive/messenger';
import { TeamsTransport } from './bot/proactive/teams-transport';
import { cardRendererFor } from './bot/handler-context';
import type { RetentionDeps } from './app/retention';
import { MongoCardPosts } from './store/card-post.repository';
import { MongoIntakeClaimRepository } from './store/intake-claim.repository';
import type { NotificationBotDeps } from './bot/notifications/deps';
import { postNotificationToChannel } from './bot/notifications/notification-channel.card';
import type { ReferralHandlerDeps } from './bot/referrals/deps';
import { withDeadlineReminders, withReminders, type ReminderDeps } from './app/reminders';
import { MongoReminderRepository } from './store/reminder.repository';
import { MongoReferralQuestionRepository } from './store/referral-questions.repository';
import { downloadDocumentByLink, minutesLink } from './app/minutes-export';
import { statsLink, withStatsDownloads } from './app/stats';
import { mappaALink } from './app/referral-export';
import { registerDocumentRoutes } from './http/documents.route';
import { registerMeetingTurnRoutes } from './http/meeting-turn.route';
import { hmacSearchTermHasher } from './store/search-term-hasher';
import { randomBytes } from 'node:crypto';
import { buildTransferBot } from './bot/transfer/wiring';
import { withTransferDownloads } from './app/transfer';
import { registerTransferImportRoute } from './http/transfer-import.route';
import type { GraphCalendarOptions } from './graph/calendar';
import { startBackgroundWork } from './compose/background';
import { intakeRoutes } from './compose/intake';
import { startRefusalAudit } from './compose/refusals';
import { documentExports, transferSignerFrom } from './compose/documents';
import { startOutbound } from './compose/outbound';
import { meetingCalendarFrom, memberSyncFrom } from './compose/graph';
import { afterTurnWork } from './bot/scheduling/after-turn';
import { telemetryEnabled } from './telemetry/telemetry';
import { startAzureMonitor, type RunningTelemetry } from './telemetry/azure-monitor';

export interface RunningApp {
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * What tests may put in place of the outside world: Graph's address, token and time limits for the
 * meeting invitations (a local fake Graph server; no Microsoft Entra token).
 */
export interface AppSeams {
  readonly meetingCalendar?: Partial<GraphCalendarOptions>;
}

/** Composition root: config → MongoDB → repositories → use cases → bot → HTTP. */
export async function startApp(config: Config, logger: Logger, seams: AppSeams = {}): Promise<RunningApp> {
  const mongo = await connectMongo({
    uri: config.MONGODB_URI,
    dbName: config.MONGODB_DB,
    timeoutMs: config.MONGODB_CONNECT_TIMEOUT_MS,
    collections: ALL_COLLECTIONS,
    traceCommands: telemetryEnabled(),
  });
  let stopOutbound: (() => Promise<void>) | undefined;
  try {
    const stored = createRepositories(mongo.db, systemClock);
    // Every turn resolves its caller's member record and many read the area: reused for a few
    // seconds, which bounds how long a removal made on another instance takes to apply (README).
    const base = {
      ...stored,
      members: cachedMemberRepository(stored.members, {
        ttlMs: config.IDENTITY_CACHE_SECONDS * 1000,
        maxEntries: 10_000,
        clock: systemClock,
      }),
    };
    const reminderStore = new MongoReminderRepository(mongo.db, systemClock);
    // Every write that starts or meets a process deadline moves its reminder at once, whichever use case made it.
    const repos = withDeadlineReminders(base, {
      reminders: reminderStore,
      cases: base.cases,
      members: base.members,
      clock: systemClock,
      deadlines: base,
    });
    const tenants = allowedTenants(config);
    const area = await ensureArea(repos.members, {
      id: config.MAPPA_AREA_ID,
      name: config.MAPPA_AREA_NAME,
      jurisdiction: config.MAPPA_JURISDICTION,
      tenantId: tenants[0]!,
    });
    const retention: RetentionDeps = {
      areaId: area.id,
      clock: systemClock,
      members: repos.members,
      cases: repos.cases,
      subjects: repos.subjects,
      notifications: repos.notifications,
      referrals: repos.referrals,
      meetings: repos.meetings,
      agencyUpdates: repos.agencyUpdates,
      minutes: repos.minutes,
      actions: repos.actions,
    };
    // References are written when new or changed, not on every turn, and refreshed every ten minutes
    // so the newest personal chat of a user is still the one found; a found chat is reused for 30 s.
    const conversations = cachedConversationDirectory(new MongoConversationDirectory(mongo.db), {
      maxEntries: 10_000,
      refreshMs: 10 * 60_000,
      lookupTtlMs: 30_000,
      now: () => systemClock.now().getTime(),
    });
    const adapter = createAdapter(config, logger);
    const card = cardRendererFor(config.PROTECTIVE_MARKING);
    const transport = new TeamsTransport(adapter, config.MicrosoftAppId);
    const outboundCardPosts = new MongoCardPosts(mongo.db);
    const outbound = startOutbound({
      config,
      db: mongo.db,
      area,
      transport,
      cardPosts: outboundCardPosts,
      conversations,
      members: repos.members,
      card,
      logger,
    });
    stopOutbound = () => outbound.stop();
    const messenger = new TeamsMessenger(transport, outbound);
    const claims = new MongoIntakeClaimRepository(mongo.db, systemClock);
    const notifications: NotificationBotDeps = {
      receive: { repos, clock: systemClock, areaId: area.id, claims },
      messenger,
      cardPosts: outboundCardPosts,
      conversations,
    };
    const cardPosts = notifications.cardPosts;
    const referrals: ReferralHandlerDeps = {
      referrals: repos.referrals,
      cases: repos.cases,
      subjects: repos.subjects,
      claims,
      members: repos.members,
      questions: new MongoReferralQuestionRepository(mongo.db, systemClock, repos.audit),
      clock: systemClock,
      areaId: area.id,
      notifyReferrer: async (aadObjectId, card) => {
        const chat = await conversations.personalChatOf(area.tenantId, aadObjectId);
        if (!chat) throw new Error('the referrer has no personal chat with the bot');
        await messenger.sendPersonal(chat, card, 'the question to the referrer');
      },
    };
    const identify = (ids: {
      tenantId: string | undefined;
      aadObjectId: string | undefined;
      displayName?: string | undefined;
    }) =>
      resolveCaller(
        ids,
        {
          findMember: async (tenantId, aadObjectId) => {
            const m = await repos.members.getMember(tenantId, aadObjectId);
            return m.ok && m.value.areaId === area.id ? m.value : null;
          },
        },
        { areaId: area.id, allowedTenantIds: tenants, bootstrapAdminAadIds: config.BOOTSTRAP_ADMIN_AAD_IDS },
      );
    let listeningPort = config.PORT;
    const reminderDeps: ReminderDeps = {
      reminders: reminderStore,
      actions: repos.actions,
      cases: repos.cases,
      members: repos.members,
      clock: systemClock,
      areaId: area.id,
      deadlines: repos,
    };
    const meetingRun = {
      meetings: repos.meetings,
      agencyUpdates: repos.agencyUpdates,
      // Every action write moves or stops its reminder at once.
      actions: withReminders(repos.actions, reminderDeps),
      cases: repos.cases,
      referrals: repos.referrals,
      members: repos.members,
      minutes: repos.minutes,
      audit: repos.audit,
      clock: systemClock,
      areaId: area.id,
    };
    const referralsWithExport: ReferralHandlerDeps = {
      ...referrals,
      exportLink: (referralId, reader) => mappaALink(exportDeps, reader, referralId),
    };
    const memberSync = memberSyncFrom(config, area, mongo.db, repos.members);
    const calendar = meetingCalendarFrom(config, area, seams.meetingCalendar);
    const afterTurn = afterTurnWork(logger);
    const refusalAudit = startRefusalAudit(config, repos.audit, area.id, logger);
    const exports = documentExports({
      config,
      db: mongo.db,
      area,
      base: {
        referrals,
        audit: repos.audit,
        clock: systemClock,
        baseUrl: () => config.PUBLIC_BASE_URL ?? `http://${config.HOST}:${listeningPort}`,
        principalOf: async (aadObjectId) => {
          const who = await identify({ tenantId: area.tenantId, aadObjectId });
          return who.kind === 'principal' && who.principal.member?.active ? who.principal : null;
        },
      },
      minutes: meetingRun,
      stats: { members: repos.members, audit: repos.audit, clock: systemClock },
    });
    const { mappaA: exportDeps, minutes: minutesExport, stats: statsExport } = exports;
    const transferBot = buildTransferBot({
      repos,
      reminders: reminderStore,
      conversations,
      messenger,
      marking: config.PROTECTIVE_MARKING,
      tenantId: area.tenantId,
      signer: transferSignerFrom(config),
      packageTtlDays: config.TRANSFER_PACKAGE_TTL_DAYS,
      partnerAreas: config.TRANSFER_PARTNER_AREAS,
      exportDeps,
      logger,
    });
    const bot = new MappaBot({
      storage: new MongoBotStorage(mongo.db),
      protectiveMarking: config.PROTECTIVE_MARKING,
      areaName: area.name,
      areaId: area.id,
      identify,
      conversations,
      members: { members: repos.members, areaId: area.id },
      audit: repos.audit,
      refusals: refusalAudit.refusals,
      cases: repos.cases,
      retention,
      notifications,
      memberSync,
      referrals: referralsWithExport,
      transfer: transferBot.bot,
      ...(config.PUBLIC_BASE_URL ? { publicBaseUrl: config.PUBLIC_BASE_URL } : {}),
      meetings: {
        // The minutes store rides along so `end meeting` drafts the minutes (see draftMinutesAfterEnd).
        run: meetingRun,
        messenger,
        cardPosts,
        conversations,
        afterTurn,
        ...(calendar ? { calendar } : {}),
      },
      actions: {
        run: meetingRun,
        messenger,
        cardPosts,
        conversations,
        members: repos.members,
        tenantId: area.tenantId,
      },
      reminders: { run: { ...reminderDeps, run: meetingRun } },
      minutes: {
        run: meetingRun,
        link: (reader, minutesId, format) => minutesLink(minutesExport, reader, minutesId, format),
        messenger,
        cardPosts,
        conversations,
        linkTtlSeconds: config.DOWNLOAD_LINK_TTL_SECONDS,
      },
      guide: {
        members: repos.members,
        areaId: area.id,
        contact: config.MAPPA_CONTACT,
        marking: config.PROTECTIVE_MARKING,
      },
      find: {
        cases: repos.cases,
        subjects: repos.subjects,
        meetings: repos.meetings,
        actions: repos.actions,
        members: repos.members,
        audit: repos.audit,
        hasher: hmacSearchTermHasher(
          config.FIND_HASH_SECRET ? Buffer.from(config.FIND_HASH_SECRET, 'base64') : randomBytes(32),
        ),
        areaId: area.id,
      },
      stats: {
        run: statsExport.stats,
        link: (reader, period, format) => statsLink(statsExport, reader, period, format),
        linkTtlSeconds: config.DOWNLOAD_LINK_TTL_SECONDS,
        // Bot messages may be about 100 KB (keep under 80 KB): the rest of the card needs about 20.
        maxInlineChartChars: 60_000,
      },
      referralChannel: {
        referrals: referralsWithExport,
        messenger,
        cardPosts,
        conversations,
        marking: config.PROTECTIVE_MARKING,
        members: repos.members,
        tenantId: area.tenantId,
        notifications: repos.notifications,
      },
      logger,
    });
    const routes: Array<(server: import('restify').Server) => void> = [
      (server) =>
        registerDocumentRoutes(server, {
          download: withTransferDownloads(
            transferBot.exportDeps,
            withStatsDownloads(statsExport, (token) => downloadDocumentByLink(minutesExport, token)),
          ),
          logger,
        }),
      (server) => registerMeetingTurnRoutes(server, { jurisdiction: area.jurisdiction }),
    ];
    if (config.ADMIN_API_TOKEN_SHA256) {
      const tokenSha256 = config.ADMIN_API_TOKEN_SHA256;
      routes.push((server) => registerTransferImportRoute(server, { ...transferBot, tokenSha256, logger }));
    }
    const intake = intakeRoutes(config, tenants[0], notifications, logger, (id) =>
      postNotificationToChannel({ card }, notifications, id, area.tenantId).then(() => undefined),
    );
    if (intake) routes.push(intake);
    const http = createHttpServer({
      registerRoutes: (server) => routes.forEach((r) => r(server)),
      handleMessages: messagesHandler(adapter, bot, logger),
      logger,
      dbReady: () => mongo.ping(),
      ...(config.ADMIN_API_TOKEN_SHA256
        ? {
            auditVerify: {
              tokenSha256: config.ADMIN_API_TOKEN_SHA256,
              verify: () => repos.audit.verifyAuditChain(area.id),
            },
          }
        : {}),
    });
    const { port } = await http.listen(config.PORT, config.HOST);
    listeningPort = port;
    logger.info({ port, host: config.HOST }, 'listening');

    const background = config.SCHEDULER_ENABLED
      ? startBackgroundWork({
          config,
          db: mongo.db,
          area,
          repos,
          messenger,
          conversations,
          card,
          reminders: reminderDeps,
          retention,
          memberSync,
          logger,
        })
      : undefined;

    const auditSequencer = repos.audit.startSequencer({
      onError: (e) => logger.error({ error: describeError(e) }, 'audit sequencer pass failed'),
    });
    let stopping: Promise<void> | undefined;
    return {
      port,
      stop: () =>
        (stopping ??= (async () => {
          await background?.stop();
          const drained = await http.drain(config.SHUTDOWN_GRACE_MS);
          if (!drained) logger.warn('shutdown grace period ended with turns still in flight');
          await refusalAudit.stop();
          await Promise.all([bot.settled(), afterTurn.settled()]);
          // Sends in flight finish and are recorded; what this instance held goes back to the queue.
          await outbound.stop();
          // Last: the refusals and turns above may still append; stopping integrates what is queued.
          await auditSequencer.stop();
          await mongo.close();
          logger.info('stopped');
        })()),
    };
  } catch (e) {
    await stopOutbound?.();
    await mongo.close();
    throw e;
  }
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.LOG_LEVEL);
  logger.info({ config: redactedConfigSummary(config) }, 'starting');
  const telemetry: RunningTelemetry | undefined = config.APPLICATIONINSIGHTS_CONNECTION_STRING
    ? startAzureMonitor(config.APPLICATIONINSIGHTS_CONNECTION_STRING, 'mappa-teams-bot')
    : undefined;
  // Handlers go in before start-up: a signal that arrives while the server is starting must still
  // shut it down cleanly once it is up, not kill it mid-write.
  let app: RunningApp | undefined;
  let signalled: string | undefined;
  const shutdown = (signal: string) => {
    signalled ??= signal;
    if (!app) return;
    logger.info({ signal }, 'shutting down');
    app
      .stop()
      .then(() => telemetry?.stop())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  try {
    app = await startApp(config, logger);
  } catch (err) {
    if (err instanceof DatabaseUnavailableError || err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  if (signalled) shutdown(signalled);
}

if (require.main === module) {
  void main();
}

/** The Ed25519 signer of hand-over packages: the configured key, or one made for this process. */
