import type { RoshLevel } from './common.schema';
import { isIsoDate } from './dates';
import type { Role } from './member.schema';
import type { PersonName, SubjectStatus } from './subject.schema';

// One way to write dates, times and initials on every card, message and document, so a practitioner
// never has to compare "2027-01-15" on one card with "15 Jan 2027" on the next.
const DAY = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'Europe/London',
});
const DAY_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  dateStyle: 'medium',
  timeStyle: 'short',
});

/**
 * A calendar date ('2027-01-15') or an instant ('2027-01-15T09:30:00Z') as a UK reader writes the day:
 * '15 Jan 2027'. A calendar date is read at midday UTC so no zone can move it to another day.
 */
export function formatUkDate(iso: string): string {
  const d = new Date(isIsoDate(iso) ? `${iso}T12:00:00Z` : iso);
  return Number.isNaN(d.getTime()) ? iso : DAY.format(d);
}

/** An instant as London wall-clock time: '15 Jan 2027, 09:30'. */
export function formatUkDateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : DAY_TIME.format(d);
}

/** 'T.I.': the minimum that lets a co-ordinator tell two people apart on a shared card. */
export function personInitials(name: Partial<PersonName> | undefined): string {
  const first = (s: string | undefined) => Array.from((s ?? '').trim())[0]?.toUpperCase();
  const g = first(name?.given);
  const f = first(name?.family);
  return g && f ? `${g}.${f}.` : '?';
}

const ROSH_LABELS: Readonly<Record<RoshLevel, string>> = {
  LOW: 'Low',
  MEDIUM: 'Medium',
  HIGH: 'High',
  VERY_HIGH: 'Very high',
};

/** An OASys risk-of-serious-harm level in words: 'VERY_HIGH' reads 'Very high'. */
export function roshLabel(level: string): string {
  return (ROSH_LABELS as Readonly<Record<string, string>>)[level] ?? level;
}

const WHERE_NOW: Readonly<Record<SubjectStatus, string>> = {
  custody: 'In custody',
  community: 'In the community',
  hospital: 'Detained in hospital',
};

/** Where a person is now, in the words the notification form offers ('custody' reads 'In custody'). */
export function whereNowLabel(status: string): string {
  return (WHERE_NOW as Readonly<Record<string, string>>)[status] ?? status;
}

const ROLE_LABELS: Readonly<Record<Role, string>> = {
  admin: 'Admin',
  coordinator: 'Co-ordinator',
  chair: 'Chair',
  practitioner: 'Practitioner',
  viewer: 'Viewer',
};

/** A member role in words: 'coordinator' reads 'Co-ordinator'. */
export function roleLabel(role: string): string {
  return (ROLE_LABELS as Readonly<Record<string, string>>)[role] ?? role;
}

/** Roles in words, in the order given: 'Co-ordinator, Admin'. */
export function rolesText(roles: readonly string[]): string {
  return roles.map(roleLabel).join(', ');
}
