import { createHmac } from 'node:crypto';
import type { SearchTermHasher } from '../app/ports/search-term-hasher.port';

/**
 * HMAC-SHA256 under a secret key (FIND_HASH_SECRET): a plain hash of a PNC number or a name and date
 * of birth could be reversed by hashing every candidate, which the key prevents.
 */
export function hmacSearchTermHasher(key: Buffer): SearchTermHasher {
  if (key.length < 32) throw new Error('The search-term key must be at least 32 bytes');
  return { hash: (terms) => createHmac('sha256', key).update(terms, 'utf8').digest('hex') };
}
