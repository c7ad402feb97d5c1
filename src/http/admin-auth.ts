import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Admin endpoints take a bearer secret whose SHA-256 is configured (the secret itself never sits in
 * configuration or logs). Compared in constant time so response timing does not leak it.
 */
export function checkAdminToken(authorization: string | undefined, expectedSha256Hex: string): boolean {
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  if (!m?.[1]) return false;
  const got = createHash('sha256').update(m[1], 'utf8').digest();
  const want = Buffer.from(expectedSha256Hex, 'hex');
  return want.length === got.length && timingSafeEqual(got, want);
}
