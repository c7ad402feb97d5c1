import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type {
  DownloadClaims,
  DownloadLinkSigner,
  DownloadTokenError,
  SignDownloadInput,
} from '../app/ports/download-link.port';
import { err, ok, type Result } from '../lib/result';

/*
 * Token = base64url(payload JSON) "." base64url(HMAC-SHA256(secret, CONTEXT + "." + payload part)).
 * The context string keeps a MAC made for this purpose from ever verifying as something else
 * signed with the same secret.
 */
const CONTEXT = 'mappa-doc-download.v1';
const MIN_SECRET_BYTES = 32;
/* A link is meant to be clicked straight away from the card; anything longer is a bug. */
const MAX_TTL_SECONDS = 60 * 60;
const B64URL = /^[A-Za-z0-9_-]+$/;
const MAC_BYTES = 32;

const Payload = z.strictObject({
  v: z.literal(1),
  d: z.string().min(1).max(256),
  r: z.string().min(1).max(64),
  e: z.number().int().positive(),
  n: z.string().regex(B64URL).min(16).max(64),
});

export interface CreateDownloadTokenInput extends SignDownloadInput {
  /** At least 32 random bytes, from configuration; rotating it invalidates every open link. */
  readonly secret: Buffer;
}

function mac(secret: Buffer, payloadPart: string): Buffer {
  return createHmac('sha256', secret).update(`${CONTEXT}.${payloadPart}`).digest();
}

function assertSecret(secret: Buffer): void {
  if (secret.length < MIN_SECRET_BYTES)
    throw new RangeError(`download-link secret must be at least ${MIN_SECRET_BYTES} bytes`);
}

/**
 * Makes a URL-safe token for a short-lived download link bound to one document and one reader.
 *
 * The token is signed, not encrypted: it carries only opaque ids (document id, the reader's Entra
 * object id, expiry, nonce), never a name or case detail, because links end up in browser history
 * and proxy logs.
 *
 * Single use is NOT enforced here. The download endpoint must, after `verifyDownloadToken`
 * succeeds, atomically claim `nonce` in the database (insert-if-absent, kept until `expiresAt`)
 * and refuse the download when the claim loses. It should also check `readerAadObjectId`
 * against the authenticated caller where the endpoint authenticates one, and audit the download.
 *
 * Throws on programming errors only (short secret, empty ids, TTL outside 1 s to 1 h).
 */
export function createDownloadToken(input: CreateDownloadTokenInput): string {
  assertSecret(input.secret);
  if (!Number.isInteger(input.ttlSeconds) || input.ttlSeconds < 1 || input.ttlSeconds > MAX_TTL_SECONDS)
    throw new RangeError(`ttlSeconds must be an integer from 1 to ${MAX_TTL_SECONDS}`);
  const payload = Payload.parse({
    v: 1,
    d: input.docId,
    r: input.readerAadObjectId,
    e: Math.floor(input.now.getTime() / 1000) + input.ttlSeconds,
    n: randomBytes(16).toString('base64url'),
  });
  const payloadPart = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${payloadPart}.${mac(input.secret, payloadPart).toString('base64url')}`;
}

/**
 * Checks a token's shape, signature (in constant time) and expiry, in that order, so nothing
 * from an unauthenticated payload is trusted. Success does not make the link usable: the caller
 * still claims `nonce` once (see `createDownloadToken`).
 */
export function verifyDownloadToken(
  token: string,
  secret: Buffer,
  now: Date,
): Result<DownloadClaims, DownloadTokenError> {
  assertSecret(secret);
  const parts = token.split('.');
  if (parts.length !== 2) return err({ code: 'MALFORMED' });
  const [payloadPart, macPart] = parts as [string, string];
  if (!B64URL.test(payloadPart) || !B64URL.test(macPart)) return err({ code: 'MALFORMED' });

  const given = Buffer.from(macPart, 'base64url');
  // A non-canonical encoding would decode to the same bytes and give one link many spellings.
  if (given.length !== MAC_BYTES || given.toString('base64url') !== macPart) return err({ code: 'MALFORMED' });
  if (!timingSafeEqual(given, mac(secret, payloadPart))) return err({ code: 'BAD_SIGNATURE' });

  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8'));
  } catch {
    return err({ code: 'MALFORMED' });
  }
  const parsed = Payload.safeParse(json);
  if (!parsed.success) return err({ code: 'MALFORMED' });
  const { d, r, e, n } = parsed.data;
  if (now.getTime() >= e * 1000) return err({ code: 'EXPIRED' });
  return ok({ docId: d, readerAadObjectId: r, nonce: n, expiresAt: new Date(e * 1000).toISOString() });
}

/** The `DownloadLinkSigner` port over this module, bound to the configured secret. */
export function hmacDownloadLinkSigner(secret: Buffer): DownloadLinkSigner {
  return {
    sign: (input) => createDownloadToken({ ...input, secret }),
    verify: (token, now) => verifyDownloadToken(token, secret, now),
  };
}
