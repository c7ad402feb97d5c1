import type { Result } from '../../lib/result';

/** What a valid download token vouches for. */
export interface DownloadClaims {
  readonly docId: string;
  readonly readerAadObjectId: string;
  /** Random, unique per link: the caller claims it once to make the link single-use. */
  readonly nonce: string;
  /** ISO 8601 instant after which the link is refused. */
  readonly expiresAt: string;
}

export type DownloadTokenError = { readonly code: 'MALFORMED' | 'BAD_SIGNATURE' | 'EXPIRED' };

export interface SignDownloadInput {
  readonly docId: string;
  readonly readerAadObjectId: string;
  readonly ttlSeconds: number;
  readonly now: Date;
}

/**
 * Makes and checks the tokens in short-lived download links. A port so the use case never holds
 * the signing secret or a crypto library; src/documents implements it with an HMAC.
 * Single use is the caller's job: it claims `nonce` once after `verify` succeeds.
 */
export interface DownloadLinkSigner {
  sign(input: SignDownloadInput): string;
  verify(token: string, now: Date): Result<DownloadClaims, DownloadTokenError>;
}
