import { overdueReport, remindersReport, runReminderSweep, withDeadlineReminders } from '../../src/app/reminders';
import { deadlineEscalation, deadlineNotice } from '../../src/app/reminders';
import type { ReminderNotice } from '../../src/app/reminders';
import { Member } from '../../src/domain/member.schema';
import { MeetingRun } from '../../src/domain/meeting-run';
import type { Principal } from '../../src/domain/policy';
import { Reminder, ReminderKind, reminderMoment } from '../../src/domain/reminders';
import { areaCalendar } from '../../src/domain/area.schema';
import { ukDateOf } from '../../src/domain/dates';
import { unwrap } from '../../src/lib/result';
import {
  aNewMeeting,
  aNewMember,
  aNewMinutes,
  aNewNotification,
  aNewReferral,
  aRequestActor,
  aSubject,
  AREA_ID,
} from '../fixtures/builders';
import { anArea } from '../fixtures/domain-builders';
import { HOUSING_1, HOUSING_2, RecordingOutbox, reminderSetup, type ReminderSetup } from '../support/reminders';
import { openTestStore, type TestStore } from '../support/store';

const COORD = '00000000-0000-4000-8000-00000000c001';
const CHAIR = '00000000-0000-4000-8000-00000000c002';
const POLICE = '00000000-0000-4000-8000-00000000d001';
const by = aRequestActor();
const coordActor = { aadObjectId: COORD, displayName: 'Cora Ordinator' };
const rule = (amount: number) =>
  ({
    amount,
    unit: 'working_days',
    adjust: 'none',
    verified: true,
    provenance: 'area_practice',
    source: 'test',
  }) as const;

/** The subject's name and identifiers as the fixtures invent them: none may appear in any reminder. */
/** Marks the meeting held (started 09:00 Thu 4 June 2026) with a Level 2 decision and a review by Wed 10 June. */
async function holdMeeting(repos: Pick<TestStore['repos'], 'meetings'>, meetingId: string, at: Date): Promise<void> {
  const m = unwrap(await repos.meetings.get(meetingId));
  const now = at.toISOString();
  const run = MeetingRun.parse({
    startedAt: '2026-06-04T09:00:00.000Z',
    startedBy: coordActor,
    decision: {
      level: 2,
      category: 'cat2',
      rationale: 'Continue at Level 2.',
      nextReviewDate: '2026-06-10',
      computedReviewDate: null,
      reviewDateReason: 'Short review for the test.',
      by: coordActor,
      at: now,
    },
    endedAt: now,
    endedBy: coordActor,
  });
  unwrap(await repos.meetings.update(meetingId, m.version, { status: 'held', run }, { by, action: 'meeting.ended' }));
}

const SUBJECT_WORDS = /Terry|Imaginary|\bTJ\b|2001\/0123456X|X123456|1990-04-01/;

/**
 * Five weeks (Mon 11 May – Mon 15 Jun 2026, Mon 25 May the Spring bank holiday) of one case moving
 * through referral, decision, first meeting, prepared updates, minutes and review, swept every
 * hour on a fake clock against the real store, with the default policy (2 working days before, on
 * the day, every 2 working days overdue, the co-ordinator's channel after 3).
 */
describe('process deadline reminders on a fake clock', () => {
  let store: TestStore;
  let s: ReminderSetup;
  let outbox: RecordingOutbox;
  let repos: ReturnType<typeof withDeadlineReminders<TestStore['repos']>>;
  let coordinator: Principal;

  beforeAll(async () => {
    store = await openTestStore('remind_deadlines');
    store.clock.set('2026-05-08T12:00:00.000Z');
    // Short area timescales so every kind comes due, is chased and escalates within the five weeks.
    s = await reminderSetup(store, (a) => ({
      ...a,
      timescales: { ...a.timescales, coordinatorDecision: rule(3), firstLevel2Meeting: rule(5) },
      reminders: { ...a.reminders, minutesApprovalDays: 3 },
    }));
    const enrol = async (aadObjectId: string, agencyId: string, roles: Member['roles'], displayName: string) =>
      unwrap(await store.repos.members.enrol(aNewMember({ aadObjectId, agencyId, roles, displayName }), { by }));
    await enrol(COORD, 'probation', ['coordinator'], 'Cora Ordinator');
    await enrol(CHAIR, 'probation', ['chair'], 'Chas Chairperson');
    await enrol(POLICE, 'police', ['practitioner'], 'Pol Constable');
    coordinator = {
      tenantId: 'tenant-1',
      aadObjectId: COORD,
      member: Member.parse({ ...aNewMember({ aadObjectId: COORD, roles: ['coordinator'] }), version: 1 }),
    };
    outbox = new RecordingOutbox(() => store.clock.now());
    repos = withDeadlineReminders(store.repos, s.deps);
  });
  afterAll(() => store.close());

  const kindOf = (n: ReminderNotice) => n.facts.find((f) => f.title === 'Step')?.value ?? '?';

  it('creates each deadline from its record, sends on working days in hours, escalates when late and closes when done', async () => {
    const caseId = s.caseRecord.id;
    const ref = s.caseRecord.ref;
    const draft = await repos.referrals.create(aNewReferral({ areaId: AREA_ID, caseId }), { by });
    let meetingId = '';
    const checks: Record<string, () => Promise<void>> = {
      // Submitted: the co-ordinator's decision is due 3 working days later, Thu 14 May.
      '2026-05-11T10:00': async () => {
        unwrap(await repos.referrals.submit(draft.id, draft.version, store.clock.now().toISOString(), { by }));
        expect(await s.deps.reminders.get(`referral_decision:${draft.id}`)).toMatchObject({
          status: 'scheduled',
          due: '2026-05-14',
          caseRef: ref,
        });
      },
      // Late: `overdue` lists it under the co-ordinator.
      '2026-05-18T10:00': async () => {
        const report = unwrap(await overdueReport(s.deps, coordinator));
        expect(report.groups).toEqual([
          {
            agency: 'MAPPA co-ordinator',
            lines: [{ caseRef: ref, what: 'Referral decision', due: '2026-05-14', overdueDays: 2 }],
          },
        ]);
      },
      // Approved at Level 2: the decision's reminder closes, the first meeting's (5 working days: Wed 27 May) starts.
      '2026-05-19T10:00': async () => {
        unwrap(
          await repos.referrals.decide(
            draft.id,
            {
              outcome: 'accepted',
              level: 2,
              rationale: 'Needs multi-agency management.',
              decidedBy: coordActor,
              decidedAt: store.clock.now().toISOString(),
            },
            { by },
          ),
        );
        expect((await s.deps.reminders.get(`referral_decision:${draft.id}`))?.status).toBe('closed');
        expect(await s.deps.reminders.get(`first_meeting:${caseId}`)).toMatchObject({
          status: 'scheduled',
          due: '2026-05-27',
        });
      },
      // The first meeting is scheduled for Thu 4 June: that deadline is met, the prepared updates' (Wed 3 June) starts.
      '2026-06-01T10:00': async () => {
        const m = unwrap(
          await repos.meetings.create(
            aNewMeeting({
              areaId: AREA_ID,
              caseId,
              kind: 'initial',
              sequence: 1,
              scheduledStart: '2026-06-04T09:00:00.000Z',
              chair: { name: 'Chas Chairperson', aadObjectId: CHAIR },
              invitees: [{ agencyId: 'police' }, { agencyId: 'housing' }],
            }),
            { by },
          ),
        );
        meetingId = m.id;
        expect((await s.deps.reminders.get(`first_meeting:${caseId}`))?.status).toBe('closed');
        expect(await s.deps.reminders.get(`prepared_updates:${m.id}`)).toMatchObject({
          status: 'scheduled',
          due: '2026-06-03',
        });
      },
      '2026-06-02T12:00': async () => {
        unwrap(
          await repos.agencyUpdates.save(update(caseId, meetingId, 'police', POLICE, store.clock.now()), null, { by }),
        );
        expect((await s.deps.reminders.get(`prepared_updates:${meetingId}`))?.status).toBe('scheduled');
      },
      '2026-06-03T12:00': async () => {
        unwrap(
          await repos.agencyUpdates.save(update(caseId, meetingId, 'housing', HOUSING_1, store.clock.now()), null, {
            by,
          }),
        );
        expect((await s.deps.reminders.get(`prepared_updates:${meetingId}`))?.status).toBe('closed');
      },
      // Ended Thu 4 June: minutes due 3 working days later (Tue 9 June), the review by Wed 10 June.
      '2026-06-04T14:00': async () => {
        await holdMeeting(repos, meetingId, store.clock.now());
        expect(await s.deps.reminders.get(`minutes_approval:${meetingId}`)).toMatchObject({
          status: 'scheduled',
          due: '2026-06-09',
        });
        expect(await s.deps.reminders.get(`review_meeting:${caseId}`)).toMatchObject({
          status: 'scheduled',
          due: '2026-06-10',
        });
        await repos.minutes.startForMeeting(aNewMinutes({ areaId: AREA_ID, caseId, meetingId }), { by });
      },
      // `reminders` shows what went out; `overdue` both late deadlines.
      '2026-06-12T09:00': async () => {
        const report = unwrap(await remindersReport(s.deps, coordinator));
        // Sent in the last 7 days: the two still open (the earlier ones went out before that).
        expect(report.sent.map((r) => `${r.kind} ${r.caseRef}`).sort()).toEqual([
          `minutes_approval ${ref}`,
          `review_meeting ${ref}`,
        ]);
        expect(report.undelivered).toEqual([]);
        const late = unwrap(await overdueReport(s.deps, coordinator));
        expect(late.groups[0]?.lines.map((l) => `${l.what} ${l.overdueDays}`).sort()).toEqual([
          'Minutes approval 3',
          'Review meeting 2',
        ]);
      },
      '2026-06-12T10:00': async () => {
        const minutes = unwrap(await repos.minutes.getForMeeting(meetingId));
        unwrap(await repos.minutes.approve(minutes.id, minutes.version, coordActor, { by }));
        expect((await s.deps.reminders.get(`minutes_approval:${meetingId}`))?.status).toBe('closed');
      },
      '2026-06-15T10:00': async () => {
        unwrap(
          await repos.meetings.create(
            aNewMeeting({
              areaId: AREA_ID,
              caseId,
              kind: 'review',
              sequence: 2,
              scheduledStart: '2026-06-25T09:00:00.000Z',
              chair: { name: 'Chas Chairperson', aadObjectId: CHAIR },
              invitees: [{ agencyId: 'police' }],
            }),
            { by },
          ),
        );
        expect((await s.deps.reminders.get(`review_meeting:${caseId}`))?.status).toBe('closed');
      },
    };

    const sweep = () => runReminderSweep({ ...s.deps, outbox }, { claimer: 'only', leaseMs: 5 * 60_000 });
    store.clock.set('2026-05-11T00:00:00.000Z');
    while (store.clock.now() < new Date('2026-06-16T00:00:00.000Z')) {
      await checks[store.clock.now().toISOString().slice(0, 16)]?.();
      await sweep();
      // Hourly: a send outside working days and hours would be seen.
      store.clock.advance(60 * 60_000);
    }
    expect(Object.keys(checks).every((k) => k < '2026-06-16')).toBe(true);

    const who: Record<string, string> = {
      [COORD]: 'coord',
      [CHAIR]: 'chair',
      [POLICE]: 'police',
      [HOUSING_1]: 'housing1',
      [HOUSING_2]: 'housing2',
    };
    const got = outbox.personal.map((x) => `${x.at.slice(0, 16)} ${kindOf(x)} → ${who[x.to] ?? x.to}`).sort();
    expect(got).toEqual(
      [
        '2026-05-12T08:00 Referral decision → coord', // 2 working days before Thu 14 May
        '2026-05-14T08:00 Referral decision → coord', // due
        '2026-05-18T08:00 Referral decision → coord', // 2 overdue
        '2026-05-22T08:00 First meeting → coord', // 2 working days before Wed 27 (Mon 25 a holiday)
        '2026-05-27T08:00 First meeting → coord',
        '2026-05-29T08:00 First meeting → coord',
        '2026-06-01T10:00 Prepared updates for the meeting → police', // its first day had begun: sent at once
        '2026-06-01T10:00 Prepared updates for the meeting → housing1',
        '2026-06-01T10:00 Prepared updates for the meeting → housing2',
        '2026-06-03T08:00 Prepared updates for the meeting → housing1', // police has a draft now
        '2026-06-03T08:00 Prepared updates for the meeting → housing2',
        '2026-06-03T08:00 Prepared updates for the meeting → chair', // the day before: who has not prepared
        '2026-06-05T08:00 Minutes approval → chair',
        '2026-06-08T08:00 Review meeting → coord',
        '2026-06-08T08:00 Review meeting → chair',
        '2026-06-09T08:00 Minutes approval → chair',
        '2026-06-10T08:00 Review meeting → coord',
        '2026-06-10T08:00 Review meeting → chair',
        '2026-06-11T08:00 Minutes approval → chair', // overdue: the co-ordinator too
        '2026-06-11T08:00 Minutes approval → coord',
        '2026-06-12T08:00 Review meeting → coord',
        '2026-06-12T08:00 Review meeting → chair',
      ].sort(),
    );
    // Working days only (not the weekend, not the bank holiday), within 09:00–17:00 London.
    for (const x of outbox.personal) {
      const day = new Date(x.at).getUTCDay();
      expect(day === 0 || day === 6 || x.at.startsWith('2026-05-25')).toBe(false);
      expect(x.at.slice(11, 13) >= '08' && x.at.slice(11, 13) < '16').toBe(true);
    }
    // Each escalates once to the co-ordinator's channel, on its third overdue working day (and that day
    // to the channel only: whoever owns the step is chased every 2 working days, not then); prepared
    // updates on their due day (the working day before the meeting), as the meeting closes them.
    expect(outbox.channel.map((x) => `${x.at.slice(0, 16)} ${kindOf(x)}`).sort()).toEqual([
      '2026-05-19T08:00 Referral decision',
      '2026-06-01T08:00 First meeting',
      '2026-06-03T08:00 Prepared updates for the meeting',
      '2026-06-12T08:00 Minutes approval',
      '2026-06-15T08:00 Review meeting',
    ]);
    // The chair and the channel are told which agencies have not prepared (police had a draft), by agency only.
    const area = unwrap(await s.deps.members.getArea(AREA_ID));
    // The test area names no 'housing' agency: its id stands in for the name.
    const housing = area.agencies.find((a) => a.id === 'housing')?.name ?? 'housing';
    const missing = [
      outbox.channel.find((x) => kindOf(x) === 'Prepared updates for the meeting'),
      outbox.personal.find((x) => x.to === CHAIR && kindOf(x) === 'Prepared updates for the meeting'),
    ];
    for (const x of missing) expect(x?.facts).toContainEqual({ title: 'Not yet prepared', value: housing });
    // The card names the case reference and the step.
    expect(outbox.personal[0]).toMatchObject({ title: `Referral decision for ${ref}: due 14 May 2026` });
    expect(JSON.stringify([...outbox.personal, ...outbox.channel])).not.toMatch(SUBJECT_WORDS);
  });
});

describe('deadline reminder text', () => {
  it('names the case reference and the step, never the subject, for every kind and stage', () => {
    const area = anArea('england-wales', { id: AREA_ID });
    const subject = aSubject();
    expect(`${subject.name.given} ${subject.name.family}`).toMatch(SUBJECT_WORDS);
    for (const kind of ReminderKind.options.filter((k) => k !== 'action')) {
      const r = Reminder.parse({
        id: `${kind}:x`,
        areaId: AREA_ID,
        kind,
        subjectId: 'x',
        caseId: 'case-1',
        caseRef: 'MAPPA-2026-0042',
        agencyId: null,
        due: '2026-06-10',
        status: 'scheduled',
        nextAt: '2026-06-08T08:00:00.000Z',
        updatedAt: '2026-06-01T08:00:00.000Z',
      });
      for (const at of ['2026-06-08T08:00:00.000Z', '2026-06-10T08:00:00.000Z', '2026-06-16T08:00:00.000Z']) {
        const m = reminderMoment(r.due, new Date(at), false, area.reminders, areaCalendar(area));
        const text = JSON.stringify([deadlineNotice(r, m), deadlineEscalation(r, m)]);
        expect(text).toContain('MAPPA-2026-0042');
        expect(text).not.toMatch(SUBJECT_WORDS);
      }
    }
  });
});

function update(caseId: string, meetingId: string, agencyId: string, author: string, at: Date) {
  return {
    areaId: AREA_ID,
    caseId,
    meetingId,
    agencyId,
    author: { aadObjectId: author, displayName: 'Invented Author' },
    kind: 'update' as const,
    content: 'Prepared before the meeting.',
    status: 'draft' as const,
    submittedAt: at.toISOString(),
  };
}

/**
 * A notification that reaches the co-ordinator after the area's deadline from sentence: the lead
 * agency's notifier is chased from its arrival until the co-ordinator has decided it, and the
 * co-ordinator's channel told once it is 3 working days late. One made in time starts nothing.
 */
describe('notification late after sentence', () => {
  let store: TestStore;
  let s: ReminderSetup;
  let outbox: RecordingOutbox;
  let repos: ReturnType<typeof withDeadlineReminders<TestStore['repos']>>;

  beforeAll(async () => {
    store = await openTestStore('remind_notif_late');
    store.clock.set('2026-05-01T12:00:00.000Z');
    s = await reminderSetup(store, (a) => ({
      ...a,
      timescales: { ...a.timescales, notificationAfterSentence: rule(3) },
    }));
    unwrap(
      await store.repos.members.enrol(
        aNewMember({ aadObjectId: POLICE, agencyId: 'police', roles: ['practitioner'], displayName: 'Pol Constable' }),
        { by },
      ),
    );
    unwrap(
      await store.repos.members.enrol(
        aNewMember({
          aadObjectId: COORD,
          agencyId: 'probation',
          roles: ['coordinator'],
          displayName: 'Cora Ordinator',
        }),
        { by },
      ),
    );
    outbox = new RecordingOutbox(() => store.clock.now());
    repos = withDeadlineReminders(store.repos, s.deps);
  });
  afterAll(() => store.close());

  it('reminds the notifying agency from a late notification until it is decided, escalating when late', async () => {
    const notifier = { aadObjectId: POLICE, displayName: 'Pol Constable' };
    const notify = (draft: string, sentenceDate: string) =>
      repos.notifications.createIfAbsent(
        aNewNotification({
          areaId: AREA_ID,
          caseId: s.caseRecord.id,
          leadAgencyId: 'police',
          notifiedBy: notifier,
          sentenceDate,
          notifiedOn: ukDateOf(store.clock.now()),
        }),
        `teams:${draft}`,
        { by },
      );
    let lateId = '';
    const checks: Record<string, () => Promise<void>> = {
      // Sentenced Thu 7 May, notified Mon 11 May: within 3 working days, nothing to chase.
      '2026-05-11T09:00': async () => {
        const { notification } = await notify('on-time', '2026-05-07');
        expect(await s.deps.reminders.get(`notification_after_sentence:${notification.id}`)).toBeNull();
      },
      // Sentenced Mon 4 May: due Thu 7 May; notified Mon 11 May, 2 working days late.
      '2026-05-11T10:00': async () => {
        const { notification } = await notify('late', '2026-05-04');
        lateId = notification.id;
        expect(await s.deps.reminders.get(`notification_after_sentence:${lateId}`)).toMatchObject({
          status: 'scheduled',
          due: '2026-05-07',
          agencyId: 'police',
          caseRef: s.caseRecord.ref,
        });
      },
      '2026-05-13T10:00': async () => {
        unwrap(
          await repos.notifications.decide(
            lateId,
            { outcome: 'accepted', decidedBy: coordActor, decidedAt: store.clock.now().toISOString() },
            { by },
          ),
        );
        expect((await s.deps.reminders.get(`notification_after_sentence:${lateId}`))?.status).toBe('closed');
      },
    };
    const sweep = () => runReminderSweep({ ...s.deps, outbox }, { claimer: 'only', leaseMs: 5 * 60_000 });
    store.clock.set('2026-05-11T00:00:00.000Z');
    while (store.clock.now() < new Date('2026-05-20T00:00:00.000Z')) {
      await checks[store.clock.now().toISOString().slice(0, 16)]?.();
      await sweep();
      store.clock.advance(60 * 60_000);
    }
    const step = (n: ReminderNotice) => n.facts.find((f) => f.title === 'Step')?.value;
    expect(
      outbox.personal.map((x) => `${x.at.slice(0, 16)} ${step(x)} → ${x.to === POLICE ? 'notifier' : x.to}`),
    ).toEqual([
      '2026-05-11T10:00 Notification after sentence → notifier', // late on arrival: at once
      // Tue 12 May, 3 working days late: the co-ordinator's channel only.
      '2026-05-13T08:00 Notification after sentence → notifier', // 4 late; decided at 10:00: no more
    ]);
    expect(outbox.channel.map((x) => `${x.at.slice(0, 16)} ${step(x)}`)).toEqual([
      '2026-05-12T08:00 Notification after sentence',
    ]);
    expect(outbox.personal[0]?.title).toBe(
      `Notification after sentence for ${s.caseRecord.ref}: overdue by 2 working days (due 7 May 2026)`,
    );
    expect(JSON.stringify([...outbox.personal, ...outbox.channel])).not.toMatch(SUBJECT_WORDS);
  });

  it('counts a deadline send that has nobody to remind as not delivered, so `reminders` lists it', async () => {
    store.clock.set('2026-06-15T09:00:00.000Z');
    // The lead agency has no active member here, and the notifier is not one either.
    const { notification } = await repos.notifications.createIfAbsent(
      aNewNotification({
        areaId: AREA_ID,
        caseId: s.caseRecord.id,
        leadAgencyId: 'yot',
        notifiedBy: { aadObjectId: '00000000-0000-4000-8000-00000000dead', displayName: 'Nobody Enrolled' },
        sentenceDate: '2026-06-01',
        notifiedOn: '2026-06-15',
      }),
      'teams:nobody-to-remind',
      { by },
    );
    const sent = outbox.personal.length;
    await runReminderSweep({ ...s.deps, outbox }, { claimer: 'only', leaseMs: 5 * 60_000 });
    expect(outbox.personal.length).toBe(sent);
    const r = await s.deps.reminders.get(`notification_after_sentence:${notification.id}`);
    expect(r?.sends.at(-1)).toMatchObject({ delivered: 0 });
    expect(r?.undelivered).toBeGreaterThan(0);
  });
});

/**
 * A chair who is no longer an active member (removed by the co-ordinator) is never sent a personal
 * notice: not the prepared updates' warning, not the minutes to approve, not the review to arrange.
 * The co-ordinator hears instead, and the channel is told the chair could not be reached.
 */
describe('deadline reminders when the chair has left', () => {
  let store: TestStore;
  let s: ReminderSetup;
  let outbox: RecordingOutbox;
  let repos: ReturnType<typeof withDeadlineReminders<TestStore['repos']>>;

  beforeAll(async () => {
    store = await openTestStore('remind_chair_gone');
    store.clock.set('2026-06-01T09:00:00.000Z');
    s = await reminderSetup(store, (a) => ({ ...a, reminders: { ...a.reminders, minutesApprovalDays: 3 } }));
    const enrol = async (aadObjectId: string, roles: Member['roles'], active: boolean, displayName: string) =>
      unwrap(
        await store.repos.members.enrol(
          aNewMember({ aadObjectId, agencyId: 'probation', roles, active, displayName }),
          {
            by,
          },
        ),
      );
    await enrol(COORD, ['coordinator'], true, 'Cora Ordinator');
    await enrol(CHAIR, ['chair'], false, 'Chas Chairperson');
    outbox = new RecordingOutbox(() => store.clock.now());
    repos = withDeadlineReminders(store.repos, s.deps);
  });
  afterAll(() => store.close());

  it('sends the removed chair nothing and tells the co-ordinator instead', async () => {
    const caseId = s.caseRecord.id;
    const step = (n: ReminderNotice) => n.facts.find((f) => f.title === 'Step')?.value;
    const sweep = () => runReminderSweep({ ...s.deps, outbox }, { claimer: 'only', leaseMs: 5 * 60_000 });
    const m = unwrap(
      await repos.meetings.create(
        aNewMeeting({
          areaId: AREA_ID,
          caseId,
          kind: 'initial',
          sequence: 1,
          scheduledStart: '2026-06-04T09:00:00.000Z',
          chair: { name: 'Chas Chairperson', aadObjectId: CHAIR },
          invitees: [{ agencyId: 'housing' }],
        }),
        { by },
      ),
    );
    const walk = async (until: string) => {
      while (store.clock.now() < new Date(until)) {
        await sweep();
        store.clock.advance(60 * 60_000);
      }
    };
    await walk('2026-06-04T08:00:00.000Z');
    const warned = outbox.channel.find((x) => x.title.startsWith('Updates not yet prepared'));
    expect(warned?.message).toMatch(/the chair could not be reached/i);
    // Held Thu 4 June: minutes due Tue 9 June, the review by Wed 10 June.
    await holdMeeting(repos, m.id, store.clock.now());
    await walk('2026-06-12T00:00:00.000Z');
    expect(outbox.personal.filter((x) => x.to === CHAIR).map((x) => `${x.at.slice(0, 10)} ${x.title}`)).toEqual([]);
    // The co-ordinator is asked in the chair's place, from the first reminder of each.
    const toCoord = (kind: string) => outbox.personal.filter((x) => x.to === COORD && step(x) === kind);
    expect(toCoord('Minutes approval')[0]?.at.slice(0, 10)).toBe('2026-06-05');
    expect(toCoord('Review meeting').length).toBeGreaterThan(0);
  });
});

/**
 * Prepared updates are for a meeting: once its scheduled start has passed they are no longer
 * chased, whether or not anyone started the meeting in the bot, and neither `reminders` nor
 * `overdue` shows them after it.
 */
describe('prepared updates after the meeting time', () => {
  let store: TestStore;
  let s: ReminderSetup;
  let outbox: RecordingOutbox;
  let repos: ReturnType<typeof withDeadlineReminders<TestStore['repos']>>;
  let coordinator: Principal;

  beforeAll(async () => {
    store = await openTestStore('remind_prep_stale');
    store.clock.set('2026-06-01T09:00:00.000Z');
    s = await reminderSetup(store);
    unwrap(
      await store.repos.members.enrol(
        aNewMember({
          aadObjectId: COORD,
          agencyId: 'probation',
          roles: ['coordinator'],
          displayName: 'Cora Ordinator',
        }),
        { by },
      ),
    );
    coordinator = {
      tenantId: 'tenant-1',
      aadObjectId: COORD,
      member: Member.parse({ ...aNewMember({ aadObjectId: COORD, roles: ['coordinator'] }), version: 1 }),
    };
    outbox = new RecordingOutbox(() => store.clock.now());
    repos = withDeadlineReminders(store.repos, s.deps);
  });
  afterAll(() => store.close());

  it('stops at the meeting start even when the meeting is never started', async () => {
    const step = (n: ReminderNotice) => n.facts.find((f) => f.title === 'Step')?.value;
    const sweep = () => runReminderSweep({ ...s.deps, outbox }, { claimer: 'only', leaseMs: 5 * 60_000 });
    // Mon 8 June, 10:00 London: updates due Fri 5 June.
    const m = unwrap(
      await repos.meetings.create(
        aNewMeeting({
          areaId: AREA_ID,
          caseId: s.caseRecord.id,
          kind: 'initial',
          sequence: 1,
          scheduledStart: '2026-06-08T09:00:00.000Z',
          chair: { name: 'Chas Chairperson', aadObjectId: CHAIR },
          invitees: [{ agencyId: 'housing' }, { agencyId: 'police' }],
        }),
        { by },
      ),
    );
    const id = `prepared_updates:${m.id}`;
    expect(await s.deps.reminders.get(id)).toMatchObject({ status: 'scheduled', due: '2026-06-05' });
    while (store.clock.now() < new Date('2026-06-08T08:00:00.000Z')) {
      await sweep();
      store.clock.advance(60 * 60_000);
    }
    // Late before the meeting: filed under each invited agency that has no update, not the co-ordinator.
    const area = unwrap(await s.deps.members.getArea(AREA_ID));
    const nameOf = (agencyId: string) => area.agencies.find((a) => a.id === agencyId)?.name ?? agencyId;
    const before = unwrap(await overdueReport(s.deps, coordinator));
    const line = {
      caseRef: s.caseRecord.ref,
      what: 'Prepared updates for the meeting',
      due: '2026-06-05',
      overdueDays: 1,
    };
    expect(before.groups.sort((x, y) => x.agency.localeCompare(y.agency))).toEqual(
      [
        { agency: nameOf('housing'), lines: [line] },
        { agency: nameOf('police'), lines: [line] },
      ].sort((x, y) => x.agency.localeCompare(y.agency)),
    );
    expect(before.total).toBe(2);
    while (store.clock.now() < new Date('2026-06-08T11:00:00.000Z')) {
      await sweep();
      store.clock.advance(60 * 60_000);
    }
    // After the start: nothing upcoming, nothing overdue, the reminder closed.
    const report = unwrap(await remindersReport(s.deps, coordinator));
    expect(report.upcoming.filter((r) => r.kind === 'prepared_updates')).toEqual([]);
    const late = unwrap(await overdueReport(s.deps, coordinator));
    expect(late.groups.flatMap((g) => g.lines).filter((l) => l.what.startsWith('Prepared'))).toEqual([]);
    expect((await s.deps.reminders.get(id))?.status).toBe('closed');
    while (store.clock.now() < new Date('2026-06-16T00:00:00.000Z')) {
      await sweep();
      store.clock.advance(60 * 60_000);
    }
    const prepared = outbox.personal.filter((x) => step(x) === 'Prepared updates for the meeting');
    expect(prepared.length).toBeGreaterThan(0);
    expect(prepared.filter((x) => x.at >= '2026-06-08T09:00').map((x) => x.at)).toEqual([]);
  });
});
