import { ensureArea } from './app/members';
import { cachedMemberRepository, createRefusalAudit, resolveCaller } from './app/members';
import { cachedConversationDirectory } from './app/shared/cached-conversations';
import { systemClock } from './app/ports/clock.port';
import { createAdapter, messagesHandler } from './bot/adapter';
import { MappaBot } from './bot/mappa.bot';
import { allowedTenants, ConfigError, loadConfig, redactedConfigSummary, type Config } from './config/config';
import { createLogger, describeError, type Logger } from './config/logger';
import { createHttpServer } from './http/server';
import { MongoBotStorage } from './store/bot-state.storage';
import { MongoConversationDirectory } from './store/conversation.repository';
import { ALL_COLLECTIONS, createRepositories, MongoStatsQuery } from './store';
import { DatabaseUnavailableError, connectMongo } from './store/mongo';
import { MongoJobLeases } from './store/job-lease.repository';
import { startScheduler, type RunningScheduler } from './scheduler/scheduler';
import { TeamsMessenger } from './bot/proactive/messenger';
import { TeamsTransport } from './bot/proactive/teams-transport';
import { undeliverableReporter } from './bot/proactive/undeliverable';
import { OutboundWorker } from './app/outbound';
import { TEAMS_CONVERSATION_WINDOWS, tenantWindows } from './lib/sliding-window';
import { MongoOutboundQueue } from './store/outbound-queue.repository';
import { cardRendererFor } from './bot/handler-context';
import { jobDelivery } from './bot/proactive/job-delivery';
import { runRetentionReviewJob, type RetentionDeps } from './app/retention';
import { referralsDueOrLate } from './app/referrals';
import { hostname } from 'node:os';
import { MongoCardPosts } from './store/card-post.repository';
import { MongoIntakeClaimRepository } from './store/intake-claim.repository';
import { createIntakeAuthenticator, IntakeAuthConfig, parseIntakeCallers } from './http/entra-token';
import { intakeReceiver, registerIntakeRoutes } from './http/intake.route';
import type { NotificationBotDeps } from './bot/notifications/deps';
import { postNotificationToChannel } from './bot/notifications/notification-channel.card';
import type { ReferralHandlerDeps } from './bot/referrals/deps';
import { memberSyncJob } from './scheduler/jobs/member-sync.job';
import { referralRemindersJob } from './scheduler/jobs/referral-reminders.job';
import { retentionReviewJob } from './scheduler/jobs/retention-review.job';
import { reminderDigestJob } from './scheduler/jobs/reminder-digest.job';
import { startReminderSweeper, type RunningSweeper } from './scheduler/reminder-sweeper';
import {
  channelDigest,
  runReminderSweep,
  withDeadlineReminders,
  withReminders,
  type ReminderDeps,
} from './app/reminders';
import { MongoReminderRepository } from './store/reminder.repository';
import { digestPoster, reminderOutbox } from './bot/reminders/outbox';
import { MongoReferralQuestionRepository } from './store/referral-questions.repository';
import { MongoLinkClaims } from './store/link-claims.repository';
import { downloadDocumentByLink, minutesLink, type MinutesExportDeps } from './app/minutes-export';
import { statsLink, withStatsDownloads, type StatsExportDeps } from './app/stats';
import { statsChartRenderer, statsDocumentRenderer } from './documents/stats-renderer';
import { mappaALink, type ExportDeps } from './app/referral-export';
import { registerDocumentRoutes } from './http/documents.route';
import { registerMeetingTurnRoutes } from './http/meeting-turn.route';
import { minutesRenderer } from './documents/minutes-renderer';
import { docxMappaARenderer } from './documents/mappa-a.docx';
import { hmacDownloadLinkSigner } from './documents/signed-link';
import { hmacSearchTermHasher } from './store/search-term-hasher';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { ed25519TransferSigner } from './documents/transfer-signature';
import type { TransferSigner } from './app/ports/transfer-signer.port';
import { buildTransferBot } from './bot/transfer/wiring';
import { withTransferDownloads } from './app/transfer';
import { registerTransferImportRoute } from './http/transfer-import.route';
import { parseGroupMappings } from './app/members';
import { runMemberSync, type MemberSyncError, type MemberSyncSummary } from './app/members';
import { createGraphGroupReader, createGraphTokenProvider } from './graph/graph-client';
import { createGraphCalendar, type GraphCalendarOptions } from './graph/calendar';
import { afterTurnWork } from './bot/scheduling/after-turn';
import { MongoMemberSyncStore } from './store/member-sync.store';
import { systemActor } from './app/shared/actor';
import type { Result } from './lib/result';
import type { RequestActor } from './app/ports/write-context.port';
import { countError, recordQueueDepth, recordReminderLag, telemetryEnabled } from './telemetry/telemetry';
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
    // Every proactive message goes through one durable queue paced to Teams' limits (README).
    const outbound = new OutboundWorker({
      queue: new MongoOutboundQueue(mongo.db),
      transport,
      clock: systemClock,
      owner: `${hostname()}:${process.pid}`,
      limits: {
        conversation: TEAMS_CONVERSATION_WINDOWS,
        tenant: tenantWindows(config.OUTBOUND_TENANT_RPS),
        marginMs: 25,
      },
      onDelivered: async (m, posted) => {
        // Whichever instance sends a card records where it landed, so updates find it even if the
        // instance that asked for it died waiting.
        if (m.recordAs) {
          await outboundCardPosts.save({ key: m.recordAs, ...posted, targetConversationId: m.target.conversationId });
        }
      },
      onUndeliverable: (m) => reportUndeliverable(m),
      onError: (e, where) => logger.error({ error: describeError(e), where }, 'outbound queue error'),
    });
    const reportUndeliverable = undeliverableReporter({
      outbound,
      conversations,
      members: repos.members,
      areaId: area.id,
      tenantId: area.tenantId,
      card,
    });
    outbound.start();
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
    const exportDeps: ExportDeps = {
      referrals,
      audit: repos.audit,
      clock: systemClock,
      claims: new MongoLinkClaims(mongo.db),
      signer: hmacDownloadLinkSigner(
        config.DOWNLOAD_LINK_SECRET ? Buffer.from(config.DOWNLOAD_LINK_SECRET, 'base64') : randomBytes(32),
      ),
      document: docxMappaARenderer,
      baseUrl: () => config.PUBLIC_BASE_URL ?? `http://${config.HOST}:${listeningPort}`,
      marking: config.PROTECTIVE_MARKING,
      ttlSeconds: config.DOWNLOAD_LINK_TTL_SECONDS,
      principalOf: async (aadObjectId) => {
        const who = await identify({ tenantId: area.tenantId, aadObjectId });
        return who.kind === 'principal' && who.principal.member?.active ? who.principal : null;
      },
    };
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
    let memberSync: ((actor?: RequestActor) => Promise<Result<MemberSyncSummary, MemberSyncError>>) | undefined;
    if (config.MEMBER_GROUP_MAPPINGS !== '') {
      const mappings = parseGroupMappings(config.MEMBER_GROUP_MAPPINGS);
      if (!mappings.ok) throw new ConfigError('MEMBER_GROUP_MAPPINGS', mappings.error);
      const clientId = config.GRAPH_CLIENT_ID || config.MicrosoftAppId;
      const clientSecret = config.GRAPH_CLIENT_SECRET || config.MicrosoftAppPassword;
      if (!clientId || !clientSecret) {
        throw new ConfigError(
          'GRAPH_CLIENT_ID',
          'and GRAPH_CLIENT_SECRET (or the bot app id and password) are required for MEMBER_GROUP_MAPPINGS',
        );
      }
      const reader = createGraphGroupReader({
        getToken: createGraphTokenProvider({ tenantId: area.tenantId, clientId, clientSecret }),
      });
      const syncStore = new MongoMemberSyncStore(mongo.db, repos.members);
      memberSync = (actor) =>
        runMemberSync({
          reader,
          members: syncStore,
          mappings: mappings.value,
          tenantId: area.tenantId,
          areaId: area.id,
          actor: actor ?? systemActor(area.tenantId),
        });
    }
    // Meeting invitations through Graph: only when an organiser mailbox is configured, since creating
    // events needs Calendars.ReadWrite, which the member sync's credentials need not have.
    let calendar: ReturnType<typeof createGraphCalendar> | undefined;
    if (config.GRAPH_MEETING_ORGANISER !== '') {
      const clientId = config.GRAPH_CLIENT_ID || config.MicrosoftAppId;
      const clientSecret = config.GRAPH_CLIENT_SECRET || config.MicrosoftAppPassword;
      const getToken =
        seams.meetingCalendar?.getToken ??
        (clientId && clientSecret
          ? createGraphTokenProvider({ tenantId: area.tenantId, clientId, clientSecret })
          : undefined);
      if (!getToken) {
        throw new ConfigError(
          'GRAPH_CLIENT_ID',
          'and GRAPH_CLIENT_SECRET (or the bot app id and password) are required for GRAPH_MEETING_ORGANISER',
        );
      }
      calendar = createGraphCalendar({ ...seams.meetingCalendar, getToken, organiser: config.GRAPH_MEETING_ORGANISER });
    }
    const afterTurn = afterTurnWork(logger);
    const refusals = createRefusalAudit({
      audit: repos.audit,
      clock: systemClock,
      areaId: area.id,
      onError: (e) => logger.error({ error: describeError(e) }, 'could not audit refused activities'),
    });
    const flushRefusals = async () => {
      const { tenants, refused } = await refusals.flush();
      // Counts only: which tenants is in the audit log.
      if (refused > 0) logger.warn({ tenants, refused }, 'refused activities from tenants not on the allow-list');
    };
    const refusalTimer = setInterval(() => void flushRefusals(), config.REFUSAL_AUDIT_INTERVAL_SECONDS * 1000);
    refusalTimer.unref();
    const minutesExport: MinutesExportDeps = {
      ...exportDeps,
      minutes: meetingRun,
      minutesDocument: minutesRenderer,
    };
    const statsExport: StatsExportDeps = {
      ...exportDeps,
      stats: {
        query: new MongoStatsQuery(mongo.db),
        chart: statsChartRenderer,
        members: repos.members,
        audit: repos.audit,
        clock: systemClock,
        areaId: area.id,
        threshold: config.STATS_SUPPRESS_BELOW,
      },
      document: statsDocumentRenderer,
    };
    const transferBot = buildTransferBot({
      repos,
      conversations,
      messenger,
      marking: config.PROTECTIVE_MARKING,
      tenantId: area.tenantId,
      signer: transferSigner(config),
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
      refusals,
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
      routes.push((server) =>
        registerTransferImportRoute(server, {
          tokenSha256,
          importPackage: (body) => transferBot.importPackage(body),
          logger,
        }),
      );
    }
    if (config.INTAKE_CALLERS !== '') {
      const callers = parseIntakeCallers(config.INTAKE_CALLERS);
      if (!callers.ok) throw new ConfigError('INTAKE_CALLERS', callers.error);
      const intakeConfig = IntakeAuthConfig.safeParse({
        tenantId: config.INTAKE_TENANT_ID || config.MicrosoftAppTenantId || tenants[0],
        audience: config.INTAKE_AUDIENCE,
        callers: callers.value,
        ...(config.INTAKE_JWKS_URI ? { jwksUri: config.INTAKE_JWKS_URI } : {}),
      });
      if (!intakeConfig.success) {
        throw new ConfigError('INTAKE_CALLERS', intakeConfig.error.issues[0]?.message ?? 'is invalid');
      }
      const authenticator = createIntakeAuthenticator(intakeConfig.data);
      routes.push((server) =>
        registerIntakeRoutes(server, {
          authenticator,
          receive: intakeReceiver(notifications.receive),
          onReceived: async (received) => {
            await postNotificationToChannel({ card }, notifications, received.notification.id, area.tenantId);
          },
          logger,
        }),
      );
    }
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

    let scheduler: RunningScheduler | undefined;
    let sweeper: RunningSweeper | undefined;
    if (config.SCHEDULER_ENABLED) {
      const delivery = jobDelivery(messenger, card);
      const outbox = reminderOutbox({
        messenger,
        conversations,
        card,
        tenantId: area.tenantId,
        areaId: area.id,
        logger,
      });
      const claimer = `${hostname()}:${process.pid}`;
      sweeper = startReminderSweeper({
        intervalMs: config.REMINDER_SWEEP_SECONDS * 1000,
        sweep: async () => {
          const done = await runReminderSweep(
            {
              ...reminderDeps,
              outbox,
              telemetry: { reminderSent: recordReminderLag, dueFound: (n) => recordQueueDepth('reminders.due', n) },
            },
            { claimer, leaseMs: config.REMINDER_LEASE_SECONDS * 1000 },
          );
          if (done.sent + done.closed > 0) logger.info(done, 'reminder sweep');
        },
        onError: (e) => countError('reminder.sweep', e),
        logger,
      });
      scheduler = startScheduler(
        [
          ...(memberSync ? [memberSyncJob({ cron: config.MEMBER_SYNC_CRON, sync: memberSync, logger })] : []),
          referralRemindersJob({
            cron: config.REFERRAL_REMINDER_CRON,
            areaId: area.id,
            tenantId: area.tenantId,
            clock: systemClock,
            due: (today) =>
              referralsDueOrLate({ notifications: repos.notifications, cases: repos.cases, areaId: area.id }, today),
            conversations,
            delivery,
            logger,
          }),
          reminderDigestJob({
            cron: config.REMINDER_DIGEST_CRON,
            digest: () => channelDigest(reminderDeps),
            post: digestPoster({ messenger, conversations, card, areaId: area.id }),
            logger,
          }),
          retentionReviewJob({
            cron: config.RETENTION_REVIEW_CRON,
            areaId: area.id,
            clock: systemClock,
            review: (today, post) => runRetentionReviewJob(retention, today, post),
            conversations,
            delivery,
            logger,
          }),
        ],
        new MongoJobLeases(mongo.db, `${hostname()}:${process.pid}`),
        logger,
      );
    }

    const auditSequencer = repos.audit.startSequencer({
      onError: (e) => logger.error({ error: describeError(e) }, 'audit sequencer pass failed'),
    });
    let stopping: Promise<void> | undefined;
    return {
      port,
      stop: () =>
        (stopping ??= (async () => {
          scheduler?.stop();
          await sweeper?.stop();
          const drained = await http.drain(config.SHUTDOWN_GRACE_MS);
          if (!drained) logger.warn('shutdown grace period ended with turns still in flight');
          clearInterval(refusalTimer);
          await flushRefusals();
          await Promise.all([refusals.settled(), bot.settled(), afterTurn.settled()]);
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
function transferSigner(config: Config): TransferSigner {
  const privateKeyPem = config.TRANSFER_SIGNING_KEY
    ? Buffer.from(config.TRANSFER_SIGNING_KEY, 'base64').toString('utf8')
    : generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return ed25519TransferSigner({ keyId: config.TRANSFER_KEY_ID, privateKeyPem, trusted: config.TRANSFER_TRUSTED_KEYS });
}
