import { generateKeyPairSync } from 'node:crypto';
import type { Repositories } from '../../src/app/ports';
import {
  acceptTransfer,
  declineTransfer,
  importTransfer,
  listTransfers,
  requestTransfer,
  type TransferDeps,
} from '../../src/app/transfer';
import { actorOf } from '../../src/app/shared/actor';
import type { Role, SignedTransfer, Transfer } from '../../src/domain';
import type { Principal } from '../../src/domain/policy';
import { ed25519TransferSigner } from '../../src/documents/transfer-signature';
import { unwrap } from '../../src/lib/result';
import { MongoReminderRepository } from '../../src/store/reminder.repository';
import {
  aLevelDecision,
  aMember,
  anArea,
  aNewAction,
  aNewCase,
  aNewSubject,
  aRequestActor,
  TENANT_ID,
} from '../fixtures/builders';
import { withFault } from '../support/faults';
import { openTestStore, type TestStore } from '../support/store';

const NORTH = 'area-north';
const SOUTH = 'area-south';
const EAST = 'area-east';
const by = aRequestActor();

function person(n: number, areaId: string, roles: Role[] = ['coordinator']): Principal {
  const aadObjectId = `00000000-0000-4000-8000-00000000000${n}`;
  return {
    tenantId: TENANT_ID,
    aadObjectId,
    member: aMember({ aadObjectId, displayName: `Invented Person ${n}`, areaId, roles }),
  };
}
const SENDER = person(1, NORTH);
const RECEIVER = person(2, SOUTH);
const OUTSIDER = person(3, EAST);
const SOUTH_PRACTITIONER = person(4, SOUTH, ['practitioner']);

function keyPair(): { publicPem: string; privatePem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

describe('transfer between areas on the real store', () => {
  let store: TestStore;
  let reminders: MongoReminderRepository;
  const told: Transfer[] = [];
  const northKeys = keyPair();
  let ids = 0;

  const depsOn = (repos: Repositories = store.repos): TransferDeps => ({
    clock: store.clock,
    members: repos.members,
    cases: repos.cases,
    actions: repos.actions,
    minutes: repos.minutes,
    transfers: repos.transfers,
    signer: ed25519TransferSigner({ keyId: 'north-1', privateKeyPem: northKeys.privatePem, trusted: {} }),
    notifier: { transferDecided: async (t) => void told.push(t) },
    newId: () => `transfer-${++ids}-${Date.now().toString(36)}`,
  });

  beforeAll(async () => {
    store = await openTestStore('transfer');
    reminders = new MongoReminderRepository(store.db, store.clock);
    for (const id of [NORTH, SOUTH, EAST]) {
      const { version: _v, ...area } = anArea('england-wales', { id, name: `Invented ${id}` });
      unwrap(await store.repos.members.createArea(area, { by }));
    }
    // A case of the south's own, so its references run ahead of the north's and a moved case must be renumbered.
    const own = await store.repos.subjects.create(aNewSubject({ areaId: SOUTH }), { by });
    await store.repos.cases.create(aNewCase({ areaId: SOUTH, subjectId: own.id }), { by });
  });
  afterAll(() => store.close());

  /** A case in the north with three actions (two open), a reminder for each open one and a level decision. */
  async function aCaseInTheNorth() {
    const r = store.repos;
    const subject = await r.subjects.create(aNewSubject({ areaId: NORTH }), { by });
    let c = await r.cases.create(aNewCase({ areaId: NORTH, subjectId: subject.id }), { by });
    c = unwrap(
      await r.cases.update(
        c.id,
        c.version,
        { history: [{ ...aLevelDecision(2, { type: 'meeting', id: 'meeting-1' }), kind: 'level', to: 2, from: null }] },
        { by },
      ),
    );
    const actions = [];
    for (const [i, status] of (['open', 'in_progress', 'done'] as const).entries()) {
      const a = await r.actions.create(
        aNewAction({ areaId: NORTH, caseId: c.id, text: `Invented action ${i}`, dueDate: '2026-03-10', status }),
        { by },
      );
      actions.push(a);
      if (status !== 'done')
        await reminders.schedule({
          id: `action:${a.id}`,
          areaId: NORTH,
          kind: 'action',
          subjectId: a.id,
          caseId: c.id,
          caseRef: c.ref,
          agencyId: a.ownerAgencyId,
          due: a.dueDate,
          nextAt: '2026-03-01T09:00:00.000Z',
        });
    }
    return { c, actions };
  }

  const areaOf = async (collection: string, filter: object) =>
    (await store.db.collection(collection).find(filter).toArray()).map((d) => d.areaId as string);

  it('accept moves the case, its history, its actions and their reminders, audited in both areas', async () => {
    const { c, actions } = await aCaseInTheNorth();
    const req = unwrap(await requestTransfer(depsOn(), SENDER, { caseRef: c.ref, toAreaId: SOUTH }));
    expect(req.destination).toBe('local');
    expect(req.transfer.state).toBe('pending');
    expect(req.transfer.package.openActions.map((a) => a.id).sort()).toEqual([actions[0]!.id, actions[1]!.id].sort());
    expect(req.transfer.package.decisions).toHaveLength(1);
    // Both sides see it pending; the sender stays responsible.
    for (const who of [SENDER, RECEIVER])
      expect(unwrap(await listTransfers(depsOn(), who)).find((t) => t.id === req.transfer.id)?.state).toBe('pending');
    expect(unwrap(await store.repos.cases.get(c.id)).areaId).toBe(NORTH);

    const done = unwrap(await acceptTransfer(depsOn(), RECEIVER, req.transfer.id));
    expect(done.state).toBe('accepted');
    const moved = unwrap(await store.repos.cases.get(c.id));
    expect(moved).toMatchObject({ areaId: SOUTH, ref: done.receivingRef });
    expect(done.receivingRef).not.toBe(c.ref);
    expect(moved.history).toHaveLength(1);
    expect(unwrap(await store.repos.cases.getByRef(SOUTH, done.receivingRef!)).id).toBe(c.id);
    expect(await areaOf('actions', { caseId: c.id })).toEqual([SOUTH, SOUTH, SOUTH]);
    expect(await areaOf('reminders', { caseId: c.id })).toEqual([SOUTH, SOUTH]);
    expect(await store.db.collection('actions').countDocuments({ transferHold: { $exists: true } })).toBe(0);
    // Reminders name the case by its reference, which is the receiving area's now.
    const moved2 = await store.db.collection('reminders').find({ caseId: c.id }).toArray();
    expect(moved2.map((r) => r.caseRef as string)).toEqual([done.receivingRef, done.receivingRef]);
    expect((await store.repos.actions.listDue({ areaId: SOUTH, onOrBefore: '2026-12-31' })).length).toBe(2);
    expect(await reminders.claimDue(SOUTH, store.clock.now(), 60_000, 'tok')).not.toBeNull();

    const events = await store.repos.audit.listForEntity('case', c.id);
    for (const action of ['case.transfer_requested', 'case.transfer_accepting', 'case.transfer_accepted'])
      expect(
        events
          .filter((e) => e.action === action)
          .map((e) => e.areaId)
          .sort(),
      ).toEqual([NORTH, SOUTH]);
    // A second accept (a double click) changes nothing and succeeds.
    expect(unwrap(await acceptTransfer(depsOn(), RECEIVER, req.transfer.id)).state).toBe('accepted');
  });

  it('decline needs a reason, records it, tells the sender and moves nothing', async () => {
    const { c } = await aCaseInTheNorth();
    const req = unwrap(await requestTransfer(depsOn(), SENDER, { caseRef: c.ref, toAreaId: SOUTH }));
    const blank = await declineTransfer(depsOn(), RECEIVER, { transferId: req.transfer.id, reason: '   ' });
    expect(blank).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', meta: { field: 'reason' } } });
    expect(unwrap(await store.repos.transfers.get(req.transfer.id)).state).toBe('pending');

    told.length = 0;
    const declined = unwrap(
      await declineTransfer(depsOn(), RECEIVER, { transferId: req.transfer.id, reason: 'No capacity this month' }),
    );
    expect(declined).toMatchObject({ state: 'declined', declineReason: 'No capacity this month' });
    expect(told.map((t) => [t.id, t.state, t.fromAreaId])).toEqual([[req.transfer.id, 'declined', NORTH]]);
    expect(unwrap(await store.repos.cases.get(c.id)).areaId).toBe(NORTH);
    expect(await areaOf('actions', { caseId: c.id })).toEqual([NORTH, NORTH, NORTH]);
    const after = await acceptTransfer(depsOn(), RECEIVER, req.transfer.id);
    expect(after).toMatchObject({ ok: false, error: { code: 'ALREADY_DECIDED' } });
    const events = await store.repos.audit.listForEntity('case', c.id);
    expect(
      events
        .filter((e) => e.action === 'case.transfer_declined')
        .map((e) => e.areaId)
        .sort(),
    ).toEqual([NORTH, SOUTH]);
  });

  it('a crash half-way leaves nothing visible as moved, and a retry completes the move', async () => {
    const { c } = await aCaseInTheNorth();
    const req = unwrap(await requestTransfer(depsOn(), SENDER, { caseRef: c.ref, toAreaId: SOUTH }));
    let calls = 0;
    const crashing = withFault(store.repos, 'transfers', 'moveRecord', async (call) => {
      calls += 1;
      if (calls > 2) throw new Error('simulated crash');
      return call();
    });
    await expect(acceptTransfer(depsOn(crashing), RECEIVER, req.transfer.id)).rejects.toThrow('simulated crash');

    // Half-moved underneath: two records already carry the receiver's area, held by the transfer.
    expect(await store.db.collection('actions').countDocuments({ caseId: c.id, transferHold: req.transfer.id })).toBe(
      2,
    );
    const t = unwrap(await store.repos.transfers.get(req.transfer.id));
    expect(t.state).toBe('accepting');
    // The receiver sees none of it: no case under any ref, no actions, no reminders due.
    expect(unwrap(await store.repos.cases.get(c.id)).areaId).toBe(NORTH);
    expect(await store.repos.cases.getByRef(SOUTH, t.receivingRef!)).toMatchObject({ ok: false });
    const southDue = await store.repos.actions.listDue({ areaId: SOUTH, onOrBefore: '2026-12-31' });
    expect(southDue.filter((a) => a.caseId === c.id)).toEqual([]);
    expect(await reminders.listUpcoming(SOUTH, new Date('2027-01-01'), 100)).toEqual(
      expect.not.arrayContaining([expect.objectContaining({ caseId: c.id })]),
    );

    const done = unwrap(await acceptTransfer(depsOn(), RECEIVER, req.transfer.id));
    expect(done).toMatchObject({ state: 'accepted', receivingRef: t.receivingRef });
    expect(unwrap(await store.repos.cases.get(c.id))).toMatchObject({ areaId: SOUTH, ref: t.receivingRef });
    expect(await areaOf('actions', { caseId: c.id })).toEqual([SOUTH, SOUTH, SOUTH]);
    expect(await areaOf('reminders', { caseId: c.id })).toEqual([SOUTH, SOUTH]);
    expect(
      await store.db.collection('reminders').countDocuments({ caseId: c.id, transferHold: { $exists: true } }),
    ).toBe(0);
  });

  it('refuses a co-ordinator of neither area, a practitioner and the sender, changing nothing', async () => {
    const { c } = await aCaseInTheNorth();
    const req = unwrap(await requestTransfer(depsOn(), SENDER, { caseRef: c.ref, toAreaId: SOUTH }));
    expect(await acceptTransfer(depsOn(), OUTSIDER, req.transfer.id)).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await declineTransfer(depsOn(), OUTSIDER, { transferId: req.transfer.id, reason: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await acceptTransfer(depsOn(), SOUTH_PRACTITIONER, req.transfer.id)).toMatchObject({
      ok: false,
      error: { code: 'NOT_PERMITTED' },
    });
    expect(await acceptTransfer(depsOn(), SENDER, req.transfer.id)).toMatchObject({
      ok: false,
      error: { code: 'NOT_PERMITTED' },
    });
    // An outsider cannot start a transfer of a case that is not in their area either.
    expect(await requestTransfer(depsOn(), OUTSIDER, { caseRef: c.ref, toAreaId: SOUTH })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(unwrap(await store.repos.transfers.get(req.transfer.id)).state).toBe('pending');
    expect(unwrap(await store.repos.cases.get(c.id)).areaId).toBe(NORTH);
  });

  describe('to another deployment', () => {
    let other: TestStore;
    const otherKeys = keyPair();
    beforeAll(async () => {
      other = await openTestStore('transfer_other');
      const { version: _v, ...area } = anArea('england-wales', { id: 'area-west', name: 'Invented west' });
      unwrap(await other.repos.members.createArea(area, { by }));
    });
    afterAll(() => other.close());

    const importDeps = () => ({
      members: other.repos.members,
      transfers: other.repos.transfers,
      signer: ed25519TransferSigner({
        keyId: 'west-1',
        privateKeyPem: otherKeys.privatePem,
        trusted: { 'north-1': northKeys.publicPem },
      }),
    });

    async function aSignedPackage(): Promise<SignedTransfer> {
      const { c } = await aCaseInTheNorth();
      const req = unwrap(await requestTransfer(depsOn(), SENDER, { caseRef: c.ref, toAreaId: 'area-west' }));
      expect(req).toMatchObject({ destination: 'remote', transfer: { mode: 'export', state: 'pending' } });
      return req.signed!;
    }

    it('imports a signed package as a pending hand-over, once', async () => {
      const signed = await aSignedPackage();
      const first = unwrap(await importTransfer(importDeps(), actorOf(RECEIVER), JSON.parse(JSON.stringify(signed))));
      expect(first).toMatchObject({
        created: true,
        transfer: { mode: 'import', state: 'pending', toAreaId: 'area-west' },
      });
      const again = unwrap(await importTransfer(importDeps(), actorOf(RECEIVER), signed));
      expect(again.created).toBe(false);
    });

    it('rejects a tampered package, one signed by an untrusted key and one out of format', async () => {
      const signed = await aSignedPackage();
      const tampered = structuredClone(signed);
      tampered.package.case.level = 3;
      const res = await importTransfer(importDeps(), actorOf(RECEIVER), tampered);
      expect(res).toMatchObject({ ok: false, error: { code: 'SIGNATURE_INVALID', meta: { reason: 'BAD_SIGNATURE' } } });
      const foreign = { ...signed, signature: { ...signed.signature, keyId: 'stranger-1' } };
      expect(await importTransfer(importDeps(), actorOf(RECEIVER), foreign)).toMatchObject({
        ok: false,
        error: { code: 'SIGNATURE_INVALID', meta: { reason: 'UNKNOWN_KEY' } },
      });
      const extra = { ...signed, package: { ...signed.package, smuggled: true } };
      expect(await importTransfer(importDeps(), actorOf(RECEIVER), extra)).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED' },
      });
      expect(await other.repos.transfers.get(signed.package.transferId)).toMatchObject({ ok: false });
    });
  });
});
