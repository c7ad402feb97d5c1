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

  it('refuses an expired package with a message naming the date', async () => {
    const old = { ...aPackage('t-expired'), expiresAt: '2026-03-09T09:00:00.000Z' };
    const res = await post(senderSigner.sign(old));
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ error: 'EXPIRED', message: expect.stringContaining('2026-03-09') });
  });

  it('serves the signed decline receipt of an imported hand-over to the admin, and refuses a tampered receipt', async () => {
    const get = (id: string, authorization = `Bearer ${SECRET}`) =>
      fetch(`${t.url}/api/admin/transfers/${id}/receipt`, { headers: { authorization } });
    expect((await get('t-receipt')).status).toBe(404);
    expect((await post(senderSigner.sign(aPackage('t-receipt')))).status).toBe(201);
    expect((await get('t-receipt', 'Bearer wrong')).status).toBe(401);
    expect(await (await get('t-receipt')).json()).toMatchObject({ error: 'ILLEGAL_TRANSITION' });
    const client = await new MongoClient(testMongoUri()).connect();
    try {
      await client
        .db(t.dbName)
        .collection('transfers')
        .updateOne(
          { _id: 't-receipt' as never },
          {
            $set: { state: 'declined', declineReason: 'Invented reason', decidedAt: '2026-03-03T10:00:00.000Z' },
          },
        );
    } finally {
      await client.close();
    }
    const res = await get('t-receipt');
    expect(res.status).toBe(200);
    const receipt = (await res.json()) as { receipt: Record<string, unknown>; signature: unknown };
    expect(receipt.receipt).toMatchObject({
      format: 'mappa-transfer-receipt',
      outcome: 'declined',
      transferId: 't-receipt',
      from: { areaId: AREA },
      to: { areaId: 'area-sending' },
      reason: 'Invented reason',
    });
    const receipts = (body: unknown) =>
      fetch(`${t.url}/api/admin/transfers/receipts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const altered = await receipts({ ...receipt, receipt: { ...receipt.receipt, reason: 'Changed' } });
    expect(altered.status).toBe(422);
    expect(await altered.json()).toMatchObject({ error: 'SIGNATURE_INVALID' });
    // Genuine, but this deployment sent nothing under that id: it answers no export here.
    expect((await receipts(receipt)).status).toBe(404);
    expect((await receipts({ receipt: {} })).status).toBe(400);
  });
  it('serves the signed accept receipt once an imported hand-over is accepted, with the new reference', async () => {
    expect((await post(senderSigner.sign(aPackage('t-accepted')))).status).toBe(201);
    const client = await new MongoClient(testMongoUri()).connect();
    try {
      await client
        .db(t.dbName)
        .collection('transfers')
        .updateOne(
          { _id: 't-accepted' as never },
          { $set: { state: 'accepted', receivingRef: 'MAPPA-2026-0101', decidedAt: '2026-03-03T10:00:00.000Z' } },
        );
    } finally {
      await client.close();
    }
    const res = await fetch(`${t.url}/api/admin/transfers/t-accepted/receipt`, {
      headers: { authorization: `Bearer ${SECRET}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { receipt: Record<string, unknown> };
    expect(body.receipt).toMatchObject({
      outcome: 'accepted',
      transferId: 't-accepted',
      from: { areaId: AREA },
      to: { areaId: 'area-sending' },
      caseRef: 'MAPPA-2026-0007',
      receivingRef: 'MAPPA-2026-0101',
      decidedAt: '2026-03-03T10:00:00.000Z',
    });
    expect(body.receipt).not.toHaveProperty('reason');
  });
});
