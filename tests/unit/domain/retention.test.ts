import { Action } from '../../../src/domain/action.schema';
import { Area } from '../../../src/domain/area.schema';
import { Meeting } from '../../../src/domain/meeting.schema';
import { Minutes } from '../../../src/domain/minutes.schema';
import { Notification } from '../../../src/domain/notification.schema';
import { Referral } from '../../../src/domain/referral.schema';
import { Subject } from '../../../src/domain/subject.schema';
import { Case } from '../../../src/domain/case.schema';
import {
  ERASED,
  eraseAction,
  eraseCaseContent,
  eraseMeeting,
  eraseMinutes,
  eraseNotification,
  eraseReferral,
  eraseSubject,
} from '../../../src/domain/erasure';
import { retentionReviewDue } from '../../../src/domain/retention';
import { aMeeting, aMinutes, anAction, aNotification, aSubject } from '../../fixtures/builders';
import { aCase, aLevelDecision, anArea, aReferral, COORDINATOR, PRACTITIONER } from '../../fixtures/domain-builders';

const exited = (exitDate?: string) =>
  aCase({ status: 'exited', exitReason: 'licence_or_order_ended', keyDates: exitDate ? { exitDate } : {} });

describe('retention policy of an area', () => {
  test('defaults to a review 120 months after exit, so areas stored before retention existed still parse', () => {
    const { retention: _dropped, ...stored } = anArea();
    expect(Area.parse(stored).retention).toEqual({ reviewAfterExitMonths: 120 });
  });

  test('refuses a nonsense period', () => {
    for (const months of [0, -1, 1.5, 1201]) {
      expect(Area.safeParse({ ...anArea(), retention: { reviewAfterExitMonths: months } }).success).toBe(false);
    }
  });
});

describe('retentionReviewDue', () => {
  const area = anArea();

  test.each([
    ['the day before the review date', 120, '2016-03-10', '2026-03-09', false, '2026-03-10'],
    ['on the review date', 120, '2016-03-10', '2026-03-10', true, '2026-03-10'],
    ['long after the review date', 120, '2016-03-10', '2030-01-01', true, '2026-03-10'],
    ['an exit on 29 February, reviewed on 28 February', 120, '2016-02-29', '2026-02-28', true, '2026-02-28'],
    ['an exit on 29 February, the day before its review', 120, '2016-02-29', '2026-02-27', false, '2026-02-28'],
    ['an exit on 31 May, six months on', 6, '2025-05-31', '2025-11-30', true, '2025-11-30'],
  ])('%s', (_label, months, exitDate, today, due, dueOn) => {
    expect(retentionReviewDue(exited(exitDate), { retention: { reviewAfterExitMonths: months } }, today)).toEqual({
      due,
      dueOn,
    });
  });

  test("uses the area's own period", () => {
    expect(
      retentionReviewDue(exited('2020-01-31'), { retention: { reviewAfterExitMonths: 73 } }, '2026-02-28'),
    ).toEqual({ due: true, dueOn: '2026-02-28' });
  });

  test('is never due for an open case, even with an exit date recorded', () => {
    for (const status of ['notified', 'referral_pending', 'managed_l1', 'managed_l2', 'managed_l3'] as const) {
      expect(retentionReviewDue(aCase({ status, keyDates: { exitDate: '2000-01-01' } }), area, '2026-01-01')).toEqual({
        due: false,
        dueOn: null,
      });
    }
  });

  test('has no date for an exited case whose exit date was never recorded', () => {
    expect(retentionReviewDue(exited(), area, '2099-01-01')).toEqual({ due: false, dueOn: null });
  });
});

describe('erasure of personal data, record by record', () => {
  // Values that must not survive: the subject's and staff names, identifiers and free text.
  const personal = [
    'Terry',
    'Imaginary',
    'TJ',
    '1990-04-01',
    '2001/0123456X',
    'X123456',
    'VIS-0001',
    'Nowhere Street',
    'Former partner',
    'Jo Madeup',
    PRACTITIONER.displayName,
    COORDINATOR.displayName,
    'Room 4',
    'Pat Pretend',
    'Confirm approved premises',
    'Initial Level 2 meeting',
  ];
  const expectNoPersonalData = (value: unknown) => {
    const json = JSON.stringify(value);
    for (const p of personal) expect(json).not.toContain(p);
  };

  test('a subject keeps only ids, area and status', () => {
    const s = eraseSubject(
      aSubject({
        gender: 'Male',
        ethnicity: 'White British',
        identifiers: { pnc: '2001/0123456X', visor: 'VIS-0001' },
      }),
    );
    expect(Subject.parse(s)).toEqual(s);
    expect(s).toEqual({
      id: 'subject-1',
      areaId: 'area-england-wales',
      name: { given: ERASED, family: ERASED },
      aliases: [],
      dateOfBirth: '1900-01-01',
      identifiers: {},
      status: 'custody',
      version: 0,
    });
  });

  test('a referral keeps category, level requested, status, decision outcome and dates', () => {
    const decided = aReferral({
      status: 'accepted',
      caseId: 'case-1',
      submittedAt: '2026-01-13T09:00:00Z',
      decision: {
        outcome: 'accepted',
        level: 2,
        rationale: 'Terry Imaginary needs Level 2.',
        decidedBy: COORDINATOR,
        decidedAt: '2026-01-20T09:00:00Z',
      },
    });
    const r = eraseReferral(decided);
    expectNoPersonalData(r);
    expect(r.sections).toEqual({ category: { category: 'cat2' }, reason: { levelRequested: 2 } });
    expect(r).toMatchObject({
      status: 'accepted',
      caseId: 'case-1',
      submittedAt: '2026-01-13T09:00:00Z',
      createdAt: decided.createdAt,
      decision: { outcome: 'accepted', level: 2, decidedAt: '2026-01-20T09:00:00Z', rationale: ERASED },
    });
    expect(r.decision?.decidedBy.aadObjectId).toBe(COORDINATOR.aadObjectId);
  });

  test('a notification, meeting, minutes and action lose names and free text but keep their shape', () => {
    const n = eraseNotification({
      ...aNotification({ notes: 'Terry Imaginary moves to Nowhere Street.' }),
      decision: { outcome: 'accepted', decidedBy: COORDINATOR, decidedAt: '2026-01-06T09:00:00Z', reason: 'TJ ok' },
    });
    expectNoPersonalData(n);
    expect(n).toMatchObject({ notes: ERASED, category: 'cat2', notifiedOn: '2026-01-05', status: 'received' });

    const m = eraseMeeting(aMeeting({ onlineMeetingUrl: 'https://teams.example/meet/1' }));
    expectNoPersonalData(m);
    expect(m.venue).toBeUndefined();
    expect(m.onlineMeetingUrl).toBeUndefined();
    expect(m.invitees).toEqual([{ agencyId: 'probation', aadObjectId: PRACTITIONER.aadObjectId }]);

    const full = aMinutes({
      subjectDetails: 'Terry Imaginary, aka TJ, DOB 1990-04-01.',
      attendance: [
        { agencyId: 'police', name: 'Pat Pretend', role: 'DS', status: 'substitute', substituteFor: 'Jo Madeup' },
      ],
      agencyUpdates: [
        { agencyId: 'probation', summary: 'TJ compliant.', childrenAndVulnerablePeople: 'Former partner' },
      ],
      riskAssessment: { roshSummary: 'High to Former partner', restrictedIntelligence: 'VIS-0001 note' },
      rmp: {
        supervision: 'Weekly at Nowhere Street',
        monitoring_control: '',
        interventions_treatment: '',
        victim_safety: 'Former partner alarm',
        contingency: '',
        licenceConditions: ['Not to contact Former partner'],
      },
      disclosureDecisions: [{ outcome: 'disclose', recipient: 'Former partner', rationale: 'TJ risk' }],
      agencyViews: [{ agencyId: 'police', level: 2, category: 'cat2', comment: 'TJ' }],
      decisions: [
        {
          topic: 'level',
          decision: 'Level 2 for Terry',
          rationale: 'TJ risk',
          dissent: [{ agencyId: 'police', view: 'TJ L3' }],
        },
      ],
      status: 'approved',
      approvedBy: COORDINATOR,
      approvedAt: '2026-02-11T10:00:00Z',
    });
    const mins = eraseMinutes(full);
    expectNoPersonalData(mins);
    expect(Minutes.parse(mins)).toEqual(mins);
    expect(mins.rmp).toMatchObject({ supervision: ERASED, monitoring_control: '', licenceConditions: [ERASED] });
    expect(mins.decisions[0]).toMatchObject({ topic: 'level', dissent: [{ agencyId: 'police', view: ERASED }] });
    expect(mins).toMatchObject({ status: 'approved', approvedAt: '2026-02-11T10:00:00Z' });

    const a = eraseAction(anAction({ statusNote: 'Terry moved', status: 'done', completedOn: '2026-02-18' }));
    expectNoPersonalData(a);
    expect(a).toMatchObject({
      text: ERASED,
      ownerName: ERASED,
      statusNote: ERASED,
      status: 'done',
      pillar: 'supervision',
    });
  });

  test('a case loses its lead officer and the reasoning of its decisions, not the decisions', () => {
    const c = aCase({
      status: 'exited',
      leadOfficer: { name: PRACTITIONER.displayName },
      history: [
        {
          ...aLevelDecision(2, { type: 'meeting', id: 'meeting-1' }),
          from: null,
          dissent: 'Police thought TJ needed Level 3',
        } as Case['history'][number],
      ],
    });
    const e = eraseCaseContent(c);
    expectNoPersonalData(e);
    expect(e.leadOfficer).toBeUndefined();
    expect(e.history[0]).toMatchObject({ kind: 'level', to: 2, rationale: ERASED, dissent: ERASED });
  });

  test('is idempotent once stored: erasing a parsed, erased record changes nothing', () => {
    const pairs: [(x: never) => unknown, { parse: (x: unknown) => unknown }, unknown][] = [
      [eraseSubject as never, Subject, aSubject({ gender: 'Male' })],
      [eraseReferral as never, Referral, aReferral({ caseId: 'case-1' })],
      [eraseReferral as never, Referral, aReferral({ sections: {} })],
      [eraseNotification as never, Notification, aNotification({ notes: 'x' })],
      [eraseMeeting as never, Meeting, aMeeting()],
      [eraseMinutes as never, Minutes, aMinutes()],
      [eraseAction as never, Action, anAction()],
      [eraseCaseContent as never, Case, aCase({ leadOfficer: { name: 'Sam' } })],
    ];
    for (const [erase, schema, record] of pairs) {
      const once = schema.parse(erase(record as never));
      expect(schema.parse(erase(once as never))).toEqual(once);
    }
  });
});
