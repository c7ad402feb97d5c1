import type { Area, IsoDate, Subject, SubjectIdentifiers } from '../../domain';
import { conflictingOpenCaseIds, ensureOpenCase, ensurePerson, matchPerson } from '../cases';
import type { CaseRecord } from '../ports/case-repository.port';
import type { IntakeClaimRepository, IntakeProgress } from '../ports/intake-claim.port';
import type { AuditDetails, RequestActor } from '../ports/write-context.port';
import type { NotificationForm } from './notification-form';
import type { NotificationDeps } from './shared';

/*
 * The person and the case a received notification is about: the steps of intake that write them,
 * each resumable from the progress its lease recorded.
 */

export interface IntakeDeps extends NotificationDeps {
  readonly claims: IntakeClaimRepository;
}

/** Audit context for the intake's writes; each repository names its own action. */
export interface IntakeCtx {
  readonly by: RequestActor;
  readonly details: AuditDetails;
}

export interface IntakePlan {
  readonly form: NotificationForm;
  readonly area: Area;
  readonly leadAgencyId: string;
  readonly today: IsoDate;
  readonly key: string;
  readonly actor: RequestActor;
}

const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

export function subjectInput(plan: IntakePlan) {
  const s = plan.form.subject;
  return {
    name: { given: [s.givenName, s.otherNames].filter(Boolean).join(' '), family: s.familyName },
    aliases: s.aliases ?? [],
    dateOfBirth: s.dateOfBirth,
    gender: s.gender,
    identifiers: plan.form.identifiers,
    status: plan.form.custodyStatus,
  };
}

type IdEntry = [keyof SubjectIdentifiers, string];
const idEntries = (ids: SubjectIdentifiers): IdEntry[] =>
  (Object.entries(ids) as [keyof SubjectIdentifiers, string | undefined][]).filter(
    (e): e is IdEntry => e[1] !== undefined,
  );

/**
 * The person this notification is about, by the domain's one identity rule: the same person is
 * reused (what they lacked is added); a reference number that belongs to someone with another name or
 * date of birth is never linked: this notification gets its own person, and the other record's open
 * cases are returned for the co-ordinator to check. A retry finds the person its first attempt made.
 */
export async function ensureSubject(
  deps: IntakeDeps,
  plan: IntakePlan,
  progress: IntakeProgress,
  ctx: IntakeCtx,
): Promise<{ subject: Subject; conflicts: boolean; conflictingCaseIds: string[] }> {
  const wanted = subjectInput(plan);
  const recorded = progress.subjectId !== undefined ? await deps.repos.subjects.get(progress.subjectId) : null;
  const { subject, created, matches } = recorded?.ok
    ? { subject: recorded.value, created: false, matches: await matchPerson(deps.repos.subjects, plan.area.id, wanted) }
    : await ensurePerson({ subjects: deps.repos.subjects, claims: deps.claims }, plan.area.id, wanted, () =>
        deps.repos.subjects.create({ areaId: plan.area.id, ...wanted }, ctx),
      );
  const others = matches.conflicting.filter((s) => s.id !== subject.id);
  return {
    subject: created || recorded?.ok ? subject : await mergeInto(deps, subject, wanted, ctx),
    conflicts: others.length > 0,
    conflictingCaseIds: await conflictingOpenCaseIds(deps.repos.cases, plan.area.id, others),
  };
}

/** Adds what the new notification knows and the stored subject lacks; never overwrites a value. */
async function mergeInto(
  deps: IntakeDeps,
  subject: Subject,
  wanted: ReturnType<typeof subjectInput>,
  ctx: IntakeCtx,
): Promise<Subject> {
  let current = subject;
  for (let attempt = 0; attempt < 3; attempt++) {
    const missingIds = idEntries(wanted.identifiers).filter(([k]) => current.identifiers[k] === undefined);
    const known = new Set(current.aliases.map(norm));
    const newAliases = wanted.aliases.filter((a) => !known.has(norm(a)));
    const changes = {
      ...(missingIds.length > 0 ? { identifiers: { ...current.identifiers, ...Object.fromEntries(missingIds) } } : {}),
      ...(newAliases.length > 0 ? { aliases: [...current.aliases, ...newAliases] } : {}),
      ...(current.gender === undefined && wanted.gender !== undefined ? { gender: wanted.gender } : {}),
      // Custody status is the one field that goes stale, and the newest notification knows it best.
      ...(current.status !== wanted.status ? { status: wanted.status } : {}),
    };
    if (Object.keys(changes).length === 0) return current;
    const updated = await deps.repos.subjects.update(current.id, current.version, changes, ctx);
    if (updated.ok) return updated.value;
    const again = await deps.repos.subjects.get(current.id);
    if (!again.ok) break;
    current = again.value;
  }
  return current;
}

/**
 * The person's open case in the area, which this notification joins (one open case per person), or a
 * new one. `caseStartedAt` is recorded first so that a retry after a crash can tell the case its first
 * attempt opened (not joined) from one that was already there.
 */
export async function openOrJoinCase(
  deps: IntakeDeps,
  plan: IntakePlan,
  progress: IntakeProgress,
  subject: Subject,
  step: (p: Partial<IntakeProgress>) => Promise<void>,
  ctx: IntakeCtx,
): Promise<{ caseRecord: CaseRecord; joined: boolean }> {
  if (progress.caseId !== undefined) {
    const c = await deps.repos.cases.get(progress.caseId);
    if (c.ok) return { caseRecord: c.value, joined: progress.caseJoined ?? false };
  }
  const startedAt = progress.caseStartedAt;
  if (startedAt === undefined) await step({ caseStartedAt: deps.clock.now().toISOString() });
  const { caseRecord, created } = await ensureOpenCase(
    { cases: deps.repos.cases, claims: deps.claims },
    plan.area.id,
    subject.id,
    () => ({
      areaId: plan.area.id,
      jurisdiction: plan.area.jurisdiction,
      subjectId: subject.id,
      status: 'notified',
      category: plan.form.category,
      level: null,
      leadAgencyId: plan.leadAgencyId,
      keyDates: {
        sentenceDate: plan.form.sentenceDate,
        notificationDate: plan.today,
        releaseDate: plan.form.releaseDate,
      },
      history: [],
    }),
    ctx,
  );
  // A case our own earlier attempt opened (after it started, and not yet any notification's) is ours.
  const ours =
    created ||
    (startedAt !== undefined &&
      caseRecord.createdAt >= startedAt &&
      (await deps.repos.notifications.listForCase(caseRecord.id)).length === 0);
  await step({ caseId: caseRecord.id, caseJoined: !ours });
  return { caseRecord, joined: !ours };
}
