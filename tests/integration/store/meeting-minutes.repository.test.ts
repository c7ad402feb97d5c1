import { unwrap } from '../../../src/lib/result';
import { aNewMeeting, aNewMinutes, aRequestActor, COORDINATOR } from '../../fixtures/builders';
import { openTestStore, type TestStore } from '../../support/store';

describe('MongoMeetingRepository and MongoMinutesRepository on the real server', () => {
  let store: TestStore;
  const by = aRequestActor();

  beforeAll(async () => {
    store = await openTestStore('meetings');
  });
  afterAll(() => store.close());

  it('round-trips a meeting and refuses a second meeting with the same case sequence', async () => {
    const m = unwrap(await store.repos.meetings.create(aNewMeeting({ caseId: 'case-seq' }), { by }));
    expect(unwrap(await store.repos.meetings.get(m.id))).toEqual(m);
    const [x, y] = await Promise.all([
      store.repos.meetings.create(aNewMeeting({ caseId: 'case-seq', sequence: 2, kind: 'review' }), { by }),
      store.repos.meetings.create(aNewMeeting({ caseId: 'case-seq', sequence: 2, kind: 'review' }), { by }),
    ]);
    expect([x!.ok, y!.ok].sort()).toEqual([false, true]);
    expect([x, y].find((r) => !r!.ok)).toMatchObject({
      ok: false,
      error: { code: 'VERSION_CONFLICT', meta: { reason: 'sequence_taken' } },
    });
    expect((await store.repos.meetings.listForCase('case-seq')).map((mt) => mt.sequence)).toEqual([1, 2]);
  });

  it('lists scheduled meetings in a window, soonest first, and updates under a version', async () => {
    const late = unwrap(
      await store.repos.meetings.create(
        aNewMeeting({ areaId: 'area-diary', caseId: 'case-d1', scheduledStart: '2026-05-02T10:00:00.000Z' }),
        { by },
      ),
    );
    const early = unwrap(
      await store.repos.meetings.create(
        aNewMeeting({ areaId: 'area-diary', caseId: 'case-d2', scheduledStart: '2026-05-01T13:30:00.000Z' }),
        { by },
      ),
    );
    const outside = unwrap(
      await store.repos.meetings.create(
        aNewMeeting({ areaId: 'area-diary', caseId: 'case-d3', scheduledStart: '2026-06-01T10:00:00.000Z' }),
        { by },
      ),
    );
    const cancelled = unwrap(
      await store.repos.meetings.update(outside.id, 0, { status: 'cancelled' }, { by, action: 'meeting.cancelled' }),
    );
    expect(cancelled).toMatchObject({ status: 'cancelled', version: 1 });
    const window = await store.repos.meetings.listScheduledBetween(
      'area-diary',
      new Date('2026-05-01T00:00:00Z'),
      new Date('2026-07-01T00:00:00Z'),
    );
    expect(window.map((mt) => mt.id)).toEqual([early.id, late.id]);
    expect(await store.repos.meetings.update(outside.id, 0, { venue: 'Online' }, { by })).toMatchObject({
      ok: false,
      error: { code: 'VERSION_CONFLICT' },
    });
    const trail = await store.repos.audit.listForEntity('meeting', outside.id);
    expect(trail.map((e) => [e.action, e.details.fields ?? null])).toEqual([
      ['meeting.scheduled', null],
      ['meeting.cancelled', 'status'],
    ]);
  });

  it('starts one set of minutes per meeting even when two people start at once', async () => {
    const input = aNewMinutes({ meetingId: 'meeting-once' });
    const [a, b] = await Promise.all([
      store.repos.minutes.startForMeeting(input, { by }),
      store.repos.minutes.startForMeeting(input, { by }),
    ]);
    expect(a!.minutes.id).toBe(b!.minutes.id);
    expect([a!.created, b!.created].sort()).toEqual([false, true]);
    expect(unwrap(await store.repos.minutes.getForMeeting('meeting-once'))).toEqual(a!.minutes);
    expect(a!.minutes).toMatchObject({
      status: 'draft',
      version: 0,
      protectiveMarking: 'OFFICIAL-SENSITIVE',
      riskAssessment: {},
      actionIds: [],
    });
  });

  it('saves drafts, approves once, and refuses edits after approval', async () => {
    const { minutes } = await store.repos.minutes.startForMeeting(aNewMinutes({ meetingId: 'meeting-approve' }), {
      by,
    });
    const v1 = unwrap(
      await store.repos.minutes.update(
        minutes.id,
        0,
        {
          riskAssessment: { roshSummary: 'High to known adult.', restrictedIntelligence: 'Police-only detail' },
          reviewDate: '2026-06-10',
        },
        { by },
      ),
    );
    expect(v1).toMatchObject({
      version: 1,
      reviewDate: '2026-06-10',
      riskAssessment: { restrictedIntelligence: 'Police-only detail' },
    });
    expect(await store.repos.minutes.approve(minutes.id, 0, COORDINATOR, { by })).toMatchObject({
      ok: false,
      error: { code: 'VERSION_CONFLICT' },
    });

    const results = await Promise.all([
      store.repos.minutes.approve(minutes.id, 1, COORDINATOR, { by }),
      store.repos.minutes.approve(minutes.id, 1, COORDINATOR, { by }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ ok: false, error: { code: 'ALREADY_DECIDED' } });
    const approved = unwrap(results.find((r) => r.ok)!);
    expect(approved).toMatchObject({
      status: 'approved',
      approvedBy: COORDINATOR,
      approvedAt: '2026-03-02T09:00:00.000Z',
      version: 2,
    });
    expect(await store.repos.minutes.update(minutes.id, 2, { purpose: 'Rewritten' }, { by })).toMatchObject({
      ok: false,
      error: { code: 'ALREADY_DECIDED' },
    });
    expect(unwrap(await store.repos.minutes.get(minutes.id))).toEqual(approved);
  });

  it('audits a reader opening the minutes', async () => {
    const { minutes } = await store.repos.minutes.startForMeeting(aNewMinutes({ meetingId: 'meeting-read' }), { by });
    const reader = aRequestActor({ aadObjectId: '00000000-0000-4000-8000-0000000000cc', displayName: 'Chris Reader' });
    expect(unwrap(await store.repos.minutes.getForReader(minutes.id, reader))).toEqual(minutes);
    const trail = await store.repos.audit.listForEntity('minutes', minutes.id);
    expect(trail.map((e) => [e.action, e.actorAadObjectId])).toEqual([
      ['minutes.created', by.aadObjectId],
      ['minutes.viewed', reader.aadObjectId],
    ]);
  });
});
