/**
 * Issue 16, second users' pass: a mistyped area, withdrawing a pending hand-over, the minutes and
 * meetings following the case, old cards of a moved case, who may open a transfer card, and the
 * pending hand-overs each side can list.
 */
import type { Repositories } from '../../src/app/ports';
import { openMinutes, type MinutesDeps } from '../../src/app/minutes';
import {
  acceptTransfer,
  declineTransfer,
  pendingTransfers,
  requestTransfer,
  viewTransfer,
  withdrawTransfer,
  type TransferDeps,
} from '../../src/app/transfer';
import type { Role, Transfer } from '../../src/domain';
import type { Principal } from '../../src/domain/policy';
import { ed25519TransferSigner } from '../../src/documents/transfer-signature';
import { unwrap } from '../../src/lib/result';
import { MongoReminderRepository } from '../../src/store/reminder.repository';
import {
  aMember,
  anArea,
  aNewAction,
  aNewCase,
  aNewMeeting,
  aNewMinutes,
  aNewSubject,
  aRequestActor,
  TENANT_ID,
} from '../fixtures/builders';
import { openTestStore, type TestStore } from '../support/store';
import { generateKeyPairSync } from 'node:crypto';

const NORTH = 'area-north';
const SOUTH = 'area-south';
const EAST = 'area-east';
const WEST = 'area-west';
const by = aRequestActor();

function person(n: number, areaId: string, roles: Role[] = ['coordinator'], agencyId = 'mappa-unit'): Principal {
  const aadObjectId = `00000000-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`;
  return {
    tenantId: TENANT_ID,
    aadObjectId,
    member: aMember({ aadObjectId, displayName: `Invented Person ${n}`, areaId, roles, agencyId }),
  };
}
const SENDER = person(1, NORTH);
const RECEIVER = person(2, SOUTH);
const OUTSIDER = person(3, EAST);
const SOUTH_PRACTITIONER = person(4, SOUTH, ['practitioner'], 'probation');
const NORTH_LEAD = person(5, NORTH, ['practitioner'], 'probation');
const NORTH_UNINVOLVED = person(6, NORTH, ['practitioner'], 'dwp');

describe('transfer between areas: follow-ups from the users’ pass', () => {
  let store: TestStore;
  let reminders: MongoReminderRepository;
  const told: { kind: string; t: Transfer }[] = [];
  let ids = 0;
  const { privateKey } = generateKeyPairSync('ed25519');
  const signer = ed25519TransferSigner({
    keyId: 'north-1',
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    trusted: {},
  });

  const depsOn = (repos: Repositories = store.repos): TransferDeps => ({
    clock: store.clock,
    members: repos.members,
    cases: repos.cases,
    actions: repos.actions,
    minutes: repos.minutes,
    transfers: repos.transfers,
    reminders,
    signer,
    notifier: {
      transferDecided: async (t) => void told.push({ kind: 'decided', t }),
      transferWithdrawn: async (t) => void told.push({ kind: 'withdrawn', t }),
    },
    meetings: repos.meetings,
    newId: () => `f16-transfer-${++ids}-${Date.now().toString(36)}`,
    packageTtlDays: 28,
    remoteAreas: [WEST],
  });
  const minutesDeps = (areaId: string): MinutesDeps => ({
    meetings: store.repos.meetings,
    agencyUpdates: store.repos.agencyUpdates,
    actions: store.repos.actions,
    cases: store.repos.cases,
    referrals: store.repos.referrals,
    members: store.repos.members,
    minutes: store.repos.minutes,
    audit: store.repos.audit,
    clock: store.clock,
    areaId,
  });

  beforeAll(async () => {
    store = await openTestStore('transfer_f16');
    reminders = new MongoReminderRepository(store.db, store.clock);
    for (const id of [NORTH, SOUTH, EAST]) {
      const { version: _v, ...area } = anArea('england-wales', { id, name: `Invented ${id}` });
      unwrap(await store.repos.members.createArea(area, { by }));
    }
    // The south's own first case, so a north case numbered 0001 collides there.
    const own = await store.repos.subjects.create(aNewSubject({ areaId: SOUTH }), { by });
    await store.repos.cases.create(aNewCase({ areaId: SOUTH, subjectId: own.id }), { by });
  });
  afterAll(() => store.close());

  async function aNorthCase() {
    const subject = await store.repos.subjects.create(aNewSubject({ areaId: NORTH }), { by });
    const c = await store.repos.cases.create(
      aNewCase({ areaId: NORTH, subjectId: subject.id, leadAgencyId: 'probation' }),
      { by },
    );
    await store.repos.actions.create(aNewAction({ areaId: NORTH, caseId: c.id, text: 'Invented action' }), { by });
    return c;
  }

  it('1: refuses an area id that is neither served here nor a known partner, naming the areas served here', async () => {
    const c = await aNorthCase();
    const typo = await requestTransfer(depsOn(), SENDER, { caseRef: c.ref, toAreaId: 'area-sooth' });
    expect(typo).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', meta: { field: 'areaId' } } });
    const message = typo.ok ? '' : typo.error.message;
    expect(message).toContain('No MAPPA area area-sooth is known here');
    expect(message).toContain(`Invented ${SOUTH} (${SOUTH})`);
    expect(message).not.toContain(`(${NORTH})`);
    expect(await store.repos.transfers.findOpenForCase(c.id)).toBeNull();
    // The correct command then goes through, and a configured partner area is another deployment.
    expect(unwrap(await requestTransfer(depsOn(), SENDER, { caseRef: c.ref, toAreaId: SOUTH })).destination).toBe(
      'local',
    );
    const c2 = await aNorthCase();
    expect(unwrap(await requestTransfer(depsOn(), SENDER, { caseRef: c2.ref, toAreaId: WEST })).destination).toBe(
      'remote',
    );
  });

  it('1: the sending co-ordinator withdraws a pending transfer: audited in both areas, both told, and it can be sent again', async () => {
    const c = await aNorthCase();
    const req = unwrap(await requestTransfer(depsOn(), SENDER, { caseRef: c.ref, toAreaId: SOUTH }));
    expect(await withdrawTransfer(depsOn(), RECEIVER, { caseRef: c.ref })).toMatchObject({ ok: false });
    expect(await withdrawTransfer(depsOn(), NORTH_LEAD, { caseRef: c.ref })).toMatchObject({
      ok: false,
      error: { code: 'NOT_PERMITTED' },
    });
    told.length = 0;
    const w = unwrap(await withdrawTransfer(depsOn(), SENDER, { caseRef: c.ref }));
    expect(w).toMatchObject({ id: req.transfer.id, state: 'withdrawn' });
    expect(told.map((x) => [x.kind, x.t.id])).toEqual([['withdrawn', req.transfer.id]]);
    const events = await store.repos.audit.listForEntity('case', c.id);
    expect(
      events
        .filter((e) => e.action === 'case.transfer_withdrawn')
        .map((e) => e.areaId)
        .sort(),
    ).toEqual([NORTH, SOUTH]);
    const late = await acceptTransfer(depsOn(), RECEIVER, req.transfer.id);
    expect(late).toMatchObject({ ok: false, error: { code: 'ALREADY_DECIDED' } });
    expect(late.ok ? '' : late.error.message).toContain('withdrew');
    expect(unwrap(await store.repos.cases.get(c.id)).areaId).toBe(NORTH);
    // Nothing waits now: withdrawing again says so, and the case can be handed over again.
    const again = await withdrawTransfer(depsOn(), SENDER, { caseRef: c.ref });
    expect(again).toMatchObject({ ok: false, error: { code: 'ALREADY_DECIDED' } });
    expect(again.ok ? '' : again.error.message).toContain('withdrew');
    expect(unwrap(await requestTransfer(depsOn(), SENDER, { caseRef: c.ref, toAreaId: SOUTH })).transfer.state).toBe(
      'pending',
    );
  });

  it('1: a withdraw racing an accept or a decline: exactly one wins and the loser is told what happened', async () => {
    for (const answer of ['accept', 'decline'] as const) {
      const c = await aNorthCase();
      const req = unwrap(await requestTransfer(depsOn(), SENDER, { caseRef: c.ref, toAreaId: SOUTH }));
      const [a, w] = await Promise.all([
        answer === 'accept'
          ? acceptTransfer(depsOn(), RECEIVER, req.transfer.id)
          : declineTransfer(depsOn(), RECEIVER, { transferId: req.transfer.id, reason: 'Invented reason' }),
        withdrawTransfer(depsOn(), SENDER, { caseRef: c.ref }),
      ]);
      expect([a.ok, w.ok].filter(Boolean)).toHaveLength(1);
      const final = unwrap(await store.repos.transfers.get(req.transfer.id));
      if (w.ok) {
        expect(final.state).toBe('withdrawn');
        expect(a.ok ? '' : a.error.message).toContain('withdrew');
        expect(unwrap(await store.repos.cases.get(c.id)).areaId).toBe(NORTH);
      } else {
        expect(final.state).toBe(answer === 'accept' ? 'accepted' : 'declined');
        expect(w.error.message).toContain(answer === 'accept' ? 'accepted' : 'declined');
      }
    }
  });

  it('2, 3: the meetings and minutes follow the case; the old minutes card tells the sending area the case moved', async () => {
    // The first north case collides with the south's own reference, so it is renumbered.
    const c = await aNorthCase();
    const meeting = unwrap(
      await store.repos.meetings.create(
        aNewMeeting({
          areaId: NORTH,
          caseId: c.id,
          invitees: [{ agencyId: 'probation', aadObjectId: NORTH_LEAD.aadObjectId, name: 'Invented Person 5' }],
        }),
        { by },
      ),
    );
    // Approved as version 1, with a correction (version 2) still in draft: the state the users found.
    const started = (
      await store.repos.minutes.startForMeeting(aNewMinutes({ areaId: NORTH, caseId: c.id, meetingId: meeting.id }), {
        by,
      })
    ).minutes;
    const approved = unwrap(
      await store.repos.minutes.approve(
        started.id,
        started.version,
        { aadObjectId: by.aadObjectId, displayName: 'Invented Chair' },
        { by },
      ),
    );
    const minutes = unwrap(
      await store.repos.minutes.startCorrection(
        approved.id,
        approved.version,
        { reason: 'Invented correction', by: { aadObjectId: by.aadObjectId, displayName: 'Invented Chair' } },
        { by },
      ),
    );
    expect(unwrap(await openMinutes(minutesDeps(NORTH), NORTH_LEAD, minutes.id)).caseRef).toBe(c.ref);

    const req = unwrap(await requestTransfer(depsOn(), SENDER, { caseRef: c.ref, toAreaId: SOUTH }));
    const done = unwrap(await acceptTransfer(depsOn(), RECEIVER, req.transfer.id));
    expect(unwrap(await store.repos.meetings.get(meeting.id)).areaId).toBe(SOUTH);
    expect(unwrap(await store.repos.minutes.get(minutes.id)).areaId).toBe(SOUTH);
    const events = await store.repos.audit.listForEntity('case', c.id);
    expect(
      events.filter((e) => e.action === 'case.transfer_record_moved' && e.areaId === SOUTH).map((e) => e.details?.kind),
    ).toEqual(expect.arrayContaining(['meeting', 'minutes']));

    // The receiving co-ordinator reads (and may edit) them; the sender's people no longer can.
    const south = unwrap(await openMinutes(minutesDeps(SOUTH), RECEIVER, minutes.id, { editing: true }));
    expect(south).toMatchObject({ caseRef: done.receivingRef, minutes: { revision: 2, status: 'draft' } });
    expect(unwrap(await openMinutes(minutesDeps(SOUTH), RECEIVER, minutes.id)).correctionInProgress).toBe(2);
    expect((await store.repos.minutes.listVersions(minutes.id)).map((m) => m.areaId)).toEqual([SOUTH, SOUTH]);
    for (const who of [SENDER, NORTH_LEAD]) {
      const old = await openMinutes(minutesDeps(NORTH), who, minutes.id);
      expect(old).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      const msg = old.ok ? '' : old.error.message;
      expect(msg).toBe('This case has moved to another MAPPA area; its minutes are with that area now.');
      expect(msg).not.toContain(c.ref);
      expect(msg).not.toContain(done.receivingRef!);
    }
    // Someone of the sending area who was never on the meeting learns nothing, not even that it moved.
    expect(await openMinutes(minutesDeps(NORTH), NORTH_UNINVOLVED, minutes.id)).toMatchObject({
      ok: false,
      error: { message: 'Those minutes were not found.' },
    });
  });

  it('3: a moved case keeps its reference when it is free in the receiving area; a renumbered one takes a reference neither area uses or will use', async () => {
    const UP = 'area-up';
    const DOWN = 'area-down';
    const OTHER = 'area-other';
    for (const id of [UP, DOWN, OTHER]) {
      const { version: _v, ...area } = anArea('england-wales', { id, name: `Invented ${id}` });
      unwrap(await store.repos.members.createArea(area, { by }));
    }
    const make = (areaId: string) => store.repos.cases.create(aNewCase({ areaId, subjectId: 'sub-x' }), { by });
    const [u1, , u3] = [await make(UP), await make(UP), await make(UP)];
    await make(DOWN);
    // Another area already uses the number the receiving area would take next.
    for (let i = 0; i < 5; i++) await make(OTHER);
    const up = person(7, UP);
    const down = person(8, DOWN);

    const kept = unwrap(await requestTransfer(depsOn(), up, { caseRef: u3!.ref, toAreaId: DOWN }));
    expect(unwrap(await acceptTransfer(depsOn(), down, kept.transfer.id)).receivingRef).toBe(u3!.ref);
    expect(unwrap(await store.repos.cases.getByRef(DOWN, u3!.ref)).id).toBe(u3!.id);
    // The receiving area's next case does not take the kept reference.
    expect((await make(DOWN)).ref.slice(-4)).toBe('0004');

    const renumbered = unwrap(await requestTransfer(depsOn(), up, { caseRef: u1!.ref, toAreaId: DOWN }));
    const newRef = unwrap(await acceptTransfer(depsOn(), down, renumbered.transfer.id)).receivingRef!;
    expect(newRef).not.toBe(u1!.ref);
    expect(await store.db.collection('cases').countDocuments({ ref: newRef })).toBe(1);
    // The sending area will not give one of its own later cases the moved case's new reference.
    expect((await make(UP)).ref > newRef).toBe(true);
  });

  it('3: two cases of the same reference from two areas, accepted into a third, each get a reference and move', async () => {
    const [A, B, C] = ['area-same-a', 'area-same-b', 'area-same-c'];
    for (const id of [A, B, C]) {
      const { version: _v, ...area } = anArea('england-wales', { id, name: `Invented ${id}` });
      unwrap(await store.repos.members.createArea(area, { by }));
    }
    // Every area numbers its own cases: both first cases are MAPPA-<year>-0001.
    const a = await store.repos.cases.create(aNewCase({ areaId: A, subjectId: 'sub-a' }), { by });
    const b = await store.repos.cases.create(aNewCase({ areaId: B, subjectId: 'sub-b' }), { by });
    expect(a.ref).toBe(b.ref);
    const fromA = unwrap(await requestTransfer(depsOn(), person(11, A), { caseRef: a.ref, toAreaId: C }));
    const fromB = unwrap(await requestTransfer(depsOn(), person(12, B), { caseRef: b.ref, toAreaId: C }));
    const intoC = person(13, C);
    const [first, second] = await Promise.all([
      acceptTransfer(depsOn(), intoC, fromA.transfer.id),
      acceptTransfer(depsOn(), intoC, fromB.transfer.id),
    ]);
    const refs = [unwrap(first).receivingRef, unwrap(second).receivingRef];
    expect(new Set(refs).size).toBe(2);
    expect(unwrap(await store.repos.cases.getByRef(C, refs[0]!)).id).toBe(a.id);
    expect(unwrap(await store.repos.cases.getByRef(C, refs[1]!)).id).toBe(b.id);
  });

  it('4: the transfer card opens only for people who can see the case, alike for an unknown id', async () => {
    const c = await aNorthCase();
    const req = unwrap(await requestTransfer(depsOn(), SENDER, { caseRef: c.ref, toAreaId: SOUTH }));
    for (const who of [SENDER, RECEIVER, NORTH_LEAD])
      expect(unwrap(await viewTransfer(depsOn(), who, req.transfer.id)).id).toBe(req.transfer.id);
    const unknown = await viewTransfer(depsOn(), RECEIVER, 'no-such-transfer');
    expect(unknown.ok).toBe(false);
    for (const who of [SOUTH_PRACTITIONER, NORTH_UNINVOLVED, OUTSIDER]) {
      const res = await viewTransfer(depsOn(), who, req.transfer.id);
      expect(res).toEqual(unknown);
    }
  });

  it('5: co-ordinators list the hand-overs pending in and out of their area', async () => {
    const c = await aNorthCase();
    const req = unwrap(await requestTransfer(depsOn(), SENDER, { caseRef: c.ref, toAreaId: SOUTH }));
    const out = unwrap(await pendingTransfers(depsOn(), SENDER));
    expect(out.find((t) => t.id === req.transfer.id)).toMatchObject({ caseRef: c.ref, toAreaId: SOUTH });
    expect(unwrap(await pendingTransfers(depsOn(), RECEIVER)).map((t) => t.id)).toContain(req.transfer.id);
    expect(unwrap(await pendingTransfers(depsOn(), OUTSIDER)).map((t) => t.id)).not.toContain(req.transfer.id);
    expect(out.every((t) => t.state === 'pending')).toBe(true);
    expect(await pendingTransfers(depsOn(), NORTH_LEAD)).toMatchObject({ ok: false, error: { code: 'NOT_PERMITTED' } });
  });
});
