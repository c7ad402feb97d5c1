import { defaultAgencies } from '../../../src/domain/agency-catalogue';
import { Action } from '../../../src/domain/action.schema';
import { Area, newArea } from '../../../src/domain/area.schema';
import { AuditEvent } from '../../../src/domain/audit.schema';
import { Member } from '../../../src/domain/member.schema';
import { Meeting } from '../../../src/domain/meeting.schema';
import { Minutes, minutesGaps, MINUTES_ORDER_OF_BUSINESS } from '../../../src/domain/minutes.schema';
import { Notification } from '../../../src/domain/notification.schema';
import { Subject } from '../../../src/domain/subject.schema';
import { IsoDate } from '../../../src/domain/dates';
import { anArea } from '../../fixtures/domain-builders';

describe('default agency catalogues', () => {
  test.each([
    ['england-wales', ['police', 'probation', 'prisons']],
    ['scotland', ['police-scotland', 'local-authority', 'health-board', 'sps']],
  ] as const)('%s Responsible Authorities', (j, ids) => {
    expect(
      defaultAgencies(j)
        .filter((a) => a.role === 'responsible_authority')
        .map((a) => a.id),
    ).toEqual(ids);
  });

  test('in England and Wales only police, probation and prisons have ViSOR access; no DTC has it anywhere', () => {
    expect(
      defaultAgencies('england-wales')
        .filter((a) => a.visorAccess)
        .map((a) => a.id),
    ).toEqual(['police', 'probation', 'prisons']);
    for (const j of ['england-wales', 'scotland'] as const)
      expect(defaultAgencies(j).filter((a) => a.role === 'duty_to_cooperate' && a.visorAccess)).toEqual([]);
  });

  test.each([
    [
      'england-wales',
      ['yot', 'dwp', 'housing-authority', 'registered-provider', 'em-provider', 'home-office-immigration', 'icb'],
    ],
    ['scotland', ['rsl', 'principal-reporter', 'em-provider', 'social-security-scotland', 'dwp']],
  ] as const)('%s includes the statutory duty-to-co-operate bodies', (j, ids) => {
    const dtc = defaultAgencies(j)
      .filter((a) => a.role === 'duty_to_cooperate')
      .map((a) => a.id);
    expect(dtc).toEqual(expect.arrayContaining([...ids]));
  });

  test('returns an editable copy each time', () => {
    const a = defaultAgencies('england-wales');
    a[0]!.name = 'Renamed';
    expect(defaultAgencies('england-wales')[0]!.name).toBe('Police');
  });
});

describe('Area', () => {
  test.each([
    ['england-wales', 'GB-ENG', 'MAPPA A'],
    ['scotland', 'GB-SCT', 'MAPPA A'],
  ] as const)('newArea(%s) seeds agencies, timescales and region %s', (j, region, label) => {
    const area = newArea({ id: 'a', name: 'Test', jurisdiction: j, tenantId: 't' });
    expect(area.calendar.region).toBe(region);
    expect(area.agencies).toEqual(defaultAgencies(j));
    expect(area.labels.referralForm).toBe(label);
    expect(area.labels.minutesForm).toBe('MAPPA B');
  });

  test('a Welsh area may use the Welsh calendar', () => {
    expect(
      newArea({ id: 'w', name: 'Wales', jurisdiction: 'england-wales', tenantId: 't', region: 'GB-WLS' }).calendar
        .region,
    ).toBe('GB-WLS');
  });

  test.each([
    ['Scottish calendar in an E&W area', { calendar: { region: 'GB-SCT', extraClosures: [] } }],
    ['duplicate agency ids', { agencies: [...defaultAgencies('england-wales'), defaultAgencies('england-wales')[0]] }],
    ['no agencies', { agencies: [] }],
  ])('rejects %s', (_label, patch) => {
    expect(Area.safeParse({ ...anArea('england-wales'), ...patch }).success).toBe(false);
  });

  test('labels are configurable (2022 guidance calls the minutes MAPPA C)', () => {
    expect(
      Area.parse({ ...anArea(), labels: { referralForm: 'MAPPA A', minutesForm: 'MAPPA C' } }).labels.minutesForm,
    ).toBe('MAPPA C');
  });
});

describe('entity schemas', () => {
  const at = '2026-03-01T10:00:00Z';

  test.each([
    ['2026-02-29', false],
    ['2026-02-28', true],
    ['28/02/2026', false],
  ])('IsoDate %s valid: %s', (d, ok) => expect(IsoDate.safeParse(d).success).toBe(ok));

  test('Member needs at least one role from the fixed set', () => {
    const base = {
      aadObjectId: 'o1',
      tenantId: 't',
      areaId: 'a',
      displayName: 'Robin Pretend',
      agencyId: 'police',
      version: 0,
    };
    expect(Member.safeParse({ ...base, roles: ['chair', 'practitioner'] }).success).toBe(true);
    expect(Member.safeParse({ ...base, roles: [] }).success).toBe(false);
    expect(Member.safeParse({ ...base, roles: ['superuser'] }).success).toBe(false);
  });

  test.each([
    [{ pnc: '2001/0123456X', crn: 'X123456', prisonNumber: 'A1234BC' }, true],
    [{ pnc: 'not-a-pnc' }, false],
    [{ crn: '123456' }, false],
  ])('Subject identifiers %j valid: %s', (identifiers, ok) => {
    const s = {
      id: 's',
      areaId: 'a',
      name: { given: 'Jamie', family: 'Nobody' },
      dateOfBirth: '1980-01-01',
      identifiers,
      status: 'hospital',
      version: 0,
    };
    expect(Subject.safeParse(s).success).toBe(ok);
  });

  test.each(['supervision', 'monitoring_control', 'interventions_treatment', 'victim_safety', 'contingency'])(
    'Action accepts pillar %s and defaults to open',
    (pillar) => {
      const a = Action.parse({
        id: 'x',
        caseId: 'c',
        meetingId: 'm',
        text: 'Home visit',
        ownerName: 'Chris Unreal',
        ownerAgencyId: 'police',
        dueDate: '2026-03-31',
        pillar,
        createdAt: at,
        version: 0,
      });
      expect(a).toMatchObject({ status: 'open', updateAtNextMeeting: true });
    },
  );

  test('documents default to OFFICIAL-SENSITIVE', () => {
    const n = Notification.parse({
      id: 'n',
      areaId: 'a',
      subjectId: 's',
      leadAgencyId: 'probation',
      notifiedBy: { aadObjectId: 'o', displayName: 'Dee Fake' },
      category: 'cat1',
      notifiedOn: '2026-03-02',
      status: 'received',
      createdAt: at,
      version: 0,
    });
    expect(n.protectiveMarking).toBe('OFFICIAL-SENSITIVE');
  });

  test('Meetings are Level 2 or 3 only', () => {
    const m = {
      id: 'm',
      areaId: 'a',
      caseId: 'c',
      kind: 'initial',
      sequence: 1,
      scheduledStart: at,
      chair: { name: 'Pat Invented' },
      status: 'scheduled',
      version: 0,
    };
    expect(Meeting.safeParse({ ...m, level: 2 }).success).toBe(true);
    expect(Meeting.safeParse({ ...m, level: 1 }).success).toBe(false);
  });

  test('AuditEvent details hold only scalars', () => {
    const e = {
      id: 'e',
      at,
      tenantId: 't',
      areaId: 'a',
      actorAadObjectId: 'o',
      action: 'minutes.viewed',
      entity: { type: 'minutes', id: 'n' },
    };
    expect(AuditEvent.parse(e).outcome).toBe('success');
    expect(AuditEvent.safeParse({ ...e, details: { nested: { a: 1 } } }).success).toBe(false);
  });
});

describe('Minutes (MAPPA B)', () => {
  const draft = Minutes.parse({
    id: 'n',
    areaId: 'a',
    caseId: 'c',
    meetingId: 'm',
    status: 'draft',
    meetingDetails: { kind: 'review', sequence: 2, date: '2026-03-03', category: 'cat2', level: 2 },
    createdAt: '2026-03-03T10:00:00Z',
    version: 0,
  });

  test('follows the 13-item order of business', () => {
    expect(MINUTES_ORDER_OF_BUSINESS.map((i) => i.id)).toEqual([
      'meeting_details',
      'introductions',
      'confidentiality',
      'purpose',
      'subject_details',
      'previous_actions',
      'agency_updates',
      'risk_assessment',
      'rmp',
      'disclosure',
      'agency_views',
      'decisions',
      'review_date',
    ]);
  });

  test('an empty draft reports every gap; a complete one reports none', () => {
    expect(minutesGaps(draft)).toHaveLength(MINUTES_ORDER_OF_BUSINESS.length - 1 + 2);
    const full = Minutes.parse({
      ...draft,
      attendance: [
        { agencyId: 'police', status: 'present' },
        { agencyId: 'housing-authority', status: 'report_sent' },
        { agencyId: 'yot', status: 'substitute', substituteFor: 'Usual officer' },
      ],
      introductionsDone: true,
      confidentialityStatementAgreed: true,
      purpose: 'Review',
      subjectDetails: 'As per MAPPA A',
      previousActionsReview: [{ actionId: 'a1', status: 'done' }],
      agencyUpdates: [{ agencyId: 'police', summary: 'Compliant' }],
      riskAssessment: { roshSummary: 'High to known adult' },
      rmp: {
        supervision: 's',
        monitoring_control: 'm',
        interventions_treatment: 'i',
        victim_safety: 'v',
        contingency: 'c',
        licenceConditions: ['Reside at approved premises'],
      },
      disclosureDecisions: [{ outcome: 'do_not_disclose', rationale: 'Not necessary at present' }],
      agencyViews: [{ agencyId: 'police', level: 2, category: 'cat2' }],
      decisions: [
        {
          topic: 'level',
          decision: 'Remain at Level 2',
          rationale: 'Risk unchanged',
          dissent: [{ agencyId: 'yot', view: 'Could step down' }],
        },
        { topic: 'category', decision: 'Remain Category 2', rationale: 'Still on licence' },
      ],
      reviewDate: '2026-05-26',
    });
    expect(minutesGaps(full)).toEqual([]);
    expect(
      minutesGaps({ ...full, attendance: [...full.attendance, { agencyId: 'dwp', status: 'apologies' }] }),
    ).toEqual(['No substitute or report from dwp']);
  });

  test('a decision without rationale is rejected', () => {
    expect(
      Minutes.safeParse({ ...draft, decisions: [{ topic: 'level', decision: 'Level 1', rationale: ' ' }] }).success,
    ).toBe(false);
  });
});
