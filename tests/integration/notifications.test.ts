import { MongoClient, MongoNetworkError, type CommandStartedEvent } from 'mongodb';
import {
  decideNotification,
  decisionSummaries,
  LEVEL1_RATIONALE,
  notificationSummary,
  receiveNotification,
  withinTurn,
  type ReceiveDeps,
} from '../../src/app/notifications';
import type { IntakeClaimRepository } from '../../src/app/ports/intake-claim.port';
import type { RequestActor } from '../../src/app/ports';
import type { Principal } from '../../src/domain/policy';
import type { Role } from '../../src/domain';
import { unwrap } from '../../src/lib/result';
import { referralsDueOrLate } from '../../src/app/referrals';
import { MongoIntakeClaimRepository } from '../../src/store/intake-claim.repository';
import { createRepositories } from '../../src/store';
import { testMongoUri } from '../support/mongo';
import { anArea, aRequestActor, COORDINATOR, PRACTITIONER, TENANT_ID } from '../fixtures/builders';
import { withFault } from '../support/faults';
import { openTestStore, type TestStore } from '../support/store';

// Invented people and numbers throughout.
const EW = 'area-england-wales';
const SCO = 'area-scotland';

function principal(aad: string, name: string, agencyId: string, roles: Role[], areaId = EW): Principal {
  return {
    tenantId: TENANT_ID,
    aadObjectId: aad,
    member: {
      aadObjectId: aad,
      tenantId: TENANT_ID,
      areaId,
      displayName: name,
      agencyId,
      roles,
      active: true,
      version: 0,
    },
  };
}
const coordinator = principal(COORDINATOR.aadObjectId, COORDINATOR.displayName, 'police', ['coordinator']);
const otherCoordinator = principal('00000000-0000-4000-8000-000000000009', 'Robin Notreal', 'probation', [
  'coordinator',
]);
const probationOfficer = principal(PRACTITIONER.aadObjectId, PRACTITIONER.displayName, 'probation', ['practitioner']);
const yotWorker = principal('00000000-0000-4000-8000-000000000004', 'Kim Pretend', 'yot', ['practitioner']);
const housingOfficer = principal('00000000-0000-4000-8000-000000000005', 'Lee Madeup', 'housing-authority', [
  'practitioner',
]);
const scoCoordinator = principal(
  '00000000-0000-4000-8000-000000000006',
  'Morgan Fable',
  'police-scotland',
  ['coordinator'],
  SCO,
);

const actorOf = (p: Principal): RequestActor => ({
  aadObjectId: p.aadObjectId,
  tenantId: p.tenantId,
  displayName: p.member!.displayName,
});
const intakeApp: RequestActor = {
  aadObjectId: '9d3c6f2e-8b7a-4c5d-9e1f-2a3b4c5d6e7f',
  tenantId: TENANT_ID,
  displayName: 'Intake API (probation)',
};

let seq = 0;
/** A unique PNC per call, so each test counts its own person. */
function nextPnc(): string {
  seq += 1;
  return `2001/${String(seq).padStart(7, '0')}X`;
}

/** The form card as Teams submits it: flat strings, blanks for untouched inputs. */
function cardForm(over: Record<string, string> = {}): Record<string, string> {
  return {
    verb: 'notification.submit',
    givenName: 'Terry',
    familyName: 'Imaginary',
    otherNames: '',
    aliases: 'TJ, Tel',
    dateOfBirth: '1990-04-01',
    gender: '',
    pnc: nextPnc(),
    crn: '',
    visor: 'VIS-0001',
    prisonNumber: '',
    category: 'cat2',
    eligibilityReasons: 'Convicted of a specified violent offence\nCustody of 12 months or more',
    eligibilityFacts: '',
    leadAgencyId: 'probation',
    sentenceDate: '2026-01-12',
    releaseDate: '2026-09-01',
    custodyStatus: 'custody',
    notes: '',
    ...over,
  };
}

/** The same notification as the API's JSON. */
function jsonForm(pnc = nextPnc(), over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    subject: { givenName: 'Jordan', familyName: 'Fictitious', aliases: ['JD'], dateOfBirth: '1985-07-15' },
    identifiers: { pnc, crn: 'X123456' },
    category: 'cat1',
    eligibilityReasons: ['Subject to sex offender notification requirements'],
    eligibilityFacts: { subjectToNotificationRequirements: true, convicted: true },
    sentenceDate: '2026-02-02',
    custodyStatus: 'community',
    ...over,
  };
}

describe('notification use cases on the real store', () => {
  let store: TestStore;
  let deps: ReceiveDeps;
  let scoDeps: ReceiveDeps;

  const count = (collection: string, filter: Record<string, unknown> = {}) =>
    store.db.collection(collection).countDocuments(filter);
  const asTeams = (p: Principal) => ({ actor: actorOf(p) });
  const asApi = { actor: intakeApp, fixedLeadAgencyId: 'probation' };

  beforeAll(async () => {
    store = await openTestStore('notif_uc');
    const by = { ...actorOf(coordinator) };
    for (const area of [anArea('england-wales'), anArea('scotland')]) {
      const { version: _v, ...rest } = area;
      unwrap(await store.repos.members.createArea(rest, { by }));
    }
    const claims = new MongoIntakeClaimRepository(store.db, store.clock);
    const timing = { leaseMs: 10_000, pollMs: 10, maxWaitMs: 2_000 };
    deps = { repos: store.repos, clock: store.clock, areaId: EW, claims, timing };
    scoDeps = { ...deps, areaId: SCO };
  });
  afterAll(() => store.close());
  beforeEach(() => store.clock.set('2026-03-02T09:00:00.000Z'));

  describe('validation', () => {
    it('reports every problem under the card input id and writes nothing', async () => {
      const before = await count('notifications');
      const res = await receiveNotification(
        deps,
        cardForm({
          givenName: '',
          pnc: '',
          visor: '',
          category: 'cat9',
          eligibilityReasons: '  \n ',
          custodyStatus: '',
          dateOfBirth: '1990-02-30',
        }),
        asTeams(probationOfficer),
        { idempotencyKey: 'draft-invalid' },
      );
      expect(res.ok).toBe(false);
      if (res.ok) return;
      expect(res.error.code).toBe('VALIDATION_FAILED');
      const fieldErrors = (res.error as { fieldErrors: Record<string, string> }).fieldErrors;
      expect(Object.keys(fieldErrors).sort()).toEqual(
        ['category', 'custodyStatus', 'dateOfBirth', 'eligibilityReasons', 'givenName', 'identifiers'].sort(),
      );
      expect(fieldErrors.identifiers).toMatch(/at least one identifier/);
      expect(fieldErrors.givenName).toBe('Enter the given name');
      expect(await count('notifications')).toBe(before);
      expect(await count('intakeClaims')).toBe(0);
    });

    it('checks identifier formats, date sanity and unknown API keys', async () => {
      const bad = async (raw: unknown) => {
        const res = await receiveNotification(deps, raw, asTeams(probationOfficer), {});
        return res.ok ? {} : (res.error as { fieldErrors?: Record<string, string> }).fieldErrors;
      };
      expect(await bad(cardForm({ pnc: 'not-a-pnc', crn: '123' }))).toEqual({
        pnc: expect.stringMatching(/PNC/),
        crn: expect.stringMatching(/CRN/),
      });
      expect(await bad(cardForm({ dateOfBirth: '2026-03-02' }))).toEqual({
        dateOfBirth: expect.stringMatching(/past/),
      });
      expect(await bad(cardForm({ dateOfBirth: '1899-12-31' }))).toEqual({
        dateOfBirth: expect.stringMatching(/1900/),
      });
      expect(await bad(cardForm({ sentenceDate: '2026-03-03' }))).toEqual({
        sentenceDate: expect.stringMatching(/future/),
      });
      expect(await bad(cardForm({ releaseDate: '2025-01-01' }))).toEqual({ releaseDate: expect.any(String) });
      const json = jsonForm();
      expect(
        await bad({ ...json, subject: { ...(json.subject as object), dob: '1985-07-15' }, colour: 'blue' }),
      ).toEqual({ 'subject.dob': 'Not a field of a notification', colour: 'Not a field of a notification' });
    });

    it('checks the category against the jurisdiction and the stated facts', async () => {
      const sco = await receiveNotification(
        scoDeps,
        cardForm({ category: 'cat2', leadAgencyId: 'police-scotland' }),
        asTeams(scoCoordinator),
      );
      expect(sco).toMatchObject({ ok: false, error: { fieldErrors: { category: expect.stringMatching(/not used/) } } });
      const facts = await receiveNotification(
        deps,
        cardForm({ category: 'cat2', eligibilityFacts: 'subjectToNotificationRequirements' }),
        asTeams(probationOfficer),
      );
      expect(facts).toMatchObject({
        ok: false,
        error: { fieldErrors: { category: expect.stringMatching(/Category 1/) } },
      });
    });

    it('accepts either category when the facts meet Category 2 and Category 4, which guidance does not order', async () => {
      const facts = 'convicted,murderOrSchedule15Offence,terrorismOffenceOrConnection';
      for (const category of ['cat4', 'cat2']) {
        const res = await receiveNotification(
          deps,
          cardForm({ category, eligibilityFacts: facts, qualifyingDisposal: 'custody_12m_plus' }),
          asTeams(probationOfficer),
        );
        expect(res).toMatchObject({ ok: true, value: { notification: { category } } });
      }
    });

    it('refuses an agency the area does not list, and a lead agency other than the caller’s', async () => {
      const unknown = await receiveNotification(
        deps,
        cardForm({ leadAgencyId: 'no-such-agency' }),
        asTeams(probationOfficer),
      );
      expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_AGENCY' } });
      const mismatch = await receiveNotification(deps, jsonForm(nextPnc(), { leadAgencyId: 'police' }), asApi, {
        externalRef: 'REF-MISMATCH',
      });
      expect(mismatch).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED', fieldErrors: { leadAgencyId: expect.stringMatching(/probation/) } },
      });
      expect(await count('notifications', { externalRef: { $regex: 'REF-MISMATCH' } })).toBe(0);
    });
  });

  describe('receiving', () => {
    it('creates the subject, a notified case with a ref, and the notification pointing at it', async () => {
      const form = cardForm({ otherNames: 'Paul' });
      const res = unwrap(
        await receiveNotification(deps, form, asTeams(probationOfficer), { idempotencyKey: 'draft-create' }),
      );
      expect(res.created).toBe(true);
      expect(res.caseRef).toMatch(/^MAPPA-2026-\d{4}$/);
      const n = res.notification;
      expect(n).toMatchObject({
        areaId: EW,
        status: 'received',
        category: 'cat2',
        leadAgencyId: 'probation',
        notifiedOn: '2026-03-02',
        sentenceDate: '2026-01-12',
        expectedReleaseDate: '2026-09-01',
        subjectStatus: 'custody',
        notifiedBy: { aadObjectId: PRACTITIONER.aadObjectId, displayName: PRACTITIONER.displayName },
        eligibilityReasons: ['Convicted of a specified violent offence', 'Custody of 12 months or more'],
      });
      const c = unwrap(await store.repos.cases.get(n.caseId!));
      expect(c).toMatchObject({
        ref: res.caseRef,
        status: 'notified',
        level: null,
        category: 'cat2',
        subjectId: n.subjectId,
        keyDates: { sentenceDate: '2026-01-12', notificationDate: '2026-03-02', releaseDate: '2026-09-01' },
      });
      const s = unwrap(await store.repos.subjects.get(n.subjectId));
      expect(s).toMatchObject({
        name: { given: 'Terry Paul', family: 'Imaginary' },
        aliases: ['TJ', 'Tel'],
        identifiers: { pnc: form.pnc, visor: 'VIS-0001' },
        status: 'custody',
      });
      expect((await store.repos.audit.listForEntity('notification', n.id)).map((e) => e.action)).toEqual([
        'notification.received',
      ]);
      expect((await store.repos.audit.listForEntity('case', c.id)).map((e) => e.action)).toEqual(['case.created']);
    });

    it('returns the same notification for the same key and writes nothing more', async () => {
      const form = cardForm();
      const first = unwrap(
        await receiveNotification(deps, form, asTeams(probationOfficer), { idempotencyKey: 'draft-2' }),
      );
      const totals = async () => [
        await count('notifications'),
        await count('cases'),
        await count('subjects'),
        await count('auditEvents'),
        await count('auditQueue'),
      ];
      const before = await totals();
      const again = unwrap(
        await receiveNotification(deps, form, asTeams(probationOfficer), { idempotencyKey: 'draft-2' }),
      );
      expect(again).toEqual({ ...first, created: false });
      expect(await totals()).toEqual(before);
    });

    it('makes one notification, case and subject of concurrent deliveries with one externalRef', async () => {
      const pnc = nextPnc();
      const results = await Promise.all(
        Array.from({ length: 5 }, () =>
          receiveNotification(deps, jsonForm(pnc), asApi, { externalRef: 'NDELIUS-CONCURRENT-1' }),
        ),
      );
      const values = results.map(unwrap);
      expect(new Set(values.map((v) => v.notification.id)).size).toBe(1);
      expect(values.filter((v) => v.created)).toHaveLength(1);
      expect(new Set(values.map((v) => v.caseRef)).size).toBe(1);
      expect(await count('subjects', { 'identifiers.pnc': pnc })).toBe(1);
      const subjectId = values[0]!.notification.subjectId;
      expect(await count('cases', { subjectId })).toBe(1);
      expect(await count('notifications', { subjectId })).toBe(1);
    });

    it('keeps one agency’s externalRef from reaching another agency’s notification', async () => {
      const a = unwrap(await receiveNotification(deps, jsonForm(), asApi, { externalRef: 'SHARED-REF-7' }));
      const police = {
        actor: { ...intakeApp, aadObjectId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d' },
        fixedLeadAgencyId: 'police',
      };
      const b = unwrap(await receiveNotification(deps, jsonForm(), police, { externalRef: 'SHARED-REF-7' }));
      expect(b.created).toBe(true);
      expect(b.notification.id).not.toBe(a.notification.id);
      expect(b.notification.leadAgencyId).toBe('police');
    });

    it('converges after a crash between writes: the retry finds the subject and the orphaned case', async () => {
      const pnc = nextPnc();
      let crash = true;
      const repos = withFault(store.repos, 'cases', 'create', async (call) => {
        const created = await call();
        if (crash) {
          crash = false;
          throw new MongoNetworkError('connection reset by peer');
        }
        return created;
      });
      const faulty = { ...deps, repos };
      await expect(receiveNotification(faulty, jsonForm(pnc), asApi, { externalRef: 'CRASH-1' })).rejects.toThrow(
        MongoNetworkError,
      );
      // Written so far: the subject and the case, but no notification, so nothing is in the queue.
      expect(await count('notifications', { externalRef: { $regex: 'CRASH-1' } })).toBe(0);
      const res = unwrap(await receiveNotification(faulty, jsonForm(pnc), asApi, { externalRef: 'CRASH-1' }));
      expect(res.created).toBe(true);
      expect(await count('subjects', { 'identifiers.pnc': pnc })).toBe(1);
      expect(await count('cases', { subjectId: res.notification.subjectId })).toBe(1);
      expect(await count('notifications', { subjectId: res.notification.subjectId })).toBe(1);
    });

    it('takes over from a delivery that died holding the lease once the lease expires', async () => {
      const pnc = nextPnc();
      const claims = new MongoIntakeClaimRepository(store.db, store.clock);
      const deaf: IntakeClaimRepository = {
        acquire: (...a) => claims.acquire(...a),
        record: (...a) => claims.record(...a),
        release: async () => undefined, // a process that dies never releases
      };
      const repos = withFault(store.repos, 'notifications', 'createIfAbsent', async () => {
        throw new MongoNetworkError('server selection timed out');
      });
      await expect(
        receiveNotification({ ...deps, repos, claims: deaf }, jsonForm(pnc), asApi, { externalRef: 'DIED-1' }),
      ).rejects.toThrow(MongoNetworkError);
      // While the lease is live a second delivery waits, then gives up without writing.
      await expect(
        receiveNotification({ ...deps, timing: { maxWaitMs: 50, pollMs: 10 } }, jsonForm(pnc), asApi, {
          externalRef: 'DIED-1',
        }),
      ).rejects.toThrow('still being processed');
      store.clock.advance(11_000);
      const res = unwrap(await receiveNotification(deps, jsonForm(pnc), asApi, { externalRef: 'DIED-1' }));
      expect(res.created).toBe(true);
      expect(await count('subjects', { 'identifiers.pnc': pnc })).toBe(1);
      expect(await count('cases', { subjectId: res.notification.subjectId })).toBe(1);
    });

    it('reuses the subject for a second notification about the same person and adds what it lacks', async () => {
      const pnc = nextPnc();
      const visor = `VIS-${pnc.replace('/', '')}`;
      const first = unwrap(await receiveNotification(deps, cardForm({ pnc, visor }), asTeams(probationOfficer)));
      const second = unwrap(
        await receiveNotification(
          deps,
          cardForm({ pnc, visor, crn: 'x765432', aliases: 'tj, Big T', custodyStatus: 'community' }),
          asTeams(probationOfficer),
        ),
      );
      expect(second.notification.id).not.toBe(first.notification.id);
      expect(second.notification.subjectId).toBe(first.notification.subjectId);
      // One open case per person per area: the second notification joins it, and says so.
      expect(second.caseRef).toBe(first.caseRef);
      expect(second.notification.joinedExistingCase).toBe(true);
      expect(first.notification.joinedExistingCase).toBeUndefined();
      expect(unwrap(await store.repos.subjects.get(first.notification.subjectId))).toMatchObject({
        identifiers: { pnc, crn: 'X765432', visor },
        aliases: ['TJ', 'Tel', 'Big T'],
        status: 'community',
      });
      const stranger = unwrap(
        await receiveNotification(
          deps,
          cardForm({ pnc, visor, givenName: 'Someone', familyName: 'Else' }),
          asTeams(probationOfficer),
        ),
      );
      expect(stranger.notification.subjectId).not.toBe(first.notification.subjectId);
      // Same PNC, another name: never linked, and the co-ordinator is shown the case to check against.
      expect(stranger.caseRef).not.toBe(first.caseRef);
      expect(stranger.notification.identityCheck).toEqual({ conflictingCaseIds: [first.notification.caseId] });
      expect(second.notification.identityCheck).toBeUndefined();
    });

    it('opens one case between two agencies notifying the same new person at the same moment', async () => {
      const pnc = nextPnc();
      const [a, b] = await Promise.all([
        receiveNotification(deps, cardForm({ pnc, visor: '' }), asTeams(probationOfficer)),
        receiveNotification(deps, cardForm({ pnc, visor: '' }), asTeams(probationOfficer), {
          idempotencyKey: 'other-draft',
        }),
      ]);
      const cases = new Set([unwrap(a).notification.caseId, unwrap(b).notification.caseId]);
      const subjects = await store.repos.subjects.findByIdentifier(deps.areaId, { kind: 'pnc', value: pnc });
      const open = (await Promise.all(subjects.map((s) => store.repos.cases.listForSubject(s.id)))).flat();
      expect(cases.size).toBe(1);
      expect(open.filter((c) => c.status !== 'exited')).toHaveLength(1);
    });
  });

  describe('deciding', () => {
    const receive = async (over: Record<string, string> = {}, d: ReceiveDeps = deps, by = asTeams(probationOfficer)) =>
      unwrap(await receiveNotification(d, cardForm(over), by)).notification;

    it('refuses anyone but a co-ordinator and changes nothing', async () => {
      const n = await receive();
      for (const p of [probationOfficer, housingOfficer]) {
        expect(await decideNotification(deps, p, n.id, 'level1')).toMatchObject({
          ok: false,
          error: { code: 'NOT_PERMITTED' },
        });
      }
      expect(unwrap(await store.repos.notifications.get(n.id)).status).toBe('received');
      expect(await decideNotification(deps, coordinator, 'no-such-notification', 'level1')).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      });
      expect(await decideNotification(scoDeps, scoCoordinator, n.id, 'level1')).toMatchObject({
        ok: false,
        error: { code: 'NOT_FOUND' },
      });
    });

    it('level1 accepts and moves the case to Level 1 with a recorded decision; a second decision acts not', async () => {
      const n = await receive();
      const res = unwrap(await decideNotification(deps, coordinator, n.id, 'level1', 'RMP robust; no barriers.'));
      expect(res).toMatchObject({ alreadyDecided: false, verb: 'level1', caseStatus: 'managed_l1' });
      expect(res.notification).toMatchObject({
        status: 'accepted',
        decision: { outcome: 'accepted', decidedBy: COORDINATOR, decidedAt: '2026-03-02T09:00:00.000Z' },
      });
      const c = unwrap(await store.repos.cases.get(n.caseId!));
      expect(c).toMatchObject({ status: 'managed_l1', level: 1 });
      expect(c.history).toHaveLength(1);
      expect(c.history[0]).toMatchObject({
        kind: 'level',
        from: null,
        to: 1,
        actor: COORDINATOR,
        source: { type: 'notification', id: n.id },
        rationale: `${LEVEL1_RATIONALE}\nRMP robust; no barriers.`,
      });
      expect((await store.repos.audit.listForEntity('notification', n.id)).map((e) => e.action)).toEqual([
        'notification.received',
        'notification.decided',
      ]);
      expect((await store.repos.audit.listForEntity('case', c.id)).map((e) => e.action)).toContain(
        'case.decision_recorded',
      );

      for (const [who, verb] of [
        [coordinator, 'level1'],
        [otherCoordinator, 'askToRefer'],
      ] as const) {
        const again = unwrap(await decideNotification(deps, who, n.id, verb));
        expect(again).toMatchObject({ alreadyDecided: true, verb: 'level1', caseStatus: 'managed_l1' });
        expect(again.messageTo).toBeUndefined();
      }
      const after = unwrap(await store.repos.cases.get(n.caseId!));
      expect(after.history).toHaveLength(1);
      expect(after.version).toBe(c.version);
    });

    it('lets only one of two simultaneous decisions act', async () => {
      const n = await receive();
      const [a, b] = await Promise.all([
        decideNotification(deps, coordinator, n.id, 'level1'),
        decideNotification(deps, otherCoordinator, n.id, 'askToRefer', undefined, '2026-03-20'),
      ]);
      const results = [unwrap(a), unwrap(b)];
      expect(results.map((r) => r.alreadyDecided).sort()).toEqual([false, true]);
      const winner = results.find((r) => !r.alreadyDecided)!;
      expect(results.every((r) => r.verb === winner.verb)).toBe(true);
      const c = unwrap(await store.repos.cases.get(n.caseId!));
      expect(c.status).toBe(winner.verb === 'level1' ? 'managed_l1' : 'notified');
      expect(c.history).toHaveLength(winner.verb === 'level1' ? 1 : 0);
    });

    it('awaitReferral accepts, leaves the case notified and records the referral due date', async () => {
      store.clock.set('2026-01-09T10:00:00.000Z');
      const n = await receive(
        { leadAgencyId: 'police-scotland', category: 'cat1', sentenceDate: '2025-12-30' },
        scoDeps,
        asTeams(scoCoordinator),
      );
      const res = unwrap(await decideNotification(scoDeps, scoCoordinator, n.id, 'awaitReferral'));
      // Five working days after Friday 9 January 2026.
      expect(res).toMatchObject({
        alreadyDecided: false,
        verb: 'awaitReferral',
        caseStatus: 'notified',
        referralDue: '2026-01-16',
      });
      expect(res.messageTo).toBeUndefined();
      expect(res.notification.decision?.reason).toBe('Accepted: awaiting a referral (referral due 16 Jan 2026)');
      expect(unwrap(await store.repos.cases.get(n.caseId!)).status).toBe('notified');

      // The reminder job finds it once due, names its notifier, and never lists it before the due date.
      const reminderDeps = { notifications: store.repos.notifications, cases: store.repos.cases, areaId: SCO };
      const caseRef = unwrap(await store.repos.cases.get(n.caseId!)).ref;
      expect((await referralsDueOrLate(reminderDeps, '2026-01-15')).map((r) => r.caseRef)).not.toContain(caseRef);
      expect(await referralsDueOrLate(reminderDeps, '2026-01-16')).toContainEqual({
        caseRef,
        due: '2026-01-16',
        notifierAadObjectId: scoCoordinator.aadObjectId,
        overdue: false,
      });
      expect((await referralsDueOrLate(reminderDeps, '2026-01-19')).find((r) => r.caseRef === caseRef)?.overdue).toBe(
        true,
      );
    });

    it('askToRefer names the Teams notifier to message, and nobody for an API notification', async () => {
      // Only a notifier enrolled in the lead agency is asked (another agency's could not open the case).
      const { version: _v, ...member } = probationOfficer.member!;
      await store.repos.members.enrol(member, { by: aRequestActor() });
      const teams = await receive();
      // England and Wales set no referral timescale by default: the co-ordinator must give the date.
      const undated = await decideNotification(deps, coordinator, teams.id, 'askToRefer', 'Please refer for L2.');
      expect(undated).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED', fieldErrors: { referralDue: expect.stringContaining('choose the date') } },
      });
      expect(unwrap(await store.repos.notifications.get(teams.id)).status).toBe('received');
      const past = await decideNotification(deps, coordinator, teams.id, 'askToRefer', '', '2026-02-27');
      expect(past).toMatchObject({
        ok: false,
        error: { fieldErrors: { referralDue: expect.stringContaining('past') } },
      });
      const asked = unwrap(
        await decideNotification(deps, coordinator, teams.id, 'askToRefer', 'Please refer for L2.', '2026-03-16'),
      );
      expect(asked).toMatchObject({
        verb: 'askToRefer',
        caseStatus: 'notified',
        messageTo: PRACTITIONER,
        referralDue: '2026-03-16',
      });
      // The chosen date is what the reminder job chases.
      expect(unwrap(await store.repos.notifications.get(teams.id)).decision?.referralDue).toBe('2026-03-16');
      const api = unwrap(await receiveNotification(deps, jsonForm(), asApi, { externalRef: 'ASK-API-1' })).notification;
      expect(
        unwrap(await decideNotification(deps, coordinator, api.id, 'askToRefer', undefined, '2026-03-16')).messageTo,
      ).toBeNull();
    });

    it('refuses Level 1 for Category 3 before deciding anything', async () => {
      const n = await receive({ category: 'cat3' });
      expect(await decideNotification(deps, coordinator, n.id, 'level1')).toMatchObject({
        ok: false,
        error: { code: 'CATEGORY_3_LEVEL_1' },
      });
      expect(unwrap(await store.repos.notifications.get(n.id)).status).toBe('received');
    });

    it('finishes a level1 decision whose case write was cut short, when anyone decides again', async () => {
      const n = await receive();
      const repos = withFault(store.repos, 'cases', 'save', async () => {
        throw new MongoNetworkError('connection reset by peer');
      });
      await expect(decideNotification({ ...deps, repos }, coordinator, n.id, 'level1')).rejects.toThrow(
        MongoNetworkError,
      );
      expect(unwrap(await store.repos.notifications.get(n.id)).status).toBe('accepted');
      expect(unwrap(await store.repos.cases.get(n.caseId!)).status).toBe('notified');
      const again = unwrap(await decideNotification(deps, otherCoordinator, n.id, 'awaitReferral'));
      expect(again).toMatchObject({ alreadyDecided: true, verb: 'level1', caseStatus: 'managed_l1' });
      const c = unwrap(await store.repos.cases.get(n.caseId!));
      expect(c.history).toHaveLength(1);
      expect(c.history[0]!.actor).toEqual(COORDINATOR);
      // Recorded as the first co-ordinator's decision, completed later, not as the second one's.
      expect((await store.repos.audit.listForEntity('case', c.id)).at(-1)).toMatchObject({
        action: 'case.decision_recorded',
        actorAadObjectId: COORDINATOR.aadObjectId,
        details: { resumed: true },
      });
    });
  });

  describe('summary', () => {
    it('gives everyone the minimal view and reads nothing personal for it', async () => {
      const res = unwrap(await receiveNotification(deps, cardForm(), asTeams(probationOfficer)));
      const viewsBefore = (await store.repos.audit.listForEntity('case', res.notification.caseId!)).length;
      for (const viewer of [null, housingOfficer]) {
        const s = unwrap(await notificationSummary(deps, res.notification.id, viewer));
        expect(s).toEqual({
          id: res.notification.id,
          caseRef: res.caseRef,
          categoryLabel: 'Category 2: violent and other sexual offenders',
          initials: 'T.I.',
          leadAgencyName: 'Probation Service',
          receivedOn: '2026-03-02',
          status: 'received',
          caseStatus: 'notified',
          // E&W sets no notification or referral timescale by default; the co-ordinator's is 10 working days.
          deadlines: [
            {
              key: 'coordinatorDecision',
              label: 'Co-ordinator decision due (area practice)',
              due: '2026-03-16',
              daysLeft: 10,
              done: false,
            },
          ],
          joinedExistingCase: false,
          today: '2026-03-02',
          // No area rule, so the card asks the co-ordinator for the date (issue: nothing was chased).
          referralDueDefault: null,
          referralRuleLabel: null,
        });
      }
      expect((await store.repos.audit.listForEntity('case', res.notification.caseId!)).length).toBe(viewsBefore);
    });

    it('adds the full content for a reader in scope, audited as a case view', async () => {
      const res = unwrap(
        await receiveNotification(deps, cardForm({ notes: 'Release address to confirm.' }), asTeams(probationOfficer)),
      );
      await decideNotification(deps, coordinator, res.notification.id, 'level1');
      const s = unwrap(await notificationSummary(deps, res.notification.id, coordinator));
      expect(s.decision).toEqual({
        verb: 'level1',
        outcome: 'accepted',
        label: 'Accepted: Level 1, managed by the lead agency',
        byName: COORDINATOR.displayName,
        at: '2026-03-02T09:00:00.000Z',
      });
      expect(s.full).toEqual({
        names: { given: 'Terry', family: 'Imaginary', aliases: ['TJ', 'Tel'] },
        dateOfBirth: '1990-04-01',
        identifiers: { pnc: expect.any(String), visor: 'VIS-0001' },
        custodyStatus: 'custody',
        expectedReleaseDate: '2026-09-01',
        sentenceDate: '2026-01-12',
        eligibilityReasons: ['Convicted of a specified violent offence', 'Custody of 12 months or more'],
        notes: 'Release address to confirm.',
        withheld: [],
        // The shared fixture ViSOR number is on other people's records: shown for the co-ordinator to check.
        identityConflictRefs: expect.any(Array),
      });
      const trail = await store.repos.audit.listForEntity('case', res.notification.caseId!);
      expect(trail.at(-1)).toMatchObject({ action: 'case.viewed', actorAadObjectId: COORDINATOR.aadObjectId });
    });

    it("reads the person once for a reader in scope: the initials come from the audited read's record", async () => {
      const res = unwrap(await receiveNotification(deps, cardForm(), asTeams(probationOfficer)));
      const client = await new MongoClient(testMongoUri(), { monitorCommands: true }).connect();
      try {
        const finds: string[] = [];
        client.on('commandStarted', (e: CommandStartedEvent) => {
          if (e.commandName === 'find') finds.push(String(e.command.find));
        });
        const watched = { ...deps, repos: createRepositories(client.db(store.db.databaseName), store.clock) };
        const s = unwrap(await notificationSummary(watched, res.notification.id, coordinator));
        expect(s.initials).toBe('T.I.');
        expect(s.full?.names.family).toBe('Imaginary');
        expect(finds.filter((c) => c === 'subjects')).toHaveLength(1);
        // Someone who may not read the case still gets the initials, from a read of their own.
        finds.length = 0;
        const minimal = unwrap(await notificationSummary(watched, res.notification.id, housingOfficer));
        expect(minimal.full).toBeUndefined();
        expect(minimal.initials).toBe('T.I.');
        expect(finds.filter((c) => c === 'subjects')).toHaveLength(1);
      } finally {
        await client.close();
      }
    });

    it("answers a decision with the channel's and the decider's summaries from one read of each record, the view audited", async () => {
      // No shared ViSOR number here: a conflict's case references would be read on top.
      const res = unwrap(
        await receiveNotification(
          deps,
          cardForm({ visor: '', notes: 'Release address to confirm.' }),
          asTeams(probationOfficer),
        ),
      );
      const client = await new MongoClient(testMongoUri(), { monitorCommands: true }).connect();
      try {
        const finds: string[] = [];
        client.on('commandStarted', (e: CommandStartedEvent) => {
          if (e.commandName === 'find') finds.push(String(e.command.find));
        });
        const turn = withinTurn({ ...deps, repos: createRepositories(client.db(store.db.databaseName), store.clock) });
        const decided = unwrap(await decideNotification(turn, coordinator, res.notification.id, 'level1'));
        const { channel, forViewer } = unwrap(await decisionSummaries(turn, decided, coordinator));
        // The channel's card: the decision and the case as the decision left them, and no personal content.
        expect(channel).toMatchObject({ initials: 'T.I.', status: 'accepted', caseStatus: 'managed_l1' });
        expect(channel.decision).toMatchObject({ verb: 'level1', byName: COORDINATOR.displayName });
        expect(channel.full).toBeUndefined();
        // The decider's card: the same, with the content they may read, as a fresh summary gives it.
        expect(forViewer).toEqual({ ...channel, full: expect.any(Object) });
        expect(forViewer).toEqual(unwrap(await notificationSummary(deps, res.notification.id, coordinator)));
        expect(forViewer.full).toMatchObject({ names: { family: 'Imaginary' }, notes: 'Release address to confirm.' });
        // The decision's read, then the versioned write's own read of the case; nothing read twice.
        expect(finds.filter((c) => c === 'notifications')).toHaveLength(1);
        expect(finds.filter((c) => c === 'cases')).toHaveLength(2);
        expect(finds.filter((c) => c === 'subjects')).toHaveLength(1);
        const trail = await store.repos.audit.listForEntity('case', res.notification.caseId!);
        expect(trail.slice(-3).map((e) => [e.action, e.actorAadObjectId])).toEqual([
          ['case.decision_recorded', COORDINATOR.aadObjectId],
          ['case.viewed', COORDINATOR.aadObjectId],
          ['case.viewed', COORDINATOR.aadObjectId],
        ]);
      } finally {
        await client.close();
      }
    });

    it('withholds police-only fields from a Duty to Co-operate reader', async () => {
      const res = unwrap(await receiveNotification(deps, cardForm({ leadAgencyId: 'yot' }), asTeams(yotWorker)));
      const s = unwrap(await notificationSummary(deps, res.notification.id, yotWorker));
      expect(s.full?.identifiers).not.toHaveProperty('visor');
      expect(s.full?.withheld).toEqual(['identifiers.visor']);
    });

    it('counts lateness in working days from the sentence date, skipping bank holidays', async () => {
      store.clock.set('2026-01-09T10:00:00.000Z');
      const res = unwrap(
        await receiveNotification(
          scoDeps,
          cardForm({ leadAgencyId: 'police-scotland', category: 'cat1', sentenceDate: '2025-12-30', releaseDate: '' }),
          asTeams(scoCoordinator),
        ),
      );
      const s = unwrap(await notificationSummary(scoDeps, res.notification.id, null));
      // Three working days after Tuesday 30 December 2025 skip 1 and 2 January (Scottish bank
      // holidays) and the weekend: due Tuesday 6 January, so Friday 9 January is 3 working days late.
      expect(s.deadlines).toEqual([
        {
          key: 'notificationAfterSentence',
          label: 'Notification due after sentence (area practice)',
          due: '2026-01-06',
          lateBy: 3,
          done: true,
        },
        {
          key: 'coordinatorDecision',
          label: 'Co-ordinator decision due (area practice)',
          due: '2026-01-23',
          daysLeft: 10,
          done: false,
        },
        {
          key: 'referralAfterNotification',
          label: 'Referral to Level 2/3 due (area practice)',
          due: '2026-01-16',
          daysLeft: 5,
          done: false,
        },
      ]);
      expect(s.categoryLabel).toBe('Category 1: registered sex offenders');
    });
  });
});
