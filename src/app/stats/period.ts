import { addDays, addMonths, isIsoDate, type IsoDate } from '../../domain/dates';
import { err, ok, type Result } from '../../lib/result';
import { appError, type AppError } from '../../lib/errors';
import { StatsPeriod } from './report.schema';

/**
 * The MAPPA reporting year (1 April to 31 March) that contains `today`. The year to date, not the
 * last complete year: the "managed now" table is today's, so the period it sits in is this year's.
 */
export function reportingYear(today: IsoDate): StatsPeriod {
  const year = Number(today.slice(0, 4));
  const start = today.slice(5) >= '04-01' ? year : year - 1;
  return { from: `${start}-04-01`, to: `${start + 1}-03-31` };
}

const UK_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

function readDate(text: string): IsoDate | null {
  const uk = UK_DATE.exec(text);
  const iso = uk ? `${uk[3]}-${uk[2]!.padStart(2, '0')}-${uk[1]!.padStart(2, '0')}` : text;
  return isIsoDate(iso) ? iso : null;
}

/**
 * `report`, `report 2025-04-01` (a year from that day) or `report 1/4/2025 31/3/2026`. The message
 * names the date that could not be read and repeats what was typed.
 */
export function parsePeriod(args: string, today: IsoDate): Result<StatsPeriod, AppError<'VALIDATION_FAILED'>> {
  const words = args.trim() === '' ? [] : args.trim().split(/\s+/);
  if (words.length === 0) return ok(reportingYear(today));
  if (words.length > 2)
    return err(appError('VALIDATION_FAILED', 'Give at most two dates: the start and the end of the period.'));
  const [fromText, toText] = words as [string, string | undefined];
  const from = readDate(fromText);
  if (!from)
    return err(
      appError(
        'VALIDATION_FAILED',
        `Start date: "${fromText.slice(0, 20)}" is not a date. Write it as 2025-04-01 or 1/4/2025.`,
      ),
    );
  const to = toText === undefined ? addDays(addMonths(from, 12), -1) : readDate(toText);
  if (!to)
    return err(
      appError(
        'VALIDATION_FAILED',
        `End date: "${(toText ?? '').slice(0, 20)}" is not a date. Write it as 2026-03-31 or 31/3/2026.`,
      ),
    );
  const period = StatsPeriod.safeParse({ from, to });
  if (!period.success) return err(appError('VALIDATION_FAILED', 'End date: it is before the start date.'));
  return ok(period.data);
}
