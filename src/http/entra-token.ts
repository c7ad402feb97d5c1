import type * as Jose from 'jose';
import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { AgencyId } from '../domain/common.schema';
import { err, ok, type Result } from '../lib/result';

/*
 * Authentication of agencies' case-management systems calling the intake API. They hold their own
 * Entra app registrations and obtain app-only tokens (client credentials) for our API; we accept a
 * token only if Entra signed it for our tenant and audience and the calling app is on the allow-list,
 * which is what binds a machine caller to one agency.
 */

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Entra emits lower-case GUIDs in tid/azp/appid; normalising config means comparisons are exact.
const Guid = z
  .string()
  .trim()
  .regex(GUID_RE, 'must be a GUID')
  .transform((s) => s.toLowerCase());

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

// Keys fetched over plain HTTP could be swapped in transit, so http is only for loopback (tests, dev).
const KeysUrl = z.url({ protocol: /^https?$/ }).refine((u) => {
  const url = new URL(u);
  return url.protocol === 'https:' || LOOPBACK_HOSTS.has(url.hostname);
}, 'must be an https URL (http only on loopback)');

export const IntakeCaller = z.object({
  appId: Guid,
  agencyId: AgencyId,
});
export type IntakeCaller = z.infer<typeof IntakeCaller>;

const Audience = z
  .string()
  .trim()
  .min(1)
  .refine(
    (s) => GUID_RE.test(s) || /^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(s),
    'must be the API app id URI or its client id (GUID)',
  );

export const IntakeAuthConfig = z
  .object({
    tenantId: Guid,
    audience: Audience,
    jwksUri: KeysUrl.optional(),
    issuers: z.array(z.url()).min(1).optional(),
    callers: z.array(IntakeCaller).min(1, 'at least one calling application is needed'),
  })
  .superRefine((cfg, ctx) => {
    const seen = new Map<string, string>();
    cfg.callers.forEach((c, i) => {
      const prior = seen.get(c.appId);
      // One app id mapped to two agencies would make the notification's origin ambiguous.
      if (prior !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['callers', i, 'appId'],
          message: `app id ${c.appId} is already mapped to agency ${prior}`,
        });
      }
      seen.set(c.appId, c.agencyId);
    });
  })
  .transform((cfg) => ({
    ...cfg,
    jwksUri: cfg.jwksUri ?? `https://login.microsoftonline.com/${cfg.tenantId}/discovery/v2.0/keys`,
    // Which issuer appears depends on the accessTokenAcceptedVersion in our app's manifest, so both
    // are accepted unless configured otherwise.
    issuers: cfg.issuers ?? [
      `https://login.microsoftonline.com/${cfg.tenantId}/v2.0`,
      `https://sts.windows.net/${cfg.tenantId}/`,
    ],
  }));
export type IntakeAuthConfig = z.infer<typeof IntakeAuthConfig>;

/**
 * Parses an allow-list written as `appId:agencyId,appId:agencyId` (blank entries ignored).
 * The error names the 1-based entry and its text; entries hold only app ids and agency slugs.
 */
export function parseIntakeCallers(csv: string): Result<IntakeCaller[], string> {
  const entries = csv
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e.length > 0);
  const callers: IntakeCaller[] = [];
  for (const [i, entry] of entries.entries()) {
    const where = `intake caller entry ${i + 1} "${entry}"`;
    const parts = entry.split(':');
    if (parts.length !== 2) return err(`${where} must have the form appId:agencyId`);
    const parsed = IntakeCaller.safeParse({ appId: parts[0], agencyId: parts[1]?.trim() });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = String(issue?.path[0] ?? 'entry');
      return err(`${where}: ${field} ${issue?.message ?? 'is invalid'}`);
    }
    const dup = callers.find((c) => c.appId === parsed.data.appId);
    if (dup) return err(`${where}: app id is already mapped to agency ${dup.agencyId}`);
    callers.push(parsed.data);
  }
  return ok(callers);
}

export type IntakeAuthErrorCode =
  | 'MISSING_TOKEN'
  | 'INVALID_TOKEN'
  | 'TOKEN_EXPIRED'
  | 'WRONG_AUDIENCE'
  | 'WRONG_ISSUER'
  | 'UNKNOWN_CALLER'
  | 'WRONG_TENANT';

export interface IntakeAuthError {
  readonly status: 401 | 403;
  readonly code: IntakeAuthErrorCode;
  /** Safe to return to the caller: never contains the token or any claim other than claim names. */
  readonly message: string;
}

export interface IntakePrincipal {
  readonly appId: string;
  readonly agencyId: string;
  readonly tenantId: string;
}

export type IntakeAuthResult = Result<IntakePrincipal, IntakeAuthError>;

export interface IntakeAuthenticator {
  authenticate(authorizationHeader: string | undefined): Promise<IntakeAuthResult>;
}

export interface IntakeAuthOptions {
  /** Key source; defaults to the tenant's remote JWKS. Tests and offline setups may inject one. */
  readonly jwks?: JWTVerifyGetKey;
  readonly clockToleranceSec?: number;
}

/**
 * Thrown (not returned) when the signing keys cannot be fetched or read: the caller is not at fault,
 * so the route should answer 503 rather than a 4xx.
 */
export class IntakeKeysUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the signing keys for intake tokens could not be fetched or read', { cause });
    this.name = 'IntakeKeysUnavailableError';
  }
}

const USER_TOKEN_MESSAGE = 'a user token cannot call this API; use client credentials';

const fail = (status: 401 | 403, code: IntakeAuthErrorCode, message: string) =>
  err<IntakeAuthError>({ status, code, message });

// RFC 7235: the scheme is case-insensitive; token68 is the only form a bearer token takes.
const BEARER_RE = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

function bearerToken(header: string | undefined): Result<string, IntakeAuthError> {
  const value = header?.trim() ?? '';
  if (value === '') {
    return fail(401, 'MISSING_TOKEN', "the Authorization header is missing; send 'Authorization: Bearer <token>'");
  }
  if (!/^Bearer(\s|$)/i.test(value)) {
    return fail(
      401,
      'MISSING_TOKEN',
      "the Authorization header must use the Bearer scheme: 'Authorization: Bearer <token>'",
    );
  }
  if (/^Bearer$/i.test(value)) return fail(401, 'MISSING_TOKEN', 'the Bearer token is empty');
  const match = BEARER_RE.exec(value);
  if (!match?.[1]) return fail(401, 'INVALID_TOKEN', 'the Bearer token is malformed');
  return ok(match[1]);
}

// Entra puts the client id in a v2 token's aud and the requested app id URI in a v1 token's, so a
// config naming either form must accept both.
function acceptedAudiences(audience: string): string[] {
  const uriForm = /^api:\/\/([0-9a-f-]{36})$/i.exec(audience);
  if (uriForm?.[1] && GUID_RE.test(uriForm[1])) return [audience, uriForm[1].toLowerCase()];
  if (GUID_RE.test(audience)) return [audience.toLowerCase(), `api://${audience.toLowerCase()}`];
  return [audience];
}

let joseModule: typeof Jose | undefined;
/** jose is loaded when an intake authenticator is built (INTAKE_CALLERS set), not by every bot at start. */
function loadJose(): typeof Jose {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous load at first use, typed by the import above
  return (joseModule ??= require('jose') as typeof Jose);
}

/** Maps token faults to 4xx values; returns undefined for faults that are ours (keys unreachable). */
function verifyFailure(e: unknown, cfg: IntakeAuthConfig, errors: typeof Jose.errors): IntakeAuthError | undefined {
  const invalid = (message: string): IntakeAuthError => ({ status: 401, code: 'INVALID_TOKEN', message });
  if (e instanceof errors.JWTExpired) {
    return { status: 401, code: 'TOKEN_EXPIRED', message: 'the token has expired; obtain a new one' };
  }
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.reason === 'missing') return invalid(`the token lacks the required "${e.claim}" claim`);
    switch (e.claim) {
      case 'aud':
        return {
          status: 401,
          code: 'WRONG_AUDIENCE',
          message: `the token was not issued for this API; request it with scope ${cfg.audience}/.default`,
        };
      case 'iss': {
        // The signature has been checked by now, so tid is Entra's word: a token from another
        // tenant deserves that clearer answer than "wrong issuer".
        const tid = (e.payload as JWTPayload).tid;
        if (typeof tid === 'string' && tid.toLowerCase() !== cfg.tenantId) {
          return {
            status: 401,
            code: 'WRONG_TENANT',
            message: "the token was issued by another tenant; use this area's tenant",
          };
        }
        return {
          status: 401,
          code: 'WRONG_ISSUER',
          message: 'the token was not issued by an accepted Entra ID issuer',
        };
      }
      case 'nbf':
        return invalid('the token is not valid yet');
      default:
        return invalid(`the token's "${e.claim}" claim is not acceptable`);
    }
  }
  if (e instanceof errors.JWSSignatureVerificationFailed) return invalid('the token signature is not valid');
  if (e instanceof errors.JWKSNoMatchingKey || e instanceof errors.JWKSMultipleMatchingKeys) {
    return invalid("the token was not signed by one of the tenant's current keys");
  }
  if (e instanceof errors.JOSEAlgNotAllowed) return invalid('the token must be signed with RS256');
  if (e instanceof errors.JWSInvalid || e instanceof errors.JWTInvalid || e instanceof errors.JOSENotSupported) {
    return invalid('the token is not a well-formed signed JWT');
  }
  return undefined;
}

function checkClaims(
  payload: JWTPayload,
  cfg: IntakeAuthConfig,
  agencyByApp: ReadonlyMap<string, string>,
): IntakeAuthResult {
  const tid = typeof payload.tid === 'string' ? payload.tid.toLowerCase() : undefined;
  if (tid !== cfg.tenantId) {
    return fail(401, 'WRONG_TENANT', "the token was issued by another tenant; use this area's tenant");
  }
  // idtyp is only present when the optional claim is configured; without it, a delegated token is
  // recognisable by its scp claim, which app-only tokens never carry.
  const isUserToken = payload.idtyp !== undefined ? payload.idtyp !== 'app' : payload.scp !== undefined;
  if (isUserToken) return fail(401, 'INVALID_TOKEN', USER_TOKEN_MESSAGE);
  const rawAppId = payload.azp ?? payload.appid;
  if (typeof rawAppId !== 'string' || rawAppId === '') {
    return fail(401, 'INVALID_TOKEN', 'the token does not name the calling application (azp or appid claim)');
  }
  const appId = rawAppId.toLowerCase();
  const agencyId = agencyByApp.get(appId);
  if (agencyId === undefined) {
    return fail(
      403,
      'UNKNOWN_CALLER',
      `the calling application ${appId} is not registered to send notifications for any agency`,
    );
  }
  return ok({ appId, agencyId, tenantId: tid });
}

/**
 * Builds the intake authenticator. Expected refusals are returned as values with a status and code
 * the route can send as JSON; an unreachable key endpoint throws IntakeKeysUnavailableError.
 */
export function createIntakeAuthenticator(cfg: IntakeAuthConfig, opts: IntakeAuthOptions = {}): IntakeAuthenticator {
  const { createRemoteJWKSet, errors, jwtVerify } = loadJose();
  // jose caches the key set and refetches on an unknown kid at most once per cooldown, so rotated
  // keys are picked up without letting junk kids hammer the tenant's endpoint.
  const keys =
    opts.jwks ??
    createRemoteJWKSet(new URL(cfg.jwksUri), {
      cooldownDuration: 30_000,
      cacheMaxAge: 10 * 60_000,
      timeoutDuration: 5_000,
    });
  const audience = acceptedAudiences(cfg.audience);
  const agencyByApp = new Map(cfg.callers.map((c) => [c.appId, c.agencyId] as const));
  const clockTolerance = opts.clockToleranceSec ?? 60;

  return {
    async authenticate(authorizationHeader) {
      const token = bearerToken(authorizationHeader);
      if (!token.ok) return token;
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token.value, keys, {
          algorithms: ['RS256'],
          issuer: cfg.issuers,
          audience,
          clockTolerance,
          requiredClaims: ['exp', 'tid'],
        }));
      } catch (e) {
        const failure = verifyFailure(e, cfg, errors);
        if (failure) return err(failure);
        throw new IntakeKeysUnavailableError(e);
      }
      return checkClaims(payload, cfg, agencyByApp);
    },
  };
}
