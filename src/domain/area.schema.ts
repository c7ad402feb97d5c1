import { z } from 'zod';
import { defaultAgencies } from './agency-catalogue';
import { Agency } from './agency.schema';
import { CalendarConfig, type CalendarRegion, createWorkingCalendar, type WorkingCalendar } from './calendar';
import { Id, Jurisdiction, TenantId, Version } from './common.schema';
import type { IsoDate } from './dates';
import { ReminderPolicy } from './reminders';
import { type Deadline, deadlineFor, defaultTimescalePolicy, type TimescaleKey, TimescalePolicy } from './timescales';

const REGIONS: Readonly<Record<Jurisdiction, readonly CalendarRegion[]>> = {
  'england-wales': ['GB-ENG', 'GB-WLS'],
  scotland: ['GB-SCT'],
};

/** Form names differ by era and area ("MAPPA B" vs the 2022 "MAPPA C" for minutes), so they are labels, not logic. */
export const AreaLabels = z.object({
  referralForm: z.string().min(1).default('MAPPA A'),
  minutesForm: z.string().min(1).default('MAPPA B'),
});

/**
 * When an exited case's records come up for a retention review (keep or erase), in months after
 * the exit date. A review, never automatic deletion: erasure stays a deliberate admin action.
 *
 * UNVERIFIED default of 120 months: no MAPPA-specific retention period was found. Each agency stays
 * controller of what it supplies and keeps to its own rules (police: MoPI review/retention/disposal,
 * under which public-protection records are reviewed about every 10 years; HMPPS: PSI 04/2018), so
 * ten years follows the strictest-reviewing partner until the owning agencies confirm a figure.
 */
export const AreaRetention = z.object({
  reviewAfterExitMonths: z.number().int().min(1).max(1200).default(120),
  /** Where the area's figure came from (e.g. the agencies' agreement), for the next person to ask. */
  note: z.string().trim().min(1).max(1000).optional(),
});
export type AreaRetention = z.infer<typeof AreaRetention>;

/** A MAPPA area's configuration: everything that differs between areas lives here, not in code. */
export const Area = z
  .object({
    id: Id,
    name: z.string().trim().min(1).max(200),
    jurisdiction: Jurisdiction,
    tenantId: TenantId,
    agencies: z.array(Agency).min(1),
    timescales: TimescalePolicy,
    calendar: CalendarConfig,
    labels: AreaLabels.prefault({}),
    /** Defaulted so areas stored before retention existed still parse. */
    retention: AreaRetention.prefault({}),
    /** When reminders go out; defaulted so areas stored before reminders existed still parse. */
    reminders: ReminderPolicy,
    version: Version,
  })
  .superRefine((area, ctx) => {
    if (!REGIONS[area.jurisdiction].includes(area.calendar.region)) {
      ctx.addIssue({
        code: 'custom',
        path: ['calendar', 'region'],
        message: `Region ${area.calendar.region} is not in ${area.jurisdiction}`,
      });
    }
    const ids = area.agencies.map((a) => a.id);
    ids.forEach((id, i) => {
      if (ids.indexOf(id) !== i)
        ctx.addIssue({ code: 'custom', path: ['agencies', i, 'id'], message: `Duplicate agency id ${id}` });
    });
  });
export type Area = z.infer<typeof Area>;

/** A new area seeded with its jurisdiction's default agencies, timescales and bank-holiday region. */
export function newArea(input: {
  id: string;
  name: string;
  jurisdiction: Jurisdiction;
  tenantId: string;
  region?: CalendarRegion;
}): Area {
  return Area.parse({
    id: input.id,
    name: input.name,
    jurisdiction: input.jurisdiction,
    tenantId: input.tenantId,
    agencies: defaultAgencies(input.jurisdiction),
    timescales: defaultTimescalePolicy(input.jurisdiction),
    calendar: { region: input.region ?? REGIONS[input.jurisdiction][0], extraClosures: [] },
    version: 0,
  });
}

/** The area's working-day calendar (its region's bank holidays plus its own closures). */
export function areaCalendar(area: Area): WorkingCalendar {
  return createWorkingCalendar(area.calendar);
}

/** A deadline under the area's own policy and calendar; null when the area sets none for that step. */
export function deadlineForArea(area: Area, key: TimescaleKey, from: IsoDate): Deadline | null {
  return deadlineFor(area.timescales, key, from, areaCalendar(area));
}
