import { LEVEL_MOVES, recordDecision, transition } from '../../../src/domain/case-lifecycle';
import { Case, type CaseEvent, type CaseStatus, type DecisionInput } from '../../../src/domain/case.schema';
import type { Level } from '../../../src/domain/common.schema';
import { unwrap } from '../../../src/lib/result';
import { aCase, aLevelDecision, COORDINATOR } from '../../fixtures/domain-builders';

const LEVEL_FOR: Record<CaseStatus, Level | null> = {
  notified: null,
  referral_pending: null,
  managed_l1: 1,
  managed_l2: 2,
  managed_l3: 3,
  exited: 1,
};
const inStatus = (status: CaseStatus): Case =>
  aCase({ status, level: LEVEL_FOR[status], ...(status === 'referral_pending' ? { pendingReferralId: 'ref-1' } : {}) });

const submit: CaseEvent = { type: 'REFERRAL_SUBMITTED', referralId: 'ref-2', on: '2026-02-02' };
const decide = (
  to: Level,
  type: 'meeting' | 'referral' | 'notification',
  id = type === 'referral' ? 'ref-1' : `${type}-1`,
): CaseEvent => ({
  type: 'LEVEL_DECIDED',
  decision: aLevelDecision(to, { type, id }) as Extract<DecisionInput, { kind: 'level' }>,
});
const exit: CaseEvent = { type: 'EXITED', reason: 'licence_or_order_ended', on: '2026-06-30' };

describe('case state machine', () => {
  // [from, event, expected status or error code]
  test.each<[CaseStatus, string, CaseEvent, CaseStatus | 'ILLEGAL_TRANSITION']>([
    ['notified', 'accept notification at Level 1', decide(1, 'notification'), 'managed_l1'],
    ['notified', 'a notification cannot place a case at Level 2', decide(2, 'notification'), 'ILLEGAL_TRANSITION'],
    ['notified', 'submit referral', submit, 'referral_pending'],
    ['notified', 'exit (not eligible)', exit, 'exited'],
    ['referral_pending', 'accept at Level 2', decide(2, 'referral'), 'managed_l2'],
    ['referral_pending', 'accept at Level 3', decide(3, 'referral'), 'managed_l3'],
    ['referral_pending', 'decline (Level 1)', decide(1, 'referral'), 'managed_l1'],
    ['referral_pending', 'decision on another referral', decide(2, 'referral', 'ref-other'), 'ILLEGAL_TRANSITION'],
    ['referral_pending', 'a meeting cannot decide a pending referral', decide(2, 'meeting'), 'ILLEGAL_TRANSITION'],
    ['referral_pending', 'second referral while one is pending', submit, 'ILLEGAL_TRANSITION'],
    [
      'referral_pending',
      'withdraw the pending referral',
      { type: 'REFERRAL_WITHDRAWN', referralId: 'ref-1' },
      'notified',
    ],
    [
      'referral_pending',
      'withdraw another referral',
      { type: 'REFERRAL_WITHDRAWN', referralId: 'ref-9' },
      'ILLEGAL_TRANSITION',
    ],
    ['managed_l1', 'escalate by referral', submit, 'referral_pending'],
    ['managed_l1', 'no direct jump to Level 2 without a referral', decide(2, 'meeting'), 'ILLEGAL_TRANSITION'],
    ['managed_l2', 'meeting steps down to Level 1', decide(1, 'meeting'), 'managed_l1'],
    ['managed_l2', 'meeting escalates to Level 3', decide(3, 'meeting'), 'managed_l3'],
    ['managed_l2', 'review keeps Level 2 (recorded)', decide(2, 'meeting'), 'managed_l2'],
    ['managed_l2', 'referral to Level 3', submit, 'referral_pending'],
    ['managed_l3', 'meeting steps down to Level 2', decide(2, 'meeting'), 'managed_l2'],
    ['managed_l3', 'meeting steps down to Level 1', decide(1, 'meeting'), 'managed_l1'],
    ['managed_l3', 'no referral from Level 3', submit, 'ILLEGAL_TRANSITION'],
    ['managed_l3', 'exit', exit, 'exited'],
    ['exited', 'no decisions after exit', decide(1, 'meeting'), 'ILLEGAL_TRANSITION'],
    ['exited', 'no referral after exit', submit, 'ILLEGAL_TRANSITION'],
    ['exited', 'cannot exit twice', exit, 'ILLEGAL_TRANSITION'],
  ])('%s: %s', (from, _label, event, expected) => {
    const r = transition(inStatus(from), event);
    if (expected === 'ILLEGAL_TRANSITION')
      expect(r).toMatchObject({ ok: false, error: { code: 'ILLEGAL_TRANSITION' } });
    else expect(r).toMatchObject({ ok: true, value: { status: expected } });
  });

  test('every successful result still parses as a Case', () => {
    const c = unwrap(transition(inStatus('notified'), submit));
    expect(Case.parse(c)).toEqual(c);
    expect(c.pendingReferralId).toBe('ref-2');
    expect(c.keyDates.referralDate).toBe('2026-02-02');
  });

  test('a declined referral returns a managed case to its own level', () => {
    const pending = unwrap(transition(inStatus('managed_l2'), submit));
    expect(pending.level).toBe(2);
    const declined = unwrap(transition(pending, decide(2, 'referral', 'ref-2')));
    expect(declined).toMatchObject({ status: 'managed_l2', level: 2 });
    expect(declined.pendingReferralId).toBeUndefined();
    expect(
      unwrap(
        transition(unwrap(transition(inStatus('managed_l1'), submit)), {
          type: 'REFERRAL_WITHDRAWN',
          referralId: 'ref-2',
        }),
      ).status,
    ).toBe('managed_l1');
  });

  test('Category 3 can never be placed at Level 1', () => {
    const cat3 = aCase({ status: 'managed_l2', level: 2, category: 'cat3' });
    expect(transition(cat3, decide(1, 'meeting'))).toMatchObject({ ok: false, error: { code: 'CATEGORY_3_LEVEL_1' } });
  });

  test('exit records reason and date', () => {
    expect(unwrap(transition(inStatus('managed_l1'), exit))).toMatchObject({
      exitReason: 'licence_or_order_ended',
      keyDates: { exitDate: '2026-06-30' },
    });
  });

  test('the move table allows no level decision at Level 1 or after exit', () => {
    expect(LEVEL_MOVES.managed_l1).toBeNull();
    expect(LEVEL_MOVES.exited).toBeNull();
  });
});

describe('decision history', () => {
  const l2 = aCase({ status: 'managed_l2', level: 2, category: 'cat2' });

  test('recordDecision appends, fills "from" and applies the change without touching the input', () => {
    const before = structuredClone(l2);
    const after = unwrap(recordDecision(l2, aLevelDecision(3, { type: 'meeting', id: 'meeting-7' })));
    expect(l2).toEqual(before);
    expect(after).toMatchObject({ level: 3, status: 'managed_l3' });
    expect(after.history).toHaveLength(1);
    expect(after.history[0]).toMatchObject({
      kind: 'level',
      from: 2,
      to: 3,
      actor: COORDINATOR,
      source: { type: 'meeting', id: 'meeting-7' },
    });
  });

  test('history is append-only across a sequence of decisions', () => {
    const steps: DecisionInput[] = [
      aLevelDecision(3, { type: 'meeting', id: 'm1' }, { id: 'd1' }),
      { ...aLevelDecision(3, { type: 'meeting', id: 'm2' }), id: 'd2', kind: 'category', to: 'cat4' } as DecisionInput,
      aLevelDecision(2, { type: 'meeting', id: 'm3' }, { id: 'd3' }),
      aLevelDecision(1, { type: 'meeting', id: 'm4' }, { id: 'd4' }),
    ];
    let c = l2;
    const seen: Case['history'][] = [];
    for (const d of steps) {
      const next = unwrap(recordDecision(c, d));
      expect(next.history.slice(0, c.history.length)).toEqual(c.history); // earlier entries unchanged
      expect(next.history).toHaveLength(c.history.length + 1);
      seen.push(c.history);
      c = next;
    }
    expect(c.history.map((h) => [h.id, h.kind, h.from, h.to])).toEqual([
      ['d1', 'level', 2, 3],
      ['d2', 'category', 'cat2', 'cat4'],
      ['d3', 'level', 3, 2],
      ['d4', 'level', 2, 1],
    ]);
    expect(seen.map((h) => h.length)).toEqual([0, 1, 2, 3]); // earlier snapshots were not mutated
    expect(c).toMatchObject({ level: 1, category: 'cat4', status: 'managed_l1' });
  });

  test.each([[''], ['   '], ['\n\t']])('refuses an empty rationale (%j)', (rationale) => {
    const r = recordDecision(l2, aLevelDecision(1, { type: 'meeting', id: 'm1' }, { rationale }));
    expect(r).toMatchObject({ ok: false, error: { code: 'RATIONALE_REQUIRED' } });
  });

  test.each<[string, Case, DecisionInput, string]>([
    [
      'category 3 while at Level 1',
      aCase({ status: 'managed_l1', level: 1 }),
      { ...aLevelDecision(1, { type: 'meeting', id: 'm' }), kind: 'category', to: 'cat3' } as DecisionInput,
      'CATEGORY_3_LEVEL_1',
    ],
    [
      'restricted patient in England and Wales',
      l2,
      {
        ...aLevelDecision(1, { type: 'meeting', id: 'm' }),
        kind: 'category',
        to: 'restricted_patient',
      } as DecisionInput,
      'CATEGORY_NOT_IN_JURISDICTION',
    ],
    [
      'category 4 in Scotland',
      aCase({ jurisdiction: 'scotland', category: 'cat1', status: 'managed_l2', level: 2 }),
      { ...aLevelDecision(1, { type: 'meeting', id: 'm' }), kind: 'category', to: 'cat4' } as DecisionInput,
      'CATEGORY_NOT_IN_JURISDICTION',
    ],
  ])('refuses %s', (_label, c, d, code) => {
    expect(recordDecision(c, d)).toMatchObject({ ok: false, error: { code } });
  });

  test('error metadata carries ids and codes, never the rationale or names', () => {
    const r = recordDecision(
      aCase({ status: 'managed_l1', level: 1 }),
      aLevelDecision(3, { type: 'meeting', id: 'm' }),
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(JSON.stringify(r.error)).not.toMatch(/Alex|Agreed by the panel/);
  });
});
