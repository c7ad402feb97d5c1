import { remindersCardData } from '../../../src/bot/reminders/cards';
import { Reminder, type ReminderSend } from '../../../src/domain/reminders';

const NOW = '2027-01-14T12:00:00.000Z';
const SINCE = '2027-01-07T12:00:00.000Z';
const send = (at: string): ReminderSend => ({ at, stage: 'overdue', delivered: 2, undelivered: 0, escalated: false });

const reminder = (n: number, sends: string[]) =>
  Reminder.parse({
    id: `prepared_updates:m-${n}`,
    areaId: 'local-area',
    kind: 'prepared_updates',
    subjectId: `m-${n}`,
    caseId: `case-${n}`,
    caseRef: `MAPPA-2027-${String(n).padStart(4, '0')}`,
    agencyId: null,
    due: '2027-01-08',
    status: 'scheduled',
    nextAt: NOW,
    lastSentAt: sends.at(-1) ?? null,
    sends: sends.map(send),
    updatedAt: NOW,
  });

describe('the reminders card', () => {
  it('counts every send in the window and labels each line with its sends and the last one', () => {
    // One deadline sent three times this week (and once before it): three sends, one line.
    const r = reminder(1, [
      '2027-01-05T09:00:00.000Z',
      '2027-01-12T09:30:00.000Z',
      '2027-01-13T09:30:00.000Z',
      '2027-01-14T09:30:00.000Z',
    ]);
    const card = remindersCardData({ upcoming: [], sent: [r], undelivered: [], sentSince: SINCE });
    expect(card.statusLine).toBe('0 due to go out · 3 sends in the last 7 days');
    const section = card.sections.find((x) => x.heading.startsWith('Sent'));
    expect(section?.heading).toBe('Sent in the last 7 days: 3 sends of 1 reminder');
    expect(section?.lines).toEqual([
      {
        title: 'MAPPA-2027-0001',
        value: 'Prepared updates for the meeting · due 8 Jan 2027 · sent 3 times, last 14 Jan 2027, 09:30',
      },
    ]);
  });

  it('keeps the card small: at most ten lines a section, then how many more', () => {
    const many = Array.from({ length: 13 }, (_, i) => reminder(i + 1, ['2027-01-13T09:30:00.000Z']));
    const card = remindersCardData({ upcoming: many, sent: many, undelivered: [], sentSince: SINCE });
    for (const heading of ['Due to go out', 'Sent in the last 7 days']) {
      const lines = card.sections.find((x) => x.heading.startsWith(heading))?.lines ?? [];
      expect(lines).toHaveLength(11);
      expect(lines.at(-1)).toEqual({ title: '…', value: 'and 3 more' });
    }
    expect(card.statusLine).toBe('13 due to go out · 13 sends in the last 7 days');
  });
});
