import {
  approveExtension,
  markDone,
  recordProgress,
  refuseExtension,
  requestExtension,
  viewAction,
  viewCase,
} from '../../src/app/actions';
import { startMeeting, scheduleMeeting } from '../../src/app/meetings';
import type { ActionRecord } from '../../src/app/ports';
import { unwrap } from '../../src/lib/result';
import { aNewAction, aRequestActor } from '../fixtures/builders';
import { FIVE_AGENCIES, person, setUpFiveAgencyCase, type FiveAgencySetup } from '../support/five-agency-meeting';

/** Actions between meetings, against the real database: history, concurrency and the extension flow. */
describe('updating actions between meetings', () => {
  let s: FiveAgencySetup;
  let deps: ReturnType<FiveAgencySetup['depsOn']>;
  let housingAction: ActionRecord;
  let policeAction: ActionRecord;

  beforeAll(async () => {
    s = await setUpFiveAgencyCase('actions');
    deps = s.depsOn();
    const all = await s.store.repos.actions.listForCase(s.caseRecord.id);
    housingAction = all.find((a) => a.ownerAgencyId === 'housing-authority')!;
    policeAction = all.find((a) => a.ownerAgencyId === 'police')!;
  });
  afterAll(async () => {
    await s.store.close();
  });

  const current = async (id: string) => unwrap(await s.store.repos.actions.get(id));

  it('appends every change to the action with who and when, on the action document itself', async () => {
    s.store.clock.set('2026-03-02T09:00:00.000Z');
    const progress = unwrap(
      await recordProgress(deps, s.p.housing!, housingAction.id, { version: '0', note: 'Landlord contacted.' }),
    );
    expect(progress.view.action.status).toBe('in_progress');
    s.store.clock.set('2026-03-03T10:15:00.000Z');
    const done = unwrap(
      await markDone(deps, s.p.housing!, housingAction.id, { version: '1', note: 'Tenancy signed and seen.' }),
    );
    expect(done.view.action).toMatchObject({ status: 'done', completedOn: '2026-03-03', version: 2 });
    const stored = await current(housingAction.id);
    expect(stored.history).toEqual([
      {
        at: '2026-03-02T09:00:00.000Z',
        by: { aadObjectId: person(6), displayName: 'Lee Pretend' },
        event: 'progress',
        version: 0,
        status: { from: 'open', to: 'in_progress' },
        note: 'Landlord contacted.',
      },
      {
        at: '2026-03-03T10:15:00.000Z',
        by: { aadObjectId: person(6), displayName: 'Lee Pretend' },
        event: 'done',
        version: 1,
        status: { from: 'in_progress', to: 'done' },
        note: 'Tenancy signed and seen.',
      },
    ]);
    // The raw document holds it too (no side collection).
    const raw = await s.store.db.collection('actions').findOne({ _id: housingAction.id } as never);
    expect((raw as unknown as { history: unknown[] }).history).toHaveLength(2);
  });

  it('loses no update when people write at once: one wins per version, the rest are told', async () => {
    const before = await current(policeAction.id);
    const notes = ['Visit booked.', 'Visit moved to Friday.', 'Neighbour spoken to.', 'Officer assigned.'];
    const results = await Promise.all(
      notes.map((note, i) =>
        recordProgress(deps, i % 2 === 0 ? s.p.police1! : s.p.police2!, policeAction.id, {
          version: String(before.version),
          note,
        }),
      ),
    );
    const won = results.filter((r) => r.ok);
    expect(won).toHaveLength(1);
    for (const r of results.filter((x) => !x.ok)) expect(!r.ok && r.error.code).toBe('VERSION_CONFLICT');
    const after = await current(policeAction.id);
    expect(after.version).toBe(before.version + 1);
    expect(after.history).toHaveLength(before.history.length + 1);

    // Each writer who re-reads and tries again lands: every note ends up in the history, in order.
    const losers = notes.filter((n) => n !== after.statusNote);
    for (const note of losers) {
      const fresh = await current(policeAction.id);
      unwrap(await recordProgress(deps, s.p.police1!, policeAction.id, { version: String(fresh.version), note }));
    }
    const final = await current(policeAction.id);
    expect(final.history.map((h) => h.note).sort()).toEqual([...notes].sort());
    expect(final.history.map((h) => h.version)).toEqual(final.history.map((_, i) => before.version + i));
  });

  it('records a double click once and answers a stale card with the action as it stands', async () => {
    const a = await current(policeAction.id);
    const v = String(a.version);
    const [first, second] = await Promise.all([
      recordProgress(deps, s.p.police1!, a.id, { version: v, note: 'Second visit done.' }),
      recordProgress(deps, s.p.police1!, a.id, { version: v, note: 'Second visit done.' }),
    ]);
    expect(first.ok && second.ok).toBe(true);
    expect([first, second].filter((r) => r.ok && r.value.alreadyRecorded)).toHaveLength(1);
    const after = await current(a.id);
    expect(after.history.filter((h) => h.note === 'Second visit done.')).toHaveLength(1);

    const stale = await recordProgress(deps, s.p.police2!, a.id, { version: v, note: 'Typed on an old card.' });
    expect(!stale.ok && stale.error.code).toBe('VERSION_CONFLICT');
    if (!stale.ok && stale.error.code === 'VERSION_CONFLICT')
      expect(stale.error.current.action.version).toBe(after.version);
  });

  it('refuses an outsider, names the missing note on done, and hides the case from those who cannot see it', async () => {
    const a = await current(policeAction.id);
    const v = String(a.version);
    const probation = await recordProgress(deps, s.p.probation!, a.id, { version: v, note: 'Not mine.' });
    expect(!probation.ok && probation.error).toMatchObject({ code: 'NOT_PERMITTED' });
    expect(!probation.ok && probation.error.message).toContain("the case's chair or the co-ordinator");
    // The co-ordinator (another agency) may.
    const byCoordinator = await viewAction(deps, s.p.coordinator!, a.id);
    expect(byCoordinator.ok && byCoordinator.value.mayUpdate).toBe(true);

    const noNote = await markDone(deps, s.p.police1!, a.id, { version: v, note: '  ' });
    expect(!noNote.ok && noNote.error.code).toBe('VALIDATION_FAILED');
    if (!noNote.ok && 'fieldErrors' in noNote.error) expect(Object.keys(noNote.error.fieldErrors)).toEqual(['note']);

    const outsider = await recordProgress(deps, s.p.outsider!, a.id, { version: v, note: 'x' });
    const missing = await recordProgress(deps, s.p.outsider!, 'no-such-action', { version: v, note: 'x' });
    expect(!outsider.ok && outsider.error).toEqual(!missing.ok && missing.error);
    expect((await current(a.id)).version).toBe(a.version);
  });

  it('takes an extension to the co-ordinator, who approves with a date or refuses with a reason', async () => {
    s.store.clock.set('2026-03-04T09:00:00.000Z');
    const a = await current(policeAction.id);
    const v = String(a.version);
    const past = await requestExtension(deps, s.p.police1!, a.id, { version: v, dueDate: '2026-03-01', reason: 'r' });
    expect(!past.ok && 'fieldErrors' in past.error && past.error.fieldErrors).toEqual({
      dueDate: 'Choose a new due date after today.',
    });
    const beforeDue = unwrap(
      await s.store.repos.actions.update(a.id, a.version, { dueDate: '2026-04-30' }, { by: aRequestActor() }),
    );
    const early = await requestExtension(deps, s.p.police1!, a.id, {
      version: String(beforeDue.version),
      dueDate: '2026-04-10',
      reason: 'Waiting on the court.',
    });
    expect(!early.ok && 'fieldErrors' in early.error && early.error.fieldErrors).toEqual({
      dueDate: 'Choose a date after the current due date (30 Apr 2026).',
    });

    const asked = unwrap(
      await requestExtension(deps, s.p.police1!, a.id, {
        version: String(beforeDue.version),
        dueDate: '2026-05-29',
        reason: 'Waiting on the court.',
      }),
    );
    expect(asked.view.action.extensionRequest).toMatchObject({
      dueDate: '2026-05-29',
      reason: 'Waiting on the court.',
    });
    const notCoordinator = await approveExtension(deps, s.p.chair!, a.id, {
      version: String(asked.view.action.version),
      dueDate: '2026-05-29',
    });
    expect(!notCoordinator.ok && notCoordinator.error.code).toBe('NOT_PERMITTED');
    const approved = unwrap(
      await approveExtension(deps, s.p.coordinator!, a.id, {
        version: String(asked.view.action.version),
        dueDate: '2026-05-22',
      }),
    );
    expect(approved.view.action.dueDate).toBe('2026-05-22');
    expect(approved.view.action.extensionRequest).toBeUndefined();
    expect(approved.view.action.history.at(-1)).toMatchObject({
      event: 'extension_approved',
      by: { displayName: 'Casey Coordinator' },
      dueDate: { from: '2026-04-30', to: '2026-05-22' },
    });

    const again = unwrap(
      await requestExtension(deps, s.p.police2!, a.id, {
        version: String(approved.view.action.version),
        dueDate: '2026-06-30',
        reason: 'Court adjourned again.',
      }),
    );
    const noReason = await refuseExtension(deps, s.p.coordinator!, a.id, {
      version: String(again.view.action.version),
      reason: '',
    });
    expect(!noReason.ok && 'fieldErrors' in noReason.error && Object.keys(noReason.error.fieldErrors)).toEqual([
      'reason',
    ]);
    const refused = unwrap(
      await refuseExtension(deps, s.p.coordinator!, a.id, {
        version: String(again.view.action.version),
        reason: 'The panel needs it before the review.',
      }),
    );
    expect(refused.view.action).toMatchObject({ dueDate: '2026-05-22' });
    expect(refused.view.action.extensionRequest).toBeUndefined();
    expect(refused.view.action.history.at(-1)).toMatchObject({
      event: 'extension_refused',
      note: 'The panel needs it before the review.',
    });
  });

  it("opens the next meeting's previous-actions review with what owners reported", async () => {
    const meeting = unwrap(
      await scheduleMeeting(deps, s.p.coordinator!, s.caseRecord.ref, {
        kind: 'review',
        level: '2',
        time: '10:00',
        chair: person(2),
        agencies: FIVE_AGENCIES,
        date: '2026-03-20',
      }),
    );
    const started = unwrap(await startMeeting(deps, s.p.chair!, meeting.id));
    const reviews = started.meeting.run!.previousActions;
    expect(reviews.find((r) => r.actionId === housingAction.id)).toMatchObject({
      status: 'done',
      note: 'Tenancy signed and seen.',
      reviewedBy: { displayName: 'Lee Pretend' },
    });
    expect(reviews.find((r) => r.actionId === policeAction.id)).toMatchObject({ status: 'in_progress' });
  });

  it('audits one case.viewed per opening of the case view', async () => {
    const before = await s.store.repos.audit.listForEntity('case', s.caseRecord.id, { limit: 500 });
    unwrap(await viewCase(deps, s.p.housing!, s.caseRecord.ref));
    const after = await s.store.repos.audit.listForEntity('case', s.caseRecord.id, { limit: 500 });
    expect(after.length - before.length).toBe(1);
    expect(after.at(-1)).toMatchObject({ action: 'case.viewed', actorAadObjectId: person(6) });
  });

  describe('extension rules found in use (issue 15)', () => {
    const fresh = async (dueDate: string, extra: Partial<ActionRecord> = {}) =>
      s.store.repos.actions.create(
        aNewAction({
          areaId: s.caseRecord.areaId,
          caseId: s.caseRecord.id,
          meetingId: 'meeting-earlier',
          ownerAgencyId: 'police',
          ownerName: 'police',
          ownerAadObjectId: undefined,
          text: 'Visit the approved address.',
          dueDate,
          ...extra,
        }),
        { by: aRequestActor() },
      );
    const fieldErrorsOf = (r: Awaited<ReturnType<typeof approveExtension>>) =>
      !r.ok && 'fieldErrors' in r.error ? r.error.fieldErrors : undefined;

    beforeAll(() => s.store.clock.set('2026-12-10T10:00:00.000Z'));

    it('F1: refuses to decide an extension once the action is cancelled or done, and closing clears the request', async () => {
      const a = await fresh('2026-12-21');
      const asked = unwrap(
        await requestExtension(deps, s.p.police1!, a.id, {
          version: '0',
          dueDate: '2026-12-31',
          reason: 'Need more time.',
        }),
      );
      // Cancelled as a transfer-out does it: a plain status change through the store.
      const cancelled = unwrap(
        await s.store.repos.actions.update(
          a.id,
          asked.view.action.version,
          { status: 'cancelled' },
          { by: aRequestActor() },
          { event: 'changed', note: 'transferred' },
        ),
      );
      expect(cancelled.extensionRequest).toBeUndefined();
      const approve = await approveExtension(deps, s.p.coordinator!, a.id, {
        version: String(cancelled.version),
        dueDate: '2026-12-31',
      });
      expect(fieldErrorsOf(approve)).toEqual({
        form: 'This action is cancelled, so there is no extension to decide.',
      });

      // An action stored closed with a request still on it (written before closing cleared it).
      const legacy = await fresh('2026-12-21', {
        status: 'done',
        completedOn: '2026-12-09',
        extensionRequest: {
          dueDate: '2026-12-31',
          reason: 'Need more time.',
          requestedBy: { aadObjectId: person(4), displayName: 'Owner' },
          requestedAt: '2026-12-08T10:00:00.000Z',
          fromVersion: 0,
        },
      });
      const approveDone = await approveExtension(deps, s.p.coordinator!, legacy.id, {
        version: '0',
        dueDate: '2026-12-31',
      });
      expect(fieldErrorsOf(approveDone)).toEqual({
        form: 'This action is done, so there is no extension to decide.',
      });
      const refuseDone = await refuseExtension(deps, s.p.coordinator!, legacy.id, { version: '0', reason: 'No.' });
      expect(fieldErrorsOf(refuseDone)).toEqual({
        form: 'This action is done, so there is no extension to decide.',
      });
      expect(await current(legacy.id)).toMatchObject({ status: 'done', dueDate: '2026-12-21', version: 0 });
      expect(await current(a.id)).toMatchObject({ status: 'cancelled', dueDate: '2026-12-21' });
    });

    it('F2: a different request or approval from an older card is a stale card, not "already recorded"', async () => {
      const a = await fresh('2026-12-22');
      const first = { version: '0', dueDate: '2026-12-30', reason: 'Landlord away.' };
      const asked = unwrap(await requestExtension(deps, s.p.police1!, a.id, first));
      unwrap(
        await refuseExtension(deps, s.p.coordinator!, a.id, {
          version: String(asked.view.action.version),
          reason: 'No, do it now.',
        }),
      );
      // The exact same click again is still a repeat.
      const repeat = unwrap(await requestExtension(deps, s.p.police1!, a.id, first));
      expect(repeat.alreadyRecorded).toBe(true);
      const again = await requestExtension(deps, s.p.police1!, a.id, {
        version: '0',
        dueDate: '2027-01-08',
        reason: 'Court adjourned to January.',
      });
      expect(!again.ok && again.error.code).toBe('VERSION_CONFLICT');

      const b = await fresh('2026-12-22');
      const askedB = unwrap(
        await requestExtension(deps, s.p.police1!, b.id, { version: '0', dueDate: '2026-12-31', reason: 'Late.' }),
      );
      const at = String(askedB.view.action.version);
      unwrap(await approveExtension(deps, s.p.coordinator!, b.id, { version: at, dueDate: '2026-12-31' }));
      const sameApproval = unwrap(
        await approveExtension(deps, s.p.coordinator!, b.id, { version: at, dueDate: '2026-12-31' }),
      );
      expect(sameApproval.alreadyRecorded).toBe(true);
      const otherDate = await approveExtension(deps, s.p.coordinator!, b.id, { version: at, dueDate: '2027-01-02' });
      expect(!otherDate.ok && otherDate.error.code).toBe('VERSION_CONFLICT');
      expect((await current(b.id)).dueDate).toBe('2026-12-31');
    });

    it('F3: the new date must be after the current due date, for the approval as for the request', async () => {
      const a = await fresh('2026-12-23');
      const early = await requestExtension(deps, s.p.police1!, a.id, {
        version: '0',
        dueDate: '2026-12-23',
        reason: 'r',
      });
      expect(fieldErrorsOf(early)).toEqual({ dueDate: 'Choose a date after the current due date (23 Dec 2026).' });
      const asked = unwrap(
        await requestExtension(deps, s.p.police1!, a.id, { version: '0', dueDate: '2026-12-30', reason: 'More time.' }),
      );
      const v = String(asked.view.action.version);
      for (const dueDate of ['2026-12-11', '2026-12-23'])
        expect(fieldErrorsOf(await approveExtension(deps, s.p.coordinator!, a.id, { version: v, dueDate }))).toEqual({
          dueDate: 'Choose a date after the current due date (23 Dec 2026).',
        });
      expect(await current(a.id)).toMatchObject({ dueDate: '2026-12-23', version: asked.view.action.version });
    });

    it('F4: an extension is at most six months after the current due date', async () => {
      const a = await fresh('2026-12-23');
      const limit =
        'Choose a date no later than 23 Jun 2027 (six months after the current due date); a longer delay needs the meeting to agree the action again.';
      const far = await requestExtension(deps, s.p.police1!, a.id, {
        version: '0',
        dueDate: '9999-12-31',
        reason: 'r',
      });
      expect(fieldErrorsOf(far)).toEqual({ dueDate: limit });
      const edge = unwrap(
        await requestExtension(deps, s.p.police1!, a.id, { version: '0', dueDate: '2027-06-23', reason: 'Trial.' }),
      );
      const over = await approveExtension(deps, s.p.coordinator!, a.id, {
        version: String(edge.view.action.version),
        dueDate: '2027-06-24',
      });
      expect(fieldErrorsOf(over)).toEqual({ dueDate: limit });
    });
  });
});
