import type { DigestLine, OverdueGroup, RemindersReport } from '../../app/reminders';
import { formatUkDate, formatUkDateTime } from '../../domain/format';
import { REMINDER_KIND_LABELS, type Reminder } from '../../domain/reminders';
import type { CardData } from '../cards/render';

const days = (n: number) => `${n} working day${n === 1 ? '' : 's'}`;

/** `overdue`: grouped by the agency owning the next step, with counts; references, never names. */
export function overdueCardData(areaName: string, groups: OverdueGroup[], total: number): CardData<'reminders'> {
  return {
    title: `Overdue in ${areaName}`,
    statusLine:
      total === 0
        ? 'Nothing is overdue'
        : `${total} overdue across ${groups.length} ${groups.length === 1 ? 'agency' : 'agencies'}`,
    statusUrgent: total > 0,
    sections: groups.map((g) => ({
      heading: `${g.agency} (${g.lines.length})`,
      empty: '',
      lines: g.lines.map((l) => ({
        title: l.caseRef,
        value: `${l.what} · due ${formatUkDate(l.due)} · ${days(l.overdueDays)} overdue`,
      })),
    })),
  };
}

/** Lines a section of the `reminders` card shows; the rest are counted, to keep the card small. */
const SECTION_CAP = 10;

type Line = { title: string; value: string };
const capped = (lines: Line[]): Line[] =>
  lines.length <= SECTION_CAP
    ? lines
    : [...lines.slice(0, SECTION_CAP), { title: '…', value: `and ${lines.length - SECTION_CAP} more` }];

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const line = (r: Reminder, at: string) => ({
  title: r.caseRef,
  value: `${REMINDER_KIND_LABELS[r.kind]} · due ${formatUkDate(r.due)} · ${at}`,
});

/** `reminders`: what goes out next, what went out this week and what could not be delivered. */
export function remindersCardData(report: RemindersReport): CardData<'reminders'> {
  const failed = report.undelivered.length;
  // One line per reminder, but every send in the window counted: three sends of one deadline are three.
  const sendsOf = (r: Reminder) => r.sends.filter((s) => s.at >= report.sentSince);
  const sends = report.sent.reduce((n, r) => n + sendsOf(r).length, 0);
  return {
    title: 'Reminders',
    statusLine:
      failed > 0
        ? `${failed} not delivered at their last send: see below for which reminders and how many people each missed`
        : `${report.upcoming.length} due to go out · ${plural(sends, 'send')} in the last 7 days`,
    statusUrgent: failed > 0,
    sections: [
      {
        heading: `Not delivered (${failed})`,
        empty: 'Every reminder reached someone at its last send.',
        lines: capped(
          report.undelivered.map((r) =>
            line(r, `${r.undelivered} not reached on ${formatUkDateTime(r.lastSentAt ?? r.updatedAt)}`),
          ),
        ),
      },
      {
        heading: `Due to go out (${report.upcoming.length})`,
        empty: 'Nothing is due to go out before the end of the next working day.',
        lines: capped(report.upcoming.map((r) => line(r, `goes out ${formatUkDateTime(r.nextAt)}`))),
      },
      {
        heading: `Sent in the last 7 days: ${plural(sends, 'send')} of ${plural(report.sent.length, 'reminder')}`,
        empty: 'Nothing was sent in the last 7 days.',
        lines: capped(
          report.sent.map((r) => {
            const n = sendsOf(r).length;
            const last = formatUkDateTime(r.lastSentAt ?? r.updatedAt);
            return line(r, n > 1 ? `sent ${n} times, last ${last}` : `sent ${last}`);
          }),
        ),
      },
    ],
  };
}

/** The channel's morning digest: reference, owner agency and due date only. */
export function digestCardData(lines: DigestLine[]): CardData<'reminders'> {
  const overdue = lines.filter((l) => l.overdue);
  const soon = lines.filter((l) => !l.overdue);
  const fmt = (l: DigestLine) => ({ title: l.caseRef, value: `${l.agency} · due ${formatUkDate(l.due)}` });
  return {
    title: 'Actions open this morning',
    statusLine: `${lines.length} open, ${overdue.length} overdue`,
    statusUrgent: overdue.length > 0,
    sections: [
      { heading: `Overdue (${overdue.length})`, empty: 'None overdue.', lines: overdue.map(fmt) },
      { heading: `Due in the next 5 working days (${soon.length})`, empty: 'None due soon.', lines: soon.map(fmt) },
    ],
  };
}
