import { AgencyUpdate, compileMinutesDraft, Minutes, type Meeting } from '../../../src/domain';
import { aMeeting } from '../../fixtures/builders';
import { COORDINATOR } from '../../fixtures/domain-builders';

const by = { aadObjectId: COORDINATOR.aadObjectId, displayName: COORDINATOR.displayName };
const at = '2026-02-10T10:00:00.000Z';

const held = (run: Partial<NonNullable<Meeting['run']>> = {}): Meeting =>
  aMeeting({
    status: 'held',
    invitees: [
      { agencyId: 'police', name: 'PC Invented' },
      { agencyId: 'probation', name: 'Officer Madeup' },
      { agencyId: 'nhs-trust' },
    ],
    run: {
      startedAt: at,
      startedBy: by,
      attendance: [
        { agencyId: 'police', status: 'present', recordedBy: by },
        { agencyId: 'probation', status: 'substitute', substituteName: 'Deputy Notreal', recordedBy: by },
      ],
      previousActions: [],
      plan: [],
      views: [],
      endedAt: at,
      endedBy: by,
      ...run,
    },
  });

const update = (o: Partial<AgencyUpdate>): AgencyUpdate =>
  AgencyUpdate.parse({
    id: `m:${o.agencyId}`,
    areaId: 'a',
    caseId: 'case-1',
    meetingId: 'meeting-1',
    agencyId: 'police',
    author: by,
    kind: 'update',
    content: 'Update.',
    submittedAt: at,
    version: 0,
    ...o,
  });

const compile = (meeting: Meeting, updates: AgencyUpdate[] = []) =>
  compileMinutesDraft({
    meeting,
    caseRef: 'MAPPA-2026-0009',
    caseCategory: 'cat1',
    updates,
    actions: [],
    agencyNames: {},
  });

describe('compileMinutesDraft (pure)', () => {
  it('lists every invited agency: a substitute by name for whom, an unrecorded one as absent', () => {
    const draft = compile(held());
    expect(draft.attendance).toEqual([
      { agencyId: 'police', status: 'present', name: 'PC Invented' },
      { agencyId: 'probation', status: 'substitute', name: 'Deputy Notreal', substituteFor: 'Officer Madeup' },
      { agencyId: 'nhs-trust', status: 'absent' },
    ]);
    // A compiled draft is valid minutes once the store adds its bookkeeping.
    expect(() => Minutes.parse({ ...draft, id: 'x', status: 'draft', createdAt: at, version: 0 })).not.toThrow();
  });

  it('minutes only updates given at the meeting, and gathers police-only text into the one police-only field', () => {
    const draft = compile(held(), [
      update({ agencyId: 'police', restrictedIntelligence: 'Graded intelligence.' }),
      update({ agencyId: 'probation', status: 'draft', content: 'Never confirmed.' }),
    ]);
    expect(draft.agencyUpdates!.map((u) => u.agencyId)).toEqual(['police']);
    expect(JSON.stringify(draft.agencyUpdates)).not.toContain('Graded');
    expect(draft.riskAssessment).toMatchObject({ restrictedIntelligence: 'police: Graded intelligence.' });
  });

  it('keeps the case category when no decision was recorded, and refuses a meeting that has not been held', () => {
    expect(compile(held()).meetingDetails.category).toBe('cat1');
    expect(() => compile({ ...held(), status: 'in_progress' })).toThrow('not been held');
  });
});
