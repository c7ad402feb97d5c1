import type { Area } from '../../domain/area.schema';
import { categoryInfo } from '../../domain/eligibility';
import { personInitials } from '../../domain/format';
import { can, type Principal } from '../../domain/policy';
import type { Subject } from '../../domain/subject.schema';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import { caseScopeOf } from '../actions/shared';
import type { ActionRepository } from '../ports/action-repository.port';
import type { AuditLog } from '../ports/audit-log.port';
import type { CaseRecord, CaseRepository } from '../ports/case-repository.port';
import type { MeetingRepository } from '../ports/meeting-repository.port';
import type { MemberRepository } from '../ports/member-repository.port';
import type { SearchTermHasher } from '../ports/search-term-hasher.port';
import type { SubjectRepository } from '../ports/subject-repository.port';
import { requireArea } from '../shared/area';
import { canonicalTerms, readSearchTerms, type FindQuery, type SearchTermError } from './search-terms';

export interface FindDeps {
  readonly cases: Pick<CaseRepository, 'getByRef' | 'listForSubject'>;
  readonly subjects: Pick<SubjectRepository, 'get' | 'findByIdentifier' | 'findByDateOfBirth'>;
  readonly meetings: Pick<MeetingRepository, 'listForCase'>;
  readonly actions: Pick<ActionRepository, 'listForCase'>;
  readonly members: Pick<MemberRepository, 'getArea'>;
  readonly audit: AuditLog;
  readonly hasher: SearchTermHasher;
  readonly areaId: string;
}

/** A case as the results list shows it: nothing more than a shared card would. */
export interface FoundCase {
  readonly caseRef: string;
  readonly initials: string;
  readonly category: string;
  readonly level: string;
  readonly leadAgency: string;
}

export const MAX_RESULTS = 10;

export interface FindResult {
  readonly cases: readonly FoundCase[];
  /** More cases matched than are listed (the newest are shown). */
  readonly more: boolean;
}

export type FindError =
  (AppError<'VALIDATION_FAILED'> & { readonly field: SearchTermError['field'] }) | AppError<'NOT_PERMITTED'>;

const words = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019`]/g, "'")
    .split(/[\s-]+/)
    .filter((w) => w !== '');

/**
 * The typed name is the person's: all their names in order, or their first given name and their
 * last family name (people rarely type middle names). Case, accents' composition, hyphens and
 * spacing are not held against anyone.
 */
export function nameMatches(typed: string, subject: Subject): boolean {
  const t = words(typed);
  const given = words(subject.name.given);
  const family = words(subject.name.family);
  const full = [...given, ...family];
  if (t.length === full.length && t.every((w, i) => w === full[i])) return true;
  return t.length >= 2 && t[0] === given[0] && t[t.length - 1] === family[family.length - 1];
}

async function candidates(deps: FindDeps, query: FindQuery): Promise<{ c: CaseRecord; subject: Subject | null }[]> {
  const ofSubjects = async (subjects: readonly Subject[]) =>
    (
      await Promise.all(
        subjects.map(async (s) =>
          (await deps.cases.listForSubject(s.id))
            .filter((c) => c.areaId === deps.areaId)
            .map((c) => ({ c, subject: s })),
        ),
      )
    ).flat();
  switch (query.kind) {
    case 'caseRef': {
      const found = await deps.cases.getByRef(deps.areaId, query.value);
      if (!found.ok) return [];
      const subject = await deps.subjects.get(found.value.subjectId);
      return [{ c: found.value, subject: subject.ok ? subject.value : null }];
    }
    case 'name': {
      const born = await deps.subjects.findByDateOfBirth(deps.areaId, query.dateOfBirth);
      return ofSubjects(born.filter((s) => nameMatches(query.name, s)));
    }
    default:
      return ofSubjects(await deps.subjects.findByIdentifier(deps.areaId, { kind: query.kind, value: query.value }));
  }
}

function shown(area: Area, c: CaseRecord, subject: Subject | null): FoundCase {
  return {
    caseRef: c.ref,
    initials: personInitials(subject?.name),
    category: c.category ? (categoryInfo(c.jurisdiction, c.category)?.label ?? c.category) : 'Not decided',
    level: c.level ? `Level ${c.level}` : 'Not decided',
    leadAgency: area.agencies.find((a) => a.id === c.leadAgencyId)?.name ?? c.leadAgencyId,
  };
}

/**
 * `find`: cases by PNC, CRN, ViSOR reference, case reference or name with date of birth, limited to
 * those the searcher may open with `case` (the same need-to-know rule), so a case they cannot see is
 * simply not found: the answer is the same as for no match at all. Every search, including a
 * refused or unreadable one, is audited with a keyed hash of its terms, never the terms themselves,
 * before anything is returned.
 */
export async function findCase(
  deps: FindDeps,
  principal: Principal,
  raw: string,
): Promise<Result<FindResult, FindError>> {
  const read = readSearchTerms(raw);
  const area = await requireArea(deps.members, deps.areaId);
  const audit = (
    kind: string,
    terms: string,
    outcome: 'success' | 'denied',
    details: Record<string, string | number>,
  ) =>
    deps.audit.append({
      tenantId: principal.tenantId,
      areaId: deps.areaId,
      actorAadObjectId: principal.aadObjectId,
      action: 'case.searched',
      entity: { type: 'area', id: deps.areaId },
      outcome,
      details: { kind, terms: deps.hasher.hash(terms), ...details },
    });
  if (!read.ok) {
    await audit('unreadable', `unreadable:${raw.normalize('NFKC').trim().toUpperCase()}`, 'denied', {
      reason: read.error.field,
    });
    return err({ ...appError('VALIDATION_FAILED', read.error.message), field: read.error.field });
  }
  const query = read.query;
  const terms = canonicalTerms(query);
  // ViSOR is police, probation and prisons' system: others may not use its references as a key.
  const agency = area.agencies.find((a) => a.id === principal.member?.agencyId);
  if (query.kind === 'visor' && !agency?.visorAccess) {
    await audit(query.kind, terms, 'denied', { reason: 'no_visor_access' });
    return err(appError('NOT_PERMITTED', 'Only agencies with ViSOR access can search by ViSOR reference.'));
  }
  const found = await candidates(deps, query);
  const visible: { c: CaseRecord; subject: Subject | null }[] = [];
  for (const hit of found) {
    const [meetings, actions] = await Promise.all([
      deps.meetings.listForCase(hit.c.id),
      deps.actions.listForCase(hit.c.id),
    ]);
    if (can(principal, 'case.read', { case: caseScopeOf(hit.c, meetings, actions) }).allowed) visible.push(hit);
  }
  visible.sort((a, b) => b.c.createdAt.localeCompare(a.c.createdAt));
  const listed = visible.slice(0, MAX_RESULTS);
  await audit(query.kind, terms, 'success', {
    results: visible.length,
    refs: listed.map((h) => h.c.ref).join(','),
  });
  return ok({ cases: listed.map((h) => shown(area, h.c, h.subject)), more: visible.length > listed.length });
}
