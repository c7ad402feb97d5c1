import { z } from 'zod';

const csv = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter((x) => x.length > 0),
  );

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID');

/**
 * Every environment variable the bot reads. Defaults here are the ones documented in .env.example.
 * Bot Framework keys keep their SDK spelling (MicrosoftAppId, …) so Azure's portal settings work unchanged.
 */
export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    BOT_AUTH: z.enum(['entra', 'none']).default('entra'),
    MicrosoftAppType: z.enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI']).default('SingleTenant'),
    MicrosoftAppId: z.union([guid, z.literal('')]).default(''),
    MicrosoftAppPassword: z.string().default(''),
    MicrosoftAppTenantId: z.union([guid, z.literal('')]).default(''),
    MONGODB_URI: z
      .string({ error: 'is required (or use `npm run dev`, which starts a local server)' })
      .regex(/^mongodb(\+srv)?:\/\/\S+$/, 'must be a mongodb:// or mongodb+srv:// connection string'),
    MONGODB_DB: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,38}$/, 'must be 1-38 letters, digits, - or _')
      .default('mappa'),
    MONGODB_CONNECT_TIMEOUT_MS: z.coerce.number().int().positive().default(10000),
    PROTECTIVE_MARKING: z.string().trim().min(1).max(60).default('OFFICIAL-SENSITIVE'),
    SHUTDOWN_GRACE_MS: z.coerce.number().int().positive().default(10000),
    MAPPA_AREA_ID: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a lower-case slug')
      .default('local-area'),
    MAPPA_AREA_NAME: z.string().trim().min(1).max(200).default('Local MAPPA area'),
    MAPPA_JURISDICTION: z.enum(['england-wales', 'scotland']).default('england-wales'),
    /**
     * How to reach the area's MAPPA co-ordination unit, as one line `guide` prints under every answer
     * (a team name, phone number and shared mailbox; never a person's own details). Unset = a line
     * saying to ask the co-ordinator.
     */
    MAPPA_CONTACT: z
      .string()
      .trim()
      .max(300)
      .regex(/^[^<>]*$/, 'must not contain < or > (Teams reads them as HTML)')
      .default(''),
    /** Tenants whose users may use the bot; defaults to MicrosoftAppTenantId. */
    ALLOWED_TENANT_IDS: csv.pipe(z.array(guid)),
    /** Entra object ids treated as admins until members are managed in the bot. */
    BOOTSTRAP_ADMIN_AAD_IDS: csv.pipe(z.array(guid)),
    /** Intake API for agencies' case-management systems; unset INTAKE_CALLERS leaves the route off. */
    INTAKE_TENANT_ID: z.union([guid, z.literal('')]).default(''),
    INTAKE_AUDIENCE: z.string().trim().default(''),
    /** `appId:agencyId,appId:agencyId`: which calling applications speak for which agency. */
    INTAKE_CALLERS: z.string().trim().default(''),
    INTAKE_JWKS_URI: z.string().trim().default(''),
    /** Where users' browsers reach this bot, for single-use document links (e.g. https://mappa-bot.example.org). */
    PUBLIC_BASE_URL: z.url({ error: 'must be an absolute URL' }).optional(),
    /** Base64 secret (32+ bytes) signing download links; unset = a random one per process (links die on restart). */
    DOWNLOAD_LINK_SECRET: z
      .string()
      .refine((v) => Buffer.from(v, 'base64').length >= 32, 'must be base64 of at least 32 random bytes')
      .optional(),
    DOWNLOAD_LINK_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),
    /**
     * Base64 secret (32+ bytes) keying the HMAC of `find` search terms in the audit log, so the log never
     * holds a searched PNC or name and a dictionary of them cannot be hashed to match without this key.
     * Unset = a random one per process (hashes then cannot be compared across restarts or instances).
     */
    FIND_HASH_SECRET: z
      .string()
      .refine((v) => Buffer.from(v, 'base64').length >= 32, 'must be base64 of at least 32 random bytes')
      .optional(),
    /** `report`: counts from 1 to this minus 1 are hidden in the card, chart and downloads (statistical disclosure control). */
    STATS_SUPPRESS_BELOW: z.coerce.number().int().min(1).max(100).default(5),
    /** `groupId:agencyId:role,…`: Entra security groups whose members are enrolled automatically. Unset = no sync. */
    MEMBER_GROUP_MAPPINGS: z.string().trim().default(''),
    /** App registration used for Microsoft Graph (client credentials); defaults to the bot's own. */
    GRAPH_CLIENT_ID: z.union([guid, z.literal('')]).default(''),
    GRAPH_CLIENT_SECRET: z.string().default(''),
    /**
     * The mailbox (user principal name or Entra object id) that sends meetings' Outlook invitations with
     * a Teams join link. Unset = no calendar invitations: the bot's own invitation cards only.
     */
    GRAPH_MEETING_ORGANISER: z.string().trim().max(320).default(''),
    MEMBER_SYNC_CRON: z.string().trim().min(9).default('30 6 * * *'),
    SCHEDULER_ENABLED: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    /** How often the counts of activities refused for their tenant are audited (the first of each is at once). */
    REFUSAL_AUDIT_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    /**
     * How long a member record and the area are reused between turns. A member removed or changed on
     * another instance (or straight in the database) keeps their old access for at most this long; a
     * change made through this instance applies at once. 0 turns the cache off.
     */
    IDENTITY_CACHE_SECONDS: z.coerce.number().min(0).max(30).default(10),
    /**
     * Teams' per-app per-tenant limit this instance keeps to, requests per second: 30 in older
     * documentation, 50 in newer. With several instances, divide it between them.
     */
    OUTBOUND_TENANT_RPS: z.coerce.number().int().min(1).max(50).default(30),
    /** When overdue referrals (awaited after a notification) are chased, on working days. */
    REFERRAL_REMINDER_CRON: z.string().trim().min(9).default('0 8 * * 1-5'),
    /** When the weekly retention review is posted to the co-ordinator channel (Europe/London time). */
    RETENTION_REVIEW_CRON: z.string().trim().min(9).default('0 7 * * 1'),
    /** How often each instance looks for reminders due (the area's policy decides when they are due). */
    REMINDER_SWEEP_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    /** How long a claimed reminder is held before another instance may send it (a dead instance's claim). */
    REMINDER_LEASE_SECONDS: z.coerce.number().int().min(10).max(3600).default(300),
    /** The co-ordinator channel's digest of open and overdue actions; closed days post nothing. */
    REMINDER_DIGEST_CRON: z.string().trim().min(9).default('30 8 * * 1-5'),
    /**
     * Application Insights connection string: when set, traces and metrics (no personal data) go there
     * through OpenTelemetry (docs/telemetry.md). Unset = no telemetry, and its SDK is never loaded.
     */
    APPLICATIONINSIGHTS_CONNECTION_STRING: z
      .string()
      .trim()
      .regex(
        /(^|;)\s*InstrumentationKey=[0-9a-f-]{36}/i,
        'must be an Application Insights connection string (InstrumentationKey=…;IngestionEndpoint=…)',
      )
      .optional(),
    /**
     * Transfers to another deployment: this deployment's Ed25519 private key (base64 of its PKCS#8 PEM)
     * and the id it is published under. Unset = a random key per process, so packages made before a
     * restart no longer verify anywhere: set it wherever transfers leave for another deployment.
     */
    TRANSFER_SIGNING_KEY: z
      .string()
      .trim()
      .refine(
        (v) => Buffer.from(v, 'base64').toString('utf8').includes('PRIVATE KEY'),
        'must be base64 of a PKCS#8 PEM',
      )
      .optional(),
    /**
     * How long a hand-over package (or a decline receipt) made here is accepted by the other
     * deployment, in days; it is signed into the package, so the receiver cannot stretch it.
     */
    TRANSFER_PACKAGE_TTL_DAYS: z.coerce.number().int().min(1).max(90).default(28),
    TRANSFER_KEY_ID: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, dot, dash or underscore')
      .default('local'),
    /**
     * Comma-separated ids of the MAPPA areas served by other deployments that cases may be transferred
     * to. `transfer … to <id>` refuses any other id not served in this database, so a typing mistake
     * never produces a signed package.
     */
    TRANSFER_PARTNER_AREAS: csv.pipe(z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'area ids'))),
    /** JSON `{ "<key id>": "<base64 of SPKI PEM>" }`: the deployments whose packages `import transfer` accepts. */
    TRANSFER_TRUSTED_KEYS: z
      .string()
      .trim()
      .default('{}')
      .transform((v, ctx) => {
        const parsed = z.record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), z.base64()).safeParse(
          (() => {
            try {
              return JSON.parse(v) as unknown;
            } catch {
              return null;
            }
          })(),
        );
        if (!parsed.success) {
          ctx.addIssue({ code: 'custom', message: 'must be a JSON object of key id to base64 public key PEM' });
          return z.NEVER;
        }
        return Object.fromEntries(
          Object.entries(parsed.data).map(([k, b]) => [k, Buffer.from(b, 'base64').toString('utf8')]),
        );
      }),
    /** SHA-256 (hex) of the bearer secret for admin endpoints such as /api/audit/verify; unset disables them. */
    ADMIN_API_TOKEN_SHA256: z
      .string()
      .regex(/^[0-9a-f]{64}$/i, 'must be the 64-character hex SHA-256 of the admin token')
      .transform((s) => s.toLowerCase())
      .optional(),
  })
  .superRefine((env, ctx) => {
    const need = (key: 'MicrosoftAppId' | 'MicrosoftAppPassword' | 'MicrosoftAppTenantId', why: string) => {
      if (env[key] === '') ctx.addIssue({ code: 'custom', path: [key], message: `is required ${why}` });
    };
    if (env.ALLOWED_TENANT_IDS.length === 0 && env.MicrosoftAppTenantId === '') {
      ctx.addIssue({
        code: 'custom',
        path: ['ALLOWED_TENANT_IDS'],
        message: 'is required (a comma-separated list of Entra tenant ids) when MicrosoftAppTenantId is not set',
      });
    }
    if (env.INTAKE_CALLERS !== '' && env.INTAKE_AUDIENCE === '') {
      ctx.addIssue({ code: 'custom', path: ['INTAKE_AUDIENCE'], message: 'is required when INTAKE_CALLERS is set' });
    }
    if (env.BOT_AUTH === 'none') {
      if (env.NODE_ENV === 'production') {
        ctx.addIssue({ code: 'custom', path: ['BOT_AUTH'], message: 'must not be "none" when NODE_ENV=production' });
      }
      return;
    }
    if (env.NODE_ENV === 'production') {
      // Links must outlive a restart and point at the public host, not the container's loopback.
      if (!env.PUBLIC_BASE_URL)
        ctx.addIssue({ code: 'custom', path: ['PUBLIC_BASE_URL'], message: 'is required when NODE_ENV=production' });
      // A document link is a bearer token in the URL: over plain http anyone on the path could replay it.
      else if (new URL(env.PUBLIC_BASE_URL).protocol !== 'https:')
        ctx.addIssue({
          code: 'custom',
          path: ['PUBLIC_BASE_URL'],
          message: 'must be an https:// URL when NODE_ENV=production',
        });
      if (!env.DOWNLOAD_LINK_SECRET) {
        ctx.addIssue({
          code: 'custom',
          path: ['DOWNLOAD_LINK_SECRET'],
          message: 'is required when NODE_ENV=production',
        });
      }
      // An investigator must be able to hash a term with the same key to find who searched for it.
      if (!env.FIND_HASH_SECRET) {
        ctx.addIssue({ code: 'custom', path: ['FIND_HASH_SECRET'], message: 'is required when NODE_ENV=production' });
      }
    }
    const why = `when BOT_AUTH=entra and MicrosoftAppType=${env.MicrosoftAppType} (set BOT_AUTH=none only for local testing)`;
    need('MicrosoftAppId', why);
    need('MicrosoftAppTenantId', why);
    if (env.MicrosoftAppType === 'UserAssignedMSI') {
      if (env.MicrosoftAppPassword !== '') {
        ctx.addIssue({ code: 'custom', path: ['MicrosoftAppPassword'], message: 'must be empty for UserAssignedMSI' });
      }
    } else {
      need('MicrosoftAppPassword', why);
    }
  });

export type Config = Readonly<z.infer<typeof envSchema>>;

/** The tenants allowed in: the explicit list, or the bot's own tenant. */
export function allowedTenants(config: Config): readonly string[] {
  return config.ALLOWED_TENANT_IDS.length > 0 ? config.ALLOWED_TENANT_IDS : [config.MicrosoftAppTenantId];
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`Configuration error: ${variable} ${detail}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once; the first problem becomes one line naming the variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // Empty strings mean "unset" so that `FOO=` in an .env file falls back to the default.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = issue?.path.join('.') || 'environment';
    throw new ConfigError(variable, issue?.message ?? 'is invalid');
  }
  return Object.freeze(parsed.data);
}

/** What may be logged about the configuration: no secrets, no connection strings with credentials. */
export function redactedConfigSummary(config: Config): Record<string, unknown> {
  return {
    NODE_ENV: config.NODE_ENV,
    HOST: config.HOST,
    PORT: config.PORT,
    BOT_AUTH: config.BOT_AUTH,
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppId: config.MicrosoftAppId || '(none)',
    MONGODB_URI: config.MONGODB_URI.replace(/\/\/[^@/]*@/, '//***@'),
    MONGODB_DB: config.MONGODB_DB,
    PROTECTIVE_MARKING: config.PROTECTIVE_MARKING,
    MAPPA_AREA_ID: config.MAPPA_AREA_ID,
    MAPPA_JURISDICTION: config.MAPPA_JURISDICTION,
    ALLOWED_TENANT_IDS: allowedTenants(config),
    BOOTSTRAP_ADMIN_COUNT: config.BOOTSTRAP_ADMIN_AAD_IDS.length,
  };
}
