import { compareIdentity, lookupIdentifiers, type PersonIdentity, type Subject } from '../../domain';
import type { CaseRecord, CaseRepository, NewCase } from '../ports/case-repository.port';
import type { IntakeClaimRepository } from '../ports/intake-claim.port';
import type { SubjectRepository } from '../ports/subject-repository.port';
import type { RequestActor } from '../ports/write-context.port';

/** Thrown when another request kept the person's case lease for longer than we wait: retry later. */
export class CaseBusyError extends Error {
  readonly code = 'CASE_BUSY';
  constructor() {
    super('Another request is opening a case for this person');
    this.name = 'CaseBusyError';
  }
}

export interface OpenCaseDeps {
  readonly cases: CaseRepository;
  readonly claims: IntakeClaimRepository;
}

/** Timing for the per-person lease; tests shorten it. */
export interface OpenCaseTiming {
  readonly leaseMs: number;
  readonly pollMs: number;
  readonly maxWaitMs: number;
}
const DEFAULT_TIMING: OpenCaseTiming = { leaseMs: 15_000, pollMs: 50, maxWaitMs: 10_000 };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The person's open (not exited) case in the area, oldest first if a past fault left two. */
export async function findOpenCase(
  cases: CaseRepository,
  areaId: string,
  subjectId: string,
): Promise<CaseRecord | null> {
  const open = (await cases.listForSubject(subjectId))
    .filter((c) => c.areaId === areaId && c.status !== 'exited')
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return open[0] ?? null;
}

/**
 * One open case per person per area: returns the open case, or creates one under a lease on the
 * person (not a global lock), so two agencies notifying or referring the same person at once open
 * one case between them. A holder that dies leaves its case findable, or its lease to expire.
 */
export async function ensureOpenCase(
  deps: OpenCaseDeps,
  areaId: string,
  subjectId: string,
  input: () => NewCase,
  ctx: { by: RequestActor; details?: Record<string, string | number | boolean> },
  timing: Partial<OpenCaseTiming> = {},
): Promise<{ caseRecord: CaseRecord; created: boolean }> {
  const open = await findOpenCase(deps.cases, areaId, subjectId);
  if (open) return { caseRecord: open, created: false };
  return underLease(deps.claims, areaId, `open-case:${subjectId}`, timing, async () => {
    // Someone may have finished between our look and taking the lease.
    const again = await findOpenCase(deps.cases, areaId, subjectId);
    if (again) return { caseRecord: again, created: false };
    return { caseRecord: await deps.cases.create(input(), ctx), created: true };
  });
}

/**
 * Runs `work` holding a lease named `key` (per person, never global), waiting while another request
 * holds it. Used so two requests about the same new person create one record between them.
 */
async function underLease<T>(
  claims: IntakeClaimRepository,
  areaId: string,
  key: string,
  timing: Partial<OpenCaseTiming>,
  work: () => Promise<T>,
): Promise<T> {
  const t = { ...DEFAULT_TIMING, ...timing };
  const owner = globalThis.crypto.randomUUID();
  const deadline = Date.now() + t.maxWaitMs;
  for (;;) {
    if (await claims.acquire(areaId, key, owner, t.leaseMs)) {
      try {
        return await work();
      } finally {
        await claims.release(areaId, key, owner).catch(() => undefined);
      }
    }
    if (Date.now() > deadline) throw new CaseBusyError();
    await sleep(t.pollMs);
  }
}

/**
 * The stored person who is `wanted` by the domain rule, or a new one made by `create`. Creation runs
 * under a lease on the person's first reference number, so two agencies sending the same new person
 * at once make one record; a crash after creating leaves a record the next attempt matches.
 */
export async function ensurePerson(
  deps: { subjects: SubjectRepository; claims: IntakeClaimRepository },
  areaId: string,
  wanted: PersonIdentity,
  create: () => Promise<Subject>,
  timing: Partial<OpenCaseTiming> = {},
): Promise<{ subject: Subject; created: boolean; matches: IdentityMatches }> {
  const first = await matchPerson(deps.subjects, areaId, wanted);
  if (first.same[0]) return { subject: first.same[0], created: false, matches: first };
  const id = lookupIdentifiers(wanted.identifiers)[0];
  if (!id) return { subject: await create(), created: true, matches: first };
  return underLease(deps.claims, areaId, `person:${id.kind}:${id.value}`, timing, async () => {
    const again = await matchPerson(deps.subjects, areaId, wanted);
    if (again.same[0]) return { subject: again.same[0], created: false, matches: again };
    return { subject: await create(), created: true, matches: again };
  });
}

export interface IdentityMatches {
  /** Stored people who are the same person by the domain rule (normally zero or one). */
  readonly same: readonly Subject[];
  /** Stored people sharing a reference number but not the name or date of birth. */
  readonly conflicting: readonly Subject[];
}

/** Looks the person up by every identifier given and sorts what is found by the domain rule. */
export async function matchPerson(
  subjects: SubjectRepository,
  areaId: string,
  wanted: PersonIdentity,
): Promise<IdentityMatches> {
  const seen = new Map<string, Subject>();
  for (const q of lookupIdentifiers(wanted.identifiers)) {
    for (const s of await subjects.findByIdentifier(areaId, q as Parameters<SubjectRepository['findByIdentifier']>[1]))
      seen.set(s.id, s);
  }
  const same: Subject[] = [];
  const conflicting: Subject[] = [];
  for (const s of seen.values()) {
    const m = compareIdentity(s, wanted);
    if (m === 'same') same.push(s);
    else if (m === 'conflict') conflicting.push(s);
  }
  return { same, conflicting };
}

/** The open cases of people who conflict with the one typed: what the co-ordinator must check against. */
export async function conflictingOpenCaseIds(
  cases: CaseRepository,
  areaId: string,
  conflicting: readonly Subject[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const s of conflicting) {
    const c = await findOpenCase(cases, areaId, s.id);
    if (c) ids.push(c.id);
  }
  return ids.slice(0, 20);
}
