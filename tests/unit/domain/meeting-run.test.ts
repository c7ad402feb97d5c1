import { endGaps, openRound, type MeetingRun } from '../../../src/domain/meeting-run';

const chair = { aadObjectId: 'b0000000-0000-4000-8000-000000000002', displayName: 'Inspector Robin Madeup' };
const run = (over: Partial<MeetingRun> = {}): MeetingRun => ({
  startedAt: '2026-03-01T10:00:00.000Z',
  startedBy: chair,
  attendance: [],
  previousActions: [],
  plan: [],
  views: [],
  ...over,
});

describe('the round of agency updates', () => {
  it('does not open with nobody attending, which would close the round at once', () => {
    expect(openRound(run(), ['police', 'probation'])).toMatchObject({
      ok: false,
      error: { code: 'ILLEGAL_STEP', message: expect.stringContaining('Record attendance first') },
    });
    const sentApologies = run({ attendance: [{ agencyId: 'police', status: 'apologies', recordedBy: chair }] });
    expect(openRound(sentApologies, ['police']).ok).toBe(false);
  });

  it('opens once one agency is present, the present one first', () => {
    const res = openRound(run({ attendance: [{ agencyId: 'probation', status: 'present', recordedBy: chair }] }), [
      'police',
      'probation',
    ]);
    expect(res.ok && res.run.round?.order).toEqual([
      { agencyId: 'probation', state: 'current' },
      { agencyId: 'police', state: 'absent' },
    ]);
  });

  it('never leaves a meeting unable to end: a round opened before attendance was required asks for no attendance', () => {
    const legacy = run({ round: { turn: 0, order: [{ agencyId: 'police', state: 'absent' }] } });
    expect(endGaps(legacy)).not.toContain('Record attendance.');
  });
});
