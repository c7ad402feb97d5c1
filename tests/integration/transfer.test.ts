import { generateKeyPairSync } from 'node:crypto';
import type { Repositories } from '../../src/app/ports';
import {
  acceptTransfer,
  declineTransfer,
  importTransfer,
  importTransferReceipt,
  listTransfers,
  requestTransfer,
  transferReceipt,
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
  const westKeys = keyPair();
  const northSignerTrustingWest = () =>
    ed25519TransferSigner({
      keyId: 'north-1',
      privateKeyPem: northKeys.privatePem,
      trusted: { 'west-1': westKeys.publicPem },
    });
  let ids = 0;

  const depsOn = (repos: Repositories = store.repos): TransferDeps => ({
    clock: store.clock,
    members: repos.members,
    cases: repos.cases,
    actions: repos.actions,
    minutes: repos.minutes,
    transfers: repos.transfers,
    reminders,
    signer: ed25519TransferSigner({ keyId: 'north-1', privateKeyPem: northKeys.privatePem, trusted: {} }),
    notifier: { transferDecided: async (t) => void told.push(t), transferWithdrawn: async () => undefined },
    newId: () => `transfer-${++ids}-${Date.now().toString(36)}`,
    packageTtlDays: 28,
    meetings: repos.meetings,
    remoteAreas: ['area-west'],
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
    // Each moved record is filed under the case, so `audit <case ref>` shows the whole move.
    const moves = events.filter((e) => e.action === 'case.transfer_record_moved');
    expect(moves.map((e) => `${String(e.details?.kind)}@${e.areaId}`).sort()).toEqual(
      ['action', 'action', 'action', 'case', 'reminder', 'reminder']
        .flatMap((k) => [`${k}@${NORTH}`, `${k}@${SOUTH}`])
        .sort(),
    );
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
    const WEST = 'area-west';
    const WEST_COORDINATOR = person(5, WEST);
    const WEST_PRACTITIONER = person(6, WEST, ['practitioner']);
    let other: TestStore;
    let westReminders: MongoReminderRepository;
    const westTold: Transfer[] = [];
    beforeAll(async () => {
      other = await openTestStore('transfer_other');
      westReminders = new MongoReminderRepository(other.db, other.clock);
      const { version: _v, ...area } = anArea('england-wales', { id: WEST, name: 'Invented west' });
      unwrap(await other.repos.members.createArea(area, { by }));
    });
    afterAll(() => other.close());
    afterEach(() => other.clock.set('2026-03-02T09:00:00.000Z'));

    const westDeps = (repos: Repositories = other.repos): TransferDeps => ({
      clock: other.clock,
      members: repos.members,
      cases: repos.cases,
      actions: repos.actions,
      minutes: repos.minutes,
      transfers: repos.transfers,
      reminders: westReminders,
      signer: ed25519TransferSigner({
        keyId: 'west-1',
        privateKeyPem: westKeys.privatePem,
        trusted: { 'north-1': northKeys.publicPem },
      }),
      notifier: { transferDecided: async (t) => void westTold.push(t), transferWithdrawn: async () => undefined },
      newId: () => `west-transfer-${++ids}`,
      packageTtlDays: 28,
      meetings: repos.meetings,
      remoteAreas: [],
    });
    const admin = actorOf(WEST_COORDINATOR);

    async function aSignedPackage(): Promise<SignedTransfer> {
      const { c } = await aCaseInTheNorth();
      const req = unwrap(await requestTransfer(depsOn(), SENDER, { caseRef: c.ref, toAreaId: WEST }));
      expect(req).toMatchObject({ destination: 'remote', transfer: { mode: 'export', state: 'pending' } });
      expect(req.signed!.package.expiresAt).toBe('2026-03-30T09:00:00.000Z');
      return req.signed!;
    }
    async function imported(): Promise<{ signed: SignedTransfer; t: Transfer }> {
      const signed = await aSignedPackage();
      const res = unwrap(await importTransfer(westDeps(), admin, JSON.parse(JSON.stringify(signed))));
      return { signed, t: res.transfer };
    }
    const westCount = async (collection: string, filter: object) =>
      other.db.collection(collection).countDocuments(filter);
    const westCasesFrom = (t: Transfer) => westCount('cases', { transferredIn: t.id });

    it('imports a signed package as a pending hand-over, once', async () => {
      const signed = await aSignedPackage();
      const first = unwrap(await importTransfer(westDeps(), admin, JSON.parse(JSON.stringify(signed))));
      expect(first).toMatchObject({
        created: true,
        transfer: { mode: 'import', state: 'pending', toAreaId: WEST, signature: signed.signature },
      });
      const again = unwrap(await importTransfer(westDeps(), admin, signed));
      expect(again.created).toBe(false);
    });

    it('accept creates the case, its history, open actions and reminders here exactly once, audited', async () => {
      const { signed, t } = await imported();
      // A practitioner, the sending area (not served here) and the sender cannot answer it.
      expect(await acceptTransfer(westDeps(), WEST_PRACTITIONER, t.id)).toMatchObject({
        ok: false,
        error: { code: 'NOT_PERMITTED' },
      });
      expect(await acceptTransfer(westDeps(), SENDER, t.id)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

      const done = unwrap(await acceptTransfer(westDeps(), WEST_COORDINATOR, t.id));
      expect(done).toMatchObject({ state: 'accepted', receivingRef: expect.stringMatching(/^MAPPA-2026-\d{4}$/) });
      const c = unwrap(await other.repos.cases.getByRef(WEST, done.receivingRef!));
      expect(c).toMatchObject({
        areaId: WEST,
        level: signed.package.case.level,
        category: signed.package.case.category,
        leadAgencyId: signed.package.case.leadAgencyId,
        status: signed.package.case.status,
      });
      expect(c.history).toEqual(signed.package.decisions);
      const actions = await other.repos.actions.listForCase(c.id);
      expect(actions.map((a) => [a.text, a.status, a.areaId]).sort()).toEqual(
        signed.package.openActions.map((a) => [a.text, a.status, WEST]).sort(),
      );
      const due = await other.repos.actions.listDue({ areaId: WEST, onOrBefore: '2026-12-31' });
      expect(due.filter((a) => a.caseId === c.id)).toHaveLength(2);
      const upcoming = (await westReminders.listUpcoming(WEST, new Date('2027-01-01'), 100)).filter(
        (r) => r.caseId === c.id,
      );
      expect(upcoming.map((r) => [r.kind, r.caseRef]).sort()).toEqual([
        ['action', done.receivingRef],
        ['action', done.receivingRef],
      ]);
      expect(await westCount('actions', { transferHold: { $exists: true } })).toBe(0);
      expect(await westCount('reminders', { transferHold: { $exists: true } })).toBe(0);
      const events = (await other.repos.audit.listForEntity('case', c.id)).concat(
        await other.repos.audit.listForEntity('case', t.caseId),
      );
      for (const action of ['case.transfer_imported', 'case.transfer_accepting', 'case.transfer_accepted'])
        expect(events.filter((e) => e.action === action).map((e) => e.areaId)).toEqual([WEST]);
      expect(events.filter((e) => e.action === 'case.transfer_record_moved')).toHaveLength(5);

      // Pressing Accept again, and uploading the same package again, create nothing more.
      expect(unwrap(await acceptTransfer(westDeps(), WEST_COORDINATOR, t.id)).state).toBe('accepted');
      expect(await importTransfer(westDeps(), admin, signed)).toMatchObject({
        ok: false,
        error: { code: 'REPLAYED', message: expect.stringContaining('already accepted here') },
      });
      expect(await westCasesFrom(t)).toBe(1);
      expect(await westCount('actions', { caseId: c.id })).toBe(2);
      expect(await westCount('reminders', { caseId: c.id })).toBe(2);
    });

    it('decline records the reason and gives a signed receipt the sender imports, so its case stays with it', async () => {
      const { signed, t } = await imported();
      expect(await declineTransfer(westDeps(), WEST_COORDINATOR, { transferId: t.id, reason: ' ' })).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED', meta: { field: 'reason' } },
      });
      expect(await transferReceipt(westDeps(), t.id)).toMatchObject({
        ok: false,
        error: { code: 'ILLEGAL_TRANSITION' },
      });
      const declined = unwrap(
        await declineTransfer(westDeps(), WEST_COORDINATOR, { transferId: t.id, reason: 'Invented reason: not ours' }),
      );
      expect(declined).toMatchObject({ state: 'declined', declineReason: 'Invented reason: not ours' });
      expect(await westCasesFrom(t)).toBe(0);
      expect(await acceptTransfer(westDeps(), WEST_COORDINATOR, t.id)).toMatchObject({
        ok: false,
        error: { code: 'ALREADY_DECIDED' },
      });
      expect(await importTransfer(westDeps(), admin, signed)).toMatchObject({
        ok: false,
        error: { code: 'REPLAYED', message: expect.stringContaining('already declined here') },
      });

      const receipt = unwrap(await transferReceipt(westDeps(), t.id));
      expect(receipt.receipt).toMatchObject({
        format: 'mappa-transfer-receipt',
        transferId: t.id,
        outcome: 'declined',
        from: { areaId: WEST },
        to: { areaId: NORTH },
        reason: 'Invented reason: not ours',
      });
      expect(receipt.signature.keyId).toBe('west-1');

      // On the sending deployment: a tampered receipt is refused, the real one declines the export.
      const north = { ...depsOn(), signer: northSignerTrustingWest() };
      const altered = { ...receipt, receipt: { ...receipt.receipt, reason: 'Something else' } };
      expect(await importTransferReceipt(north, by, altered)).toMatchObject({
        ok: false,
        error: { code: 'SIGNATURE_INVALID' },
      });
      expect(await importTransferReceipt(depsOn(), by, receipt)).toMatchObject({
        ok: false,
        error: { code: 'SIGNATURE_INVALID', meta: { reason: 'UNKNOWN_KEY' } },
      });
      expect(unwrap(await store.repos.transfers.get(t.id)).state).toBe('pending');
      told.length = 0;
      const back = unwrap(await importTransferReceipt(north, by, JSON.parse(JSON.stringify(receipt))));
      expect(back).toMatchObject({
        created: true,
        transfer: { mode: 'export', state: 'declined', declineReason: 'Invented reason: not ours' },
      });
      expect(told.map((x) => [x.id, x.state])).toEqual([[t.id, 'declined']]);
      expect(unwrap(await store.repos.cases.get(t.caseId))).toMatchObject({
        areaId: NORTH,
        ref: signed.package.case.ref,
      });
      expect(unwrap(await importTransferReceipt(north, by, receipt)).created).toBe(false);
      // With the export answered the case can be handed over again.
      expect(await store.repos.transfers.findOpenForCase(t.caseId)).toBeNull();
    });

    it('accept gives a signed receipt the sender imports: its export is accepted, its case exits as transferred out, its actions and reminders stop', async () => {
      const { signed, t } = await imported();
      const north = { ...depsOn(), signer: northSignerTrustingWest() };
      const sentActions = await store.repos.actions.listForCase(t.caseId);
      const done = unwrap(await acceptTransfer(westDeps(), WEST_COORDINATOR, t.id));
      const receipt = unwrap(await transferReceipt(westDeps(), t.id));
      expect(receipt.receipt).toEqual({
        format: 'mappa-transfer-receipt',
        version: 1,
        transferId: t.id,
        outcome: 'accepted',
        from: { areaId: WEST },
        to: { areaId: NORTH },
        caseRef: signed.package.case.ref,
        receivingRef: done.receivingRef,
        decidedAt: done.decidedAt,
        expiresAt: '2026-03-30T09:00:00.000Z',
      });

      const altered = { ...receipt, receipt: { ...receipt.receipt, receivingRef: 'MAPPA-2026-9999' } };
      expect(await importTransferReceipt(north, by, altered)).toMatchObject({
        ok: false,
        error: { code: 'SIGNATURE_INVALID' },
      });
      told.length = 0;
      const back = unwrap(await importTransferReceipt(north, by, JSON.parse(JSON.stringify(receipt))));
      expect(back).toMatchObject({
        created: true,
        transfer: { mode: 'export', state: 'accepted', receivingRef: done.receivingRef, decidedAt: done.decidedAt },
      });
      expect(told.map((x) => [x.id, x.state, x.receivingRef])).toEqual([[t.id, 'accepted', done.receivingRef]]);

      // The sender's case is closed as transferred out: still its record, no longer its responsibility.
      const c = unwrap(await store.repos.cases.get(t.caseId));
      expect(c).toMatchObject({ areaId: NORTH, status: 'exited', exitReason: 'transferred_out' });
      expect(c.keyDates.exitDate).toBe(done.decidedAt!.slice(0, 10));
      expect(await requestTransfer(depsOn(), SENDER, { caseRef: c.ref, toAreaId: SOUTH })).toMatchObject({
        ok: false,
        error: { code: 'ILLEGAL_TRANSITION' },
      });
      const after = await store.repos.actions.listForCase(t.caseId);
      for (const a of after) {
        const before = sentActions.find((x) => x.id === a.id)!;
        if (before.status === 'done') expect(a.status).toBe('done');
        else {
          expect(a.status).toBe('cancelled');
          expect(a.history.at(-1)?.note).toBe(`transferred to ${WEST}`);
        }
      }
      expect(after.filter((a) => a.status === 'cancelled')).toHaveLength(2);
      for (const a of sentActions) expect((await reminders.get(`action:${a.id}`))?.status ?? 'closed').toBe('closed');
      expect(await reminders.listUpcoming(NORTH, new Date('2027-01-01'), 500)).toEqual(
        expect.not.arrayContaining([expect.objectContaining({ caseId: t.caseId })]),
      );
      const events = await store.repos.audit.listForEntity('case', t.caseId);
      for (const action of ['case.transfer_accepted', 'case.exited'])
        expect(events.filter((e) => e.action === action).map((e) => e.areaId)).toEqual([NORTH]);

      // The same receipt again changes nothing; one contradicting the recorded answer is refused.
      expect(unwrap(await importTransferReceipt(north, by, receipt)).created).toBe(false);
      const westSigner = westDeps().signer;
      const answer = receipt.receipt;
      if (answer.outcome !== 'accepted') throw new Error('an accept receipt was expected');
      const contradicting = [
        westSigner.signReceipt({ ...answer, receivingRef: 'MAPPA-2026-0999' }),
        westSigner.signReceipt({
          format: 'mappa-transfer-receipt',
          version: 1,
          transferId: t.id,
          outcome: 'declined',
          from: { areaId: WEST },
          to: { areaId: NORTH },
          caseRef: signed.package.case.ref,
          reason: 'Invented second thoughts',
          decidedAt: done.decidedAt!,
          expiresAt: receipt.receipt.expiresAt,
        }),
      ];
      for (const r of contradicting)
        expect(await importTransferReceipt(north, by, r)).toMatchObject({ ok: false, error: { code: 'REPLAYED' } });
      expect(unwrap(await store.repos.transfers.get(t.id)).state).toBe('accepted');
      expect((await store.repos.audit.listForEntity('case', t.caseId)).length).toBe(events.length);
    });

    it('an accept receipt cut short before the case is closed is finished by importing it again', async () => {
      const { t } = await imported();
      unwrap(await acceptTransfer(westDeps(), WEST_COORDINATOR, t.id));
      const receipt = unwrap(await transferReceipt(westDeps(), t.id));
      const north = { ...depsOn(), signer: northSignerTrustingWest() };
      const crashing = {
        ...north,
        cases: withFault(store.repos, 'cases', 'save', () => Promise.reject(new Error('simulated crash'))).cases,
      };
      await expect(importTransferReceipt(crashing, by, receipt)).rejects.toThrow('simulated crash');
      // Still the sender's open case, and the export is not yet shown as accepted.
      expect(unwrap(await store.repos.transfers.get(t.id)).state).toBe('accepting');
      expect(unwrap(await store.repos.cases.get(t.caseId)).status).not.toBe('exited');

      told.length = 0;
      expect(unwrap(await importTransferReceipt(north, by, receipt))).toMatchObject({
        created: true,
        transfer: { state: 'accepted' },
      });
      expect(unwrap(await store.repos.cases.get(t.caseId))).toMatchObject({ status: 'exited' });
      expect(told.map((x) => x.state)).toEqual(['accepted']);
      const exits = (await store.repos.audit.listForEntity('case', t.caseId)).filter((e) => e.action === 'case.exited');
      expect(exits).toHaveLength(1);
    });

    it('refuses an expired accept receipt and one for a declined export, changing nothing', async () => {
      const first = await imported();
      unwrap(await acceptTransfer(westDeps(), WEST_COORDINATOR, first.t.id));
      const late = unwrap(await transferReceipt(westDeps(), first.t.id));
      const north = { ...depsOn(), signer: northSignerTrustingWest() };
      store.clock.set('2026-03-30T09:00:00.000Z');
      try {
        expect(await importTransferReceipt(north, by, late)).toMatchObject({
          ok: false,
          error: { code: 'EXPIRED', message: expect.stringContaining('2026-03-30') },
        });
      } finally {
        store.clock.set('2026-03-02T09:00:00.000Z');
      }
      expect(unwrap(await store.repos.transfers.get(first.t.id)).state).toBe('pending');
      expect(unwrap(await store.repos.cases.get(first.t.caseId)).status).not.toBe('exited');

      // Declined first, then an accept receipt turns up: the recorded answer stands.
      const second = await imported();
      unwrap(await declineTransfer(westDeps(), WEST_COORDINATOR, { transferId: second.t.id, reason: 'Invented' }));
      unwrap(await importTransferReceipt(north, by, unwrap(await transferReceipt(westDeps(), second.t.id))));
      const accepted = westDeps().signer.signReceipt({
        ...late.receipt,
        transferId: second.t.id,
        caseRef: second.signed.package.case.ref,
      });
      expect(await importTransferReceipt(north, by, accepted)).toMatchObject({
        ok: false,
        error: { code: 'REPLAYED' },
      });
      expect(unwrap(await store.repos.cases.get(second.t.caseId)).status).not.toBe('exited');
    });

    it('refuses a tampered package at import, and one altered at rest when it is accepted', async () => {
      const signed = await aSignedPackage();
      const tampered = structuredClone(signed);
      tampered.package.case.level = 3;
      const res = await importTransfer(westDeps(), admin, tampered);
      expect(res).toMatchObject({
        ok: false,
        error: { code: 'SIGNATURE_INVALID', message: expect.stringContaining('altered after signing') },
      });
      const foreign = { ...signed, signature: { ...signed.signature, keyId: 'stranger-1' } };
      expect(await importTransfer(westDeps(), admin, foreign)).toMatchObject({
        ok: false,
        error: { code: 'SIGNATURE_INVALID', meta: { reason: 'UNKNOWN_KEY' } },
      });
      const extra = { ...signed, package: { ...signed.package, smuggled: true } };
      expect(await importTransfer(westDeps(), admin, extra)).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED' },
      });
      const v1 = { ...signed, package: { ...signed.package, version: 1 } };
      expect(await importTransfer(westDeps(), admin, v1)).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('version 1') },
      });
      expect(await other.repos.transfers.get(signed.package.transferId)).toMatchObject({ ok: false });

      // Imported honestly, then the stored package is raised a level in the database.
      unwrap(await importTransfer(westDeps(), admin, signed));
      await other.db
        .collection('transfers')
        .updateOne({ _id: signed.package.transferId as never }, { $set: { 'package.case.level': 3 } });
      expect(await acceptTransfer(westDeps(), WEST_COORDINATOR, signed.package.transferId)).toMatchObject({
        ok: false,
        error: { code: 'SIGNATURE_INVALID', message: expect.stringContaining('no longer matches its signature') },
      });
      expect(unwrap(await other.repos.transfers.get(signed.package.transferId)).state).toBe('pending');
      expect(await westCount('cases', { transferredIn: signed.package.transferId })).toBe(0);
    });

    it('refuses an expired package at import and at accept, creating nothing', async () => {
      const late = await aSignedPackage();
      other.clock.set('2026-03-30T09:00:00.000Z');
      expect(await importTransfer(westDeps(), admin, late)).toMatchObject({
        ok: false,
        error: { code: 'EXPIRED', message: expect.stringContaining('expired on 2026-03-30') },
      });
      other.clock.set('2026-03-29T09:00:00.000Z');
      const t = unwrap(await importTransfer(westDeps(), admin, late)).transfer;
      other.clock.set('2026-03-31T09:00:00.000Z');
      expect(await acceptTransfer(westDeps(), WEST_COORDINATOR, t.id)).toMatchObject({
        ok: false,
        error: { code: 'EXPIRED' },
      });
      expect(unwrap(await other.repos.transfers.get(t.id)).state).toBe('pending');
      expect(await westCasesFrom(t)).toBe(0);
      // Declining an expired package is still possible: it moves nothing.
      expect(
        unwrap(await declineTransfer(westDeps(), WEST_COORDINATOR, { transferId: t.id, reason: 'Too late' })).state,
      ).toBe('declined');
    });

    it('a crash half-way leaves nothing visible, and a retry completes it exactly once', async () => {
      const { t } = await imported();
      let calls = 0;
      const crashing = withFault(other.repos, 'transfers', 'placeImportedReminder', async (call) => {
        calls += 1;
        if (calls > 1) throw new Error('simulated crash');
        return call();
      });
      await expect(acceptTransfer(westDeps(crashing), WEST_COORDINATOR, t.id)).rejects.toThrow('simulated crash');

      const half = unwrap(await other.repos.transfers.get(t.id));
      expect(half.state).toBe('accepting');
      // Underneath: both actions and one reminder are stored, held; the case is not.
      expect(await westCount('actions', { transferHold: t.id })).toBe(2);
      expect(await westCount('reminders', { transferHold: t.id })).toBe(1);
      expect(await other.repos.cases.getByRef(WEST, half.receivingRef!)).toMatchObject({ ok: false });
      const caseId = other.repos.transfers.importedId(t.id, t.caseId);
      expect(await westCount('actions', { caseId })).toBe(2);
      const due = await other.repos.actions.listDue({ areaId: WEST, onOrBefore: '2026-12-31' });
      expect(due.filter((a) => a.caseId === caseId)).toEqual([]);
      const upcoming = await westReminders.listUpcoming(WEST, new Date('2027-01-01'), 100);
      expect(upcoming.filter((r) => r.caseId === caseId)).toEqual([]);
      // Not accepted yet, so it cannot be declined from under the move either.
      expect(await declineTransfer(westDeps(), WEST_COORDINATOR, { transferId: t.id, reason: 'x' })).toMatchObject({
        ok: false,
      });

      const done = unwrap(await acceptTransfer(westDeps(), WEST_COORDINATOR, t.id));
      expect(done).toMatchObject({ state: 'accepted', receivingRef: half.receivingRef });
      const c = unwrap(await other.repos.cases.getByRef(WEST, half.receivingRef!));
      expect(await westCount('cases', { transferredIn: t.id })).toBe(1);
      expect(await westCount('actions', { caseId: c.id })).toBe(2);
      expect(await westCount('reminders', { caseId: c.id })).toBe(2);
      expect(await westCount('reminders', { transferHold: { $exists: true } })).toBe(0);
      const moved = (await other.repos.audit.listForEntity('case', c.id)).concat(
        await other.repos.audit.listForEntity('case', t.caseId),
      );
      // Each record's placement is audited once, however many attempts it took.
      expect(moved.filter((e) => e.action === 'case.transfer_record_moved')).toHaveLength(5);
    });
  });
});
