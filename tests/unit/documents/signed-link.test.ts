import { createHmac, randomBytes } from 'node:crypto';
import { createDownloadToken, hmacDownloadLinkSigner, verifyDownloadToken } from '../../../src/documents/signed-link';

const SECRET = randomBytes(32);
const NOW = new Date('2026-02-01T12:00:00Z');
const READER = '00000000-0000-4000-8000-000000000002';

const token = (overrides: Partial<Parameters<typeof createDownloadToken>[0]> = {}): string =>
  createDownloadToken({
    secret: SECRET,
    docId: 'export-42',
    readerAadObjectId: READER,
    ttlSeconds: 300,
    now: NOW,
    ...overrides,
  });

const at = (seconds: number): Date => new Date(NOW.getTime() + seconds * 1000);

describe('download tokens', () => {
  it('round-trips the document, reader, nonce and expiry', () => {
    const t = token();
    expect(t).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const result = verifyDownloadToken(t, SECRET, at(10));
    expect(result).toEqual({
      ok: true,
      value: {
        docId: 'export-42',
        readerAadObjectId: READER,
        nonce: expect.stringMatching(/^[A-Za-z0-9_-]{16,}$/),
        expiresAt: '2026-02-01T12:05:00.000Z',
      },
    });
  });

  it('gives every link its own nonce so each can be claimed once', () => {
    const nonces = [token(), token()].map((t) => {
      const r = verifyDownloadToken(t, SECRET, NOW);
      return r.ok ? r.value.nonce : null;
    });
    expect(nonces[0]).not.toBeNull();
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it('rejects a payload changed after signing', () => {
    const [payload, mac] = token().split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, d: 'export-43' })).toString('base64url');
    expect(verifyDownloadToken(`${forged}.${mac}`, SECRET, NOW)).toEqual({
      ok: false,
      error: { code: 'BAD_SIGNATURE' },
    });
    const extended = Buffer.from(JSON.stringify({ ...claims, e: (claims.e as number) + 86_400 })).toString('base64url');
    expect(verifyDownloadToken(`${extended}.${mac}`, SECRET, NOW)).toEqual({
      ok: false,
      error: { code: 'BAD_SIGNATURE' },
    });
  });

  it('rejects a token signed with another secret', () => {
    expect(verifyDownloadToken(token(), randomBytes(32), NOW)).toEqual({ ok: false, error: { code: 'BAD_SIGNATURE' } });
  });

  it('expires at the end of its lifetime', () => {
    const t = token({ ttlSeconds: 60 });
    expect(verifyDownloadToken(t, SECRET, at(59)).ok).toBe(true);
    expect(verifyDownloadToken(t, SECRET, at(60))).toEqual({ ok: false, error: { code: 'EXPIRED' } });
    expect(verifyDownloadToken(t, SECRET, at(3600))).toEqual({ ok: false, error: { code: 'EXPIRED' } });
  });

  it.each([
    ['empty', ''],
    ['no separator', 'abc'],
    ['three parts', 'a.b.c'],
    ['non-base64url characters', 'abc$.def'],
    ['short signature', 'eyJ2IjoxfQ.AAAA'],
  ])('reports a malformed token (%s)', (_name, t) => {
    expect(verifyDownloadToken(t, SECRET, NOW)).toEqual({ ok: false, error: { code: 'MALFORMED' } });
  });

  it('refuses a non-canonical spelling of a valid signature', () => {
    const [payload, mac] = token().split('.') as [string, string];
    // 32 bytes leave two unused bits in the last character; flipping one keeps the decoded bytes.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(mac.slice(-1));
    const respelt = mac.slice(0, -1) + alphabet[last ^ 1];
    expect(Buffer.from(respelt, 'base64url').equals(Buffer.from(mac, 'base64url'))).toBe(true);
    expect(verifyDownloadToken(`${payload}.${respelt}`, SECRET, NOW)).toEqual({
      ok: false,
      error: { code: 'MALFORMED' },
    });
  });

  it('treats a signed but invalid payload as malformed', () => {
    const payload = Buffer.from('{"v":2}').toString('base64url');
    const mac = createHmac('sha256', SECRET).update(`mappa-doc-download.v1.${payload}`).digest('base64url');
    expect(verifyDownloadToken(`${payload}.${mac}`, SECRET, NOW)).toEqual({ ok: false, error: { code: 'MALFORMED' } });
  });

  it('throws on programming errors rather than issuing a weak or long-lived link', () => {
    expect(() => token({ secret: randomBytes(16) })).toThrow(RangeError);
    expect(() => token({ ttlSeconds: 0 })).toThrow(RangeError);
    expect(() => token({ ttlSeconds: 86_400 })).toThrow(RangeError);
    expect(() => token({ docId: '' })).toThrow();
  });
});

describe('hmacDownloadLinkSigner (the DownloadLinkSigner port)', () => {
  const input = { docId: 'export-42', readerAadObjectId: READER, ttlSeconds: 300, now: NOW };

  it('signs tokens that verify with the same secret, and with the module functions', () => {
    const signer = hmacDownloadLinkSigner(SECRET);
    const signed = signer.sign(input);
    expect(signer.verify(signed, at(10))).toMatchObject({ ok: true, value: { docId: 'export-42' } });
    expect(verifyDownloadToken(signed, SECRET, at(10)).ok).toBe(true);
    expect(signer.verify(token(), at(10)).ok).toBe(true);
  });

  it('refuses a token signed with another secret, and expired ones', () => {
    const signed = hmacDownloadLinkSigner(randomBytes(32)).sign(input);
    expect(hmacDownloadLinkSigner(SECRET).verify(signed, at(10))).toEqual({
      ok: false,
      error: { code: 'BAD_SIGNATURE' },
    });
    expect(hmacDownloadLinkSigner(SECRET).verify(token(), at(300))).toEqual({ ok: false, error: { code: 'EXPIRED' } });
  });
});
