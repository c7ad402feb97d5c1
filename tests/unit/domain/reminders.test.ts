import { createWorkingCalendar } from '../../../src/domain/calendar';
import {
  londonInstant,
  nextReminder,
  nextSendingWindow,
  reminderDays,
  ReminderPolicy,
} from '../../../src/domain/reminders';
import { newArea } from '../../../src/domain/area.schema';

// 25 May 2026 is the Spring bank holiday in England.
const calendar = createWorkingCalendar({ region: 'GB-ENG', extraClosures: [] });
const policy = ReminderPolicy.parse({});
const at = (iso: string) => new Date(iso);

describe('reminder policy', () => {
  it('defaults: 2 working days before, on the day, every 2 while overdue, co-ordinator after 3, 09:00–17:00', () => {
    expect(policy).toEqual({
      daysBefore: 2,
      onDueDate: true,
      overdueEveryDays: 2,
      escalateAfterDays: 3,
      workingHours: { start: '09:00', end: '17:00' },
      minutesApprovalDays: 10,
    });
    expect(newArea({ id: 'a', name: 'A', jurisdiction: 'england-wales', tenantId: 't' }).reminders).toEqual(policy);
  });

  it('refuses working hours that end before they start, naming the field', () => {
    const r = ReminderPolicy.safeParse({ workingHours: { start: '17:00', end: '09:00' } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['workingHours', 'end']);
  });

  it('converts London wall-clock time in winter and summer', () => {
    expect(londonInstant('2026-01-12', '09:00').toISOString()).toBe('2026-01-12T09:00:00.000Z');
    expect(londonInstant('2026-05-18', '09:00').toISOString()).toBe('2026-05-18T08:00:00.000Z');
    // The spring-forward day itself.
    expect(londonInstant('2026-03-29', '09:00').toISOString()).toBe('2026-03-29T08:00:00.000Z');
  });

  it('lists the reminder days around a bank holiday', () => {
    expect(reminderDays('2026-05-20', '2026-05-29', policy, calendar)).toEqual([
      '2026-05-18', // 2 working days before
      '2026-05-20', // on the day
      '2026-05-22', // 2 overdue
      // not Tue 26, 3 overdue (Mon 25 is a bank holiday): that day escalates to the co-ordinator only
      '2026-05-27', // 4 overdue
      '2026-05-29', // 6 overdue
    ]);
    // Due on the Tuesday after the holiday: "2 working days before" skips it.
    expect(reminderDays('2026-05-26', '2026-05-26', policy, calendar)).toEqual(['2026-05-21', '2026-05-26']);
  });

  it('sends only inside working hours on working days', () => {
    expect(nextSendingWindow(at('2026-05-23T10:00:00Z'), policy, calendar).toISOString()).toBe(
      '2026-05-26T08:00:00.000Z', // Saturday → Tuesday (Monday is the bank holiday)
    );
    expect(nextSendingWindow(at('2026-05-19T16:30:00Z'), policy, calendar).toISOString()).toBe(
      '2026-05-20T08:00:00.000Z', // 17:30 BST → next morning
    );
    const open = at('2026-05-19T12:00:00Z');
    expect(nextSendingWindow(open, policy, calendar)).toEqual(open);
  });

  it('schedules the next reminder after the last send, escalating once when overdue long enough', () => {
    const first = nextReminder({
      due: '2026-05-20',
      lastSentAt: null,
      escalatedAlready: false,
      now: at('2026-05-15T12:00:00Z'),
      policy,
      calendar,
    });
    expect(first).toMatchObject({ at: at('2026-05-18T08:00:00Z'), stage: 'before', escalate: false });
    const onDue = nextReminder({
      due: '2026-05-20',
      lastSentAt: first.at,
      escalatedAlready: false,
      now: first.at,
      policy,
      calendar,
    });
    expect(onDue).toMatchObject({ at: at('2026-05-20T08:00:00Z'), stage: 'due' });
    const escalation = nextReminder({
      due: '2026-05-20',
      lastSentAt: at('2026-05-22T08:00:00Z'),
      escalatedAlready: false,
      now: at('2026-05-22T08:00:00Z'),
      policy,
      calendar,
    });
    expect(escalation).toMatchObject({
      at: at('2026-05-26T08:00:00Z'),
      stage: 'overdue',
      overdueDays: 3,
      escalate: true,
    });
    const after = nextReminder({
      due: '2026-05-20',
      lastSentAt: escalation.at,
      escalatedAlready: true,
      now: escalation.at,
      policy,
      calendar,
    });
    expect(after).toMatchObject({ at: at('2026-05-27T08:00:00Z'), escalate: false });
  });

  it('catches up a missed reminder day once, at the next window, never twice in a day', () => {
    const late = nextReminder({
      due: '2026-05-20',
      lastSentAt: null,
      escalatedAlready: false,
      now: at('2026-05-19T13:00:00Z'),
      policy,
      calendar,
    });
    expect(late.at).toEqual(at('2026-05-19T13:00:00Z'));
    const next = nextReminder({
      due: '2026-05-20',
      lastSentAt: late.at,
      escalatedAlready: false,
      now: late.at,
      policy,
      calendar,
    });
    expect(next.at).toEqual(at('2026-05-20T08:00:00Z'));
  });
});
