import { createHash, generateKeyPairSync } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { ed25519TransferSigner } from '../../src/documents/transfer-signature';
import type { SignedTransfer, TransferPackage } from '../../src/domain';
import { startTestApp, type TestApp } from '../support/app';
import { testMongoUri } from '../support/mongo';

const SECRET = 'adm1n-s3cret-for-transfer-tests-7d1e';
const sha = createHash('sha256').update(SECRET).digest('hex');
const AREA = 'area-receiving';

const sender = generateKeyPairSync('ed25519');
const senderSigner = ed25519TransferSigner({
  keyId: 'sender-1',
  privateKeyPem: sender.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  trusted: {},
});

function aPackage(transferId: string): TransferPackage {
  return {
    format: 'mappa-transfer',
    version: 2,
    transferId,
    createdAt: '2026-03-02T09:00:00.000Z',
    // The app runs on the real clock.
    expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    from: { areaId: 'area-sending', areaName: 'Invented sending area' },
    to: { areaId: AREA },
    case: {
      id: `case-${transferId}`,
      ref: 'MAPPA-2026-0007',
      jurisdiction: 'england-wales',
      status: 'managed_l2',
      level: 2,
      category: 'cat2',
      leadAgencyId: 'probation',
      keyDates: {},
    },
    openActions: [],
    latestApprovedMinutes: null,
    decisions: [],
  };
}

describe('POST /api/admin/transfers/import (the real composition root)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp('transferimp', {
      ADMIN_API_TOKEN_SHA256: sha,
      MAPPA_AREA_ID: AREA,
      TRANSFER_TRUSTED_KEYS: JSON.stringify({
        'sender-1': Buffer.from(sender.publicKey.export({ type: 'spki', format: 'pem' }).toString()).toString('base64'),
      }),
    });
  });
  afterAll(() => t.stop());

  const post = (body: unknown, authorization = `Bearer ${SECRET}`) =>
    fetch(`${t.url}/api/admin/transfers/import`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('refuses without the admin token', async () => {
    const res = await post(senderSigner.sign(aPackage('t-noauth')), 'Bearer wrong');
    expect(res.status).toBe(401);
  });

  it('records a trusted package as a pending hand-over, once, audited in the receiving area', async () => {
    const signed = senderSigner.sign(aPackage('t-good'));
    const first = await post(signed);
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ transferId: 't-good', state: 'pending', created: true });
    expect((await post(signed)).status).toBe(200);
    const client = await new MongoClient(testMongoUri()).connect();
    try {
      const db = client.db(t.dbName);
      expect(await db.collection('transfers').findOne({ _id: 't-good' as never })).toMatchObject({
        mode: 'import',
        state: 'pending',
        toAreaId: AREA,
      });
      const events = await db.collection('auditQueue').find({ action: 'case.transfer_imported' }).toArray();
      const chained = await db.collection('auditEvents').find({ action: 'case.transfer_imported' }).toArray();
      expect([...events, ...chained].map((e) => e.areaId as string)).toContain(AREA);
    } finally {
      await client.close();
    }
  });

  it('rejects a package altered after signing and records nothing', async () => {
    const signed: SignedTransfer = senderSigner.sign(aPackage('t-tampered'));
    const tampered = { ...signed, package: { ...signed.package, case: { ...signed.package.case, level: 3 } } };
    const res = await post(tampered);
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: 'SIGNATURE_INVALID' });
    const client = await new MongoClient(testMongoUri()).connect();
    try {
      expect(
        await client
          .db(t.dbName)
          .collection('transfers')
          .countDocuments({ _id: 't-tampered' as never }),
      ).toBe(0);
    } finally {
      await client.close();
    }
  });
});
