import type { AgencyUpdateRepository } from '../ports/agency-update-repository.port';
import type { MeetingRepository } from '../ports/meeting-repository.port';
import type { MinutesRepository } from '../ports/minutes-repository.port';
import type { NotificationRepository } from '../ports/notification-repository.port';
import type { ReferralRepository } from '../ports/referral-repository.port';
import {
  agencyUpdateDeadlines,
  meetingDeadlines,
  minutesDeadlines,
  notificationDeadlines,
  referralDeadlines,
  type DeadlineDeps,
} from './deadlines';

interface Tracked {
  readonly notifications: NotificationRepository;
  readonly referrals: ReferralRepository;
  readonly meetings: MeetingRepository;
  readonly minutes: MinutesRepository;
  readonly agencyUpdates: AgencyUpdateRepository;
}

/**
 * The repositories whose writes start or stop process deadlines, each successful write followed by
 * its deadlines' update, so whichever use case submits, decides, schedules, ends, approves or saves,
 * the reminder follows at once (as `withReminders` does for actions).
 */
export function withDeadlineReminders<T extends Tracked>(repos: T, deps: DeadlineDeps): T {
  const { notifications, referrals, meetings, minutes, agencyUpdates } = repos;
  return {
    ...repos,
    notifications: {
      ...bind(notifications),
      create: async (...a: Parameters<NotificationRepository['create']>) => {
        const n = await notifications.create(...a);
        await notificationDeadlines(deps, n);
        return n;
      },
      createIfAbsent: async (...a: Parameters<NotificationRepository['createIfAbsent']>) => {
        const r = await notifications.createIfAbsent(...a);
        if (r.created) await notificationDeadlines(deps, r.notification);
        return r;
      },
      decide: async (...a: Parameters<NotificationRepository['decide']>) => {
        const r = await notifications.decide(...a);
        if (r.ok) await notificationDeadlines(deps, r.value);
        return r;
      },
      update: async (...a: Parameters<NotificationRepository['update']>) => {
        const r = await notifications.update(...a);
        if (r.ok) await notificationDeadlines(deps, r.value);
        return r;
      },
    },
    referrals: {
      ...bind(referrals),
      submit: async (...a: Parameters<ReferralRepository['submit']>) => {
        const r = await referrals.submit(...a);
        if (r.ok) await referralDeadlines(deps, r.value);
        return r;
      },
      resolveIdentity: async (...a: Parameters<ReferralRepository['resolveIdentity']>) => {
        const r = await referrals.resolveIdentity(...a);
        if (r.ok) await referralDeadlines(deps, r.value);
        return r;
      },
      decide: async (...a: Parameters<ReferralRepository['decide']>) => {
        const r = await referrals.decide(...a);
        if (r.ok) await referralDeadlines(deps, r.value);
        return r;
      },
      withdraw: async (...a: Parameters<ReferralRepository['withdraw']>) => {
        const r = await referrals.withdraw(...a);
        if (r.ok) await referralDeadlines(deps, r.value);
        return r;
      },
    },
    meetings: {
      ...bind(meetings),
      create: async (...a: Parameters<MeetingRepository['create']>) => {
        const r = await meetings.create(...a);
        if (r.ok) await meetingDeadlines(deps, r.value, 'meeting.scheduled');
        return r;
      },
      update: async (...a: Parameters<MeetingRepository['update']>) => {
        const r = await meetings.update(...a);
        if (r.ok) await meetingDeadlines(deps, r.value, a[3].action);
        return r;
      },
      updateAtTurn: async (...a: Parameters<MeetingRepository['updateAtTurn']>) => {
        const r = await meetings.updateAtTurn(...a);
        if (r.ok) await meetingDeadlines(deps, r.value, a[4].action);
        return r;
      },
    },
    minutes: {
      ...bind(minutes),
      approve: async (...a: Parameters<MinutesRepository['approve']>) => {
        const r = await minutes.approve(...a);
        if (r.ok) await minutesDeadlines(deps, r.value.meetingId);
        return r;
      },
    },
    agencyUpdates: {
      ...bind(agencyUpdates),
      save: async (...a: Parameters<AgencyUpdateRepository['save']>) => {
        const r = await agencyUpdates.save(...a);
        // Only an agency's first save changes which agencies have an update; an amendment (from a version)
        // leaves the reminder as it was. Should that first save's hook have failed, the sweep still checks
        // the updates before each send (deadline-send.ts), so nothing finished is chased.
        if (r.ok && a[1] === null) await agencyUpdateDeadlines(deps, r.value.meetingId);
        return r;
      },
    },
  };
}

/**
 * Every method of a repository bound to it: the stores are classes, so spreading one would lose its
 * prototype's methods.
 */
function bind<R extends object>(repo: R): R {
  const out: Record<string, unknown> = {};
  for (let p: object | null = repo; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    for (const key of Object.getOwnPropertyNames(p)) {
      const v = (repo as Record<string, unknown>)[key];
      if (key !== 'constructor' && typeof v === 'function' && !(key in out))
        out[key] = (v as (...args: unknown[]) => unknown).bind(repo);
    }
  }
  return out as R;
}
