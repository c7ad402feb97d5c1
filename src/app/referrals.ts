import { z } from 'zod';
import type { Area } from '../domain/area.schema';
import { deadlineForArea } from '../domain/area.schema';
import type { Case } from '../domain/case.schema';
import { REFERRAL_FROM, transition } from '../domain/case-lifecycle';
import { Id, type Level } from '../domain/common.schema';
import { type IsoDate, ukDateOf } from '../domain/dates';
import { categoryInfo } from '../domain/eligibility';
import { redactForReader } from '../domain/police-only';
import { personInitials } from '../domain/format';
import { checkRequestedLevel, type CriteriaFailureCode } from '../domain/levels';
import { can, type Principal, type PolicyAction } from '../domain/policy';
import { REFERRAL_SECTIONS, validateReferralForSubmit } from '../domain/referral-sections';
import type {
  IdentityCheck,
  Referral,
  ReferralDecision,
  ReferralSectionId,
  ReferralStatus,
} from '../domain/referral.schema';
import { addWorkingDays, workingDaysBetween } from '../domain/calendar';
import { areaCalendar } from '../domain/area.schema';
import { appError, type AppError } from '../lib/errors';
import { err, ok, type Result } from '../lib/result';
import type { FieldErrors } from './members';
import type { CaseRecord, CaseRepository } from './ports/case-repository.port';
import { CaseRef } from './ports/case-repository.port';
import type { Clock } from './ports/clock.port';
import type { IntakeClaimRepository } from './ports/intake-claim.port';
import { conflictingOpenCaseIds, ensureOpenCase, ensurePerson, matchPerson } from './open-case';
import type { MemberRepository } from './ports/member-repository.port';
import type { ReferralQuestion, ReferralQuestionRepository } from './ports/referral-questions.port';
import type { ReferralRepository } from './ports/referral-repository.port';
import type { SubjectRepository } from './ports/subject-repository.port';
import type { RequestActor } from './ports/write-context.port';
import {
  applyAnswer,
  findQuestion,
  sectionAnswers,
  sectionQuestions,
  withDerivedValues,
  type DraftSections,
  type FormContext,
} from './referral-form';

/** What the referral use cases need; the composition root passes the MongoDB adapters. */
export interface ReferralDeps {
  readonly referrals: ReferralRepository;
  readonly cases: CaseRepository;
  readonly subjects: SubjectRepository;
  /** Per-person leases, so two referrals of one new person open one record and one case. */
  readonly claims: IntakeClaimRepository;
  readonly members: Pick<MemberRepository, 'getArea'>;
  readonly questions: ReferralQuestionRepository;
  readonly clock: Clock;
  readonly areaId: string;
}

export type ReferralError =
  | AppError<'NOT_PERMITTED' | 'NOT_FOUND' | 'VERSION_CONFLICT' | 'ILLEGAL_TRANSITION' | 'ALREADY_DECIDED'>
  | (AppError<'VALIDATION_FAILED'> & { readonly fieldErrors: FieldErrors; readonly input?: string })
  | (AppError<'REFERRAL_INCOMPLETE'> & { readonly reasons: readonly string[]; readonly adviseAvailable: boolean });

/** Used when an area's policy sets no co-ordinator decision deadline (Cheshire local practice). */
export const DEFAULT_DECISION_WORKING_DAYS = 10;

const CRITERIA_CODES: ReadonlySet<string> = new Set<CriteriaFailureCode>([
  'CATEGORY_3_LEVEL_1',
  'L2_NO_ADDED_VALUE',
  'L2_NO_CRITERION',
  'L3_NO_SENIOR_OVERSIGHT',
  'L3_LEVEL2_CANNOT_DELIVER_MISSING',
]);

/* ---------- shared helpers ---------- */

function actorOf(principal: Principal): RequestActor {
  return {
    aadObjectId: principal.aadObjectId,
    tenantId: principal.tenantId,
    displayName: principal.member?.displayName ?? 'Unknown',
  };
}

function authorise(principal: Principal, action: PolicyAction, message: string): Result<RequestActor, ReferralError> {
  return can(principal, action).allowed ? ok(actorOf(principal)) : err(appError('NOT_PERMITTED', message));
}

const validation = (field: string, message: string, input?: string): ReferralError => ({
  ...appError('VALIDATION_FAILED', message),
  fieldErrors: { [field]: message },
  ...(input === undefined ? {} : { input }),
});

const referrerOf = (r: Referral) => r.sections.referrer?.referrer?.aadObjectId;

async function loadArea(deps: ReferralDeps): Promise<Area> {
  const area = await deps.members.getArea(deps.areaId);
  // The area is configured before anyone can be enrolled in it, so its absence is a bug.
  if (!area.ok) throw new Error(`Area ${deps.areaId} is not configured`);
  return area.value;
}

/** A draft the caller wrote, in this area; anyone else's answers NOT_FOUND so ids reveal nothing. */
async function loadOwnReferral(
  deps: ReferralDeps,
  principal: Principal,
  referralId: string,
): Promise<Result<Referral, ReferralError>> {
  const id = Id.safeParse(referralId);
  if (!id.success) return err(appError('NOT_FOUND', 'That referral was not found.'));
  const found = await deps.referrals.get(id.data);
  if (!found.ok || found.value.areaId !== deps.areaId || referrerOf(found.value) !== principal.aadObjectId)
    return err(appError('NOT_FOUND', 'That referral was not found.'));
  return ok(found.value);
}

async function loadAreaReferral(deps: ReferralDeps, referralId: string): Promise<Result<Referral, ReferralError>> {
  const id = Id.safeParse(referralId);
  if (!id.success) return err(appError('NOT_FOUND', 'That referral was not found.'));
  const found = await deps.referrals.get(id.data);
  if (!found.ok || found.value.areaId !== deps.areaId)
    return err(appError('NOT_FOUND', 'That referral was not found.'));
  return ok(found.value);
}

function formContext(area: Area, sections: DraftSections, principal: Principal): FormContext {
  const agencies = area.agencies.filter((a) => a.active);
  const own = agencies.find((a) => a.id === (sections.referrer?.agencyId ?? principal.member?.agencyId));
  return { jurisdiction: area.jurisdiction, agencies, sections, referrerHasVisorAccess: own?.visorAccess ?? false };
}

/** Initials only: the minimum that lets a co-ordinator tell two referrals apart on a channel card. */
export function initialsOf(referral: Referral): string {
  return personInitials(referral.sections.subject?.name);
}

const levelText = (l: unknown): string =>
  l === 'advise' ? 'Co-ordinator to advise' : l === undefined ? 'Not stated' : `Level ${String(l)}`;

const ukDay = (iso: string): IsoDate => ukDateOf(new Date(iso));

/* ---------- drafts ---------- */

export interface DraftSummary {
  readonly referralId: string;
  readonly label: string;
  readonly caseRef: string | null;
  readonly startedOn: IsoDate;
  readonly sectionsDone: number;
  readonly sectionsTotal: number;
}

export type StartOrResumeResult =
  | {
      readonly kind: 'started' | 'resumed';
      readonly referral: Referral;
      readonly draft: DraftSummary;
      /** Section titles filled in from the case, so the person knows what to check. */
      readonly prefilled: readonly string[];
    }
  | { readonly kind: 'choose'; readonly drafts: readonly DraftSummary[] };

/** Paste debris that changes nothing a person means: zero-width spaces, word joiners, soft hyphens, BOMs. */
const INVISIBLE = /[\u200b\u2060\u00ad\ufeff]/g;
/**
 * Control, private-use, unassigned and broken (lone surrogate) characters, and format characters such
 * as text-direction overrides, which can make a name display as something else. Zero-width (non-)joiners
 * are part of how some scripts write names, so they stay.
 */
const UNREADABLE = /[\p{Cc}\p{Co}\p{Cn}\p{Cs}]|(?![\u200c\u200d])\p{Cf}/u;
const MAX_REFER_ARGUMENT = 200;

/** What follows `refer`, as typed: tidied, then refused with a reason when too long or unreadable. */
const ReferArgument = z
  .string()
  .transform((s) => s.replace(INVISIBLE, '').normalize('NFC').replace(/\s+/g, ' ').trim())
  .superRefine((s, ctx) => {
    if (s.length > MAX_REFER_ARGUMENT)
      ctx.addIssue({
        code: 'custom',
        message: `That is too long for **refer** (${s.length} characters; at most ${MAX_REFER_ARGUMENT}).`,
      });
    else if (UNREADABLE.test(s))
      ctx.addIssue({
        code: 'custom',
        message:
          'What you typed after **refer** has characters I cannot read (control, text-direction or broken characters).',
      });
  });

export const StartOptions = z.object({
  caseRef: ReferArgument.optional(),
  subjectLabel: ReferArgument.optional(),
  /** Start another draft even when some exist (`refer new`). */
  startNew: z.boolean().optional(),
  /**
   * Whether a label that matches none of the caller's drafts starts one for that person (`refer Amy
   * Fictional`). Off while a walk is open, where words after "refer" may be an answer, not a name.
   */
  startFromLabel: z.boolean().optional(),
});
export type StartOptions = z.infer<typeof StartOptions>;

function sectionsDone(r: Referral): number {
  return REFERRAL_SECTIONS.filter((s) => {
    const v = (r.sections[s.id] ?? null) as Record<string, unknown> | null;
    return v !== null && (s.required as readonly string[]).every((f) => v[f] !== undefined);
  }).length;
}

async function draftSummary(deps: ReferralDeps, r: Referral): Promise<DraftSummary> {
  const c = r.caseId ? await deps.cases.get(r.caseId) : null;
  const caseRef = c?.ok ? c.value.ref : null;
  const initials = initialsOf(r);
  const label = [initials === '?' ? 'Unnamed person' : initials, caseRef].filter(Boolean).join(' · ');
  return {
    referralId: r.id,
    label,
    caseRef,
    startedOn: ukDay(r.createdAt),
    sectionsDone: sectionsDone(r),
    sectionsTotal: REFERRAL_SECTIONS.length,
  };
}

function labelMatches(r: Referral, summary: DraftSummary, label: string): boolean {
  const s = label.toLowerCase().replace(/[.\s]/g, '');
  const n = r.sections.subject?.name;
  const full = n?.given && n.family ? `${n.given}${n.family}`.toLowerCase().replace(/[.\s]/g, '') : null;
  return (
    summary.label
      .toLowerCase()
      .replace(/[.\s·]/g, '')
      .startsWith(s) ||
    summary.caseRef?.toLowerCase() === label.toLowerCase() ||
    (full !== null && full === s)
  );
}

function nameFromLabel(label: string): { given: string; family: string } | undefined {
  const words = label.split(/\s+/).filter(Boolean);
  if (words.length < 2 || words.some((w) => !/^[\p{L}'-]{2,}$/u.test(w))) return undefined;
  return { given: words.slice(0, -1).join(' '), family: words[words.length - 1]! };
}

/**
 * `refer`: resumes the caller's only draft, lists them when there are several, or starts one.
 * `refer <case ref>` starts from a case the caller may see (or resumes the draft already started on
 * it), pre-filling the person and sentence from the case record. `refer <label>` resumes the draft
 * whose person matches, or starts one for that person when the label reads as a first and family
 * name; anything else is refused with a reason and writes nothing. `refer <n>` picks from the list.
 */
export async function startOrResumeDraft(
  deps: ReferralDeps,
  principal: Principal,
  rawOpts: StartOptions,
): Promise<Result<StartOrResumeResult, ReferralError>> {
  const actor = authorise(principal, 'referral.draft', 'Only practitioners and co-ordinators can make referrals.');
  if (!actor.ok) return actor;
  const opts = StartOptions.safeParse(rawOpts);
  if (!opts.success) return err(validation('refer', opts.error.issues[0]?.message ?? 'I could not read that.'));
  const member = principal.member!;
  const drafts = (await deps.referrals.listByReferrer(principal.aadObjectId, { status: 'draft', limit: 20 })).filter(
    (r) => r.areaId === deps.areaId,
  );
  const summaries = await Promise.all(drafts.map((d) => draftSummary(deps, d)));
  const resume = (i: number): Result<StartOrResumeResult, ReferralError> =>
    ok({ kind: 'resumed', referral: drafts[i]!, draft: summaries[i]!, prefilled: [] });
  const base: DraftSections = {
    referrer: {
      referrer: { aadObjectId: member.aadObjectId, displayName: member.displayName },
      agencyId: member.agencyId,
    },
  };
  const create = async (sections: DraftSections, caseId?: string, prefilled: string[] = []) => {
    const area = await loadArea(deps);
    const referral = await deps.referrals.create(
      { areaId: deps.areaId, ...(caseId ? { caseId } : {}), sections: withDerivedValues(sections, area.jurisdiction) },
      { by: actor.value },
    );
    return ok({ kind: 'started', referral, draft: await draftSummary(deps, referral), prefilled } as const);
  };

  const { caseRef, subjectLabel, startNew } = opts.data;
  if (caseRef) {
    const ref = CaseRef.safeParse(caseRef);
    if (!ref.success) return err(validation('caseRef', 'Case references look like MAPPA-2026-0042.'));
    const found = await deps.cases.getByRef(deps.areaId, ref.data);
    if (!found.ok) return err(appError('NOT_FOUND', 'No case with that reference is open to you.'));
    const c = found.value;
    const scope = { areaId: c.areaId, leadAgencyId: c.leadAgencyId, involvedAgencyIds: [] };
    if (!can(principal, 'case.read', { case: scope }).allowed)
      return err(appError('NOT_FOUND', 'No case with that reference is open to you.'));
    const existing = drafts.findIndex((d) => d.caseId === c.id);
    if (existing >= 0) return resume(existing);
    if (!REFERRAL_FROM.includes(c.status)) {
      const why =
        c.status === 'referral_pending'
          ? 'A referral for this case is already with the co-ordinator.'
          : `This case cannot be referred while it is ${c.status.replace(/_/g, ' ')}.`;
      return err(appError('ILLEGAL_TRANSITION', why, { status: c.status }));
    }
    const dossier = await deps.cases.getForReader(c.id, actor.value);
    const area = await loadArea(deps);
    const visor = area.agencies.find((a) => a.id === member.agencyId)?.visorAccess ?? false;
    // The draft is the referrer's own copy of case data: police-only fields never reach it.
    const stored = dossier.ok ? dossier.value.subject : null;
    const subject = stored ? redactForReader('subject', stored, visor) : null;
    const sections: DraftSections = { ...base };
    const prefilled: string[] = [];
    if (subject) {
      sections.subject = {
        subjectId: subject.id,
        name: subject.name,
        aliases: subject.aliases,
        dateOfBirth: subject.dateOfBirth,
        ...(subject.gender ? { gender: subject.gender } : {}),
        ...(subject.ethnicity ? { ethnicity: subject.ethnicity } : {}),
        identifiers: subject.identifiers,
        status: subject.status,
      };
      prefilled.push('The person referred');
    }
    if (c.category) {
      sections.category = { category: c.category };
      prefilled.push('MAPPA category');
    }
    const k = c.keyDates;
    if (k.sentenceDate || k.releaseDate || k.licenceEndDate) {
      sections.offence = {
        ...(k.sentenceDate ? { sentenceDate: k.sentenceDate } : {}),
        ...(k.releaseDate ? { releaseDate: k.releaseDate } : {}),
        ...(k.licenceEndDate ? { licenceEndDate: k.licenceEndDate } : {}),
      };
      prefilled.push('Offence and sentence (dates)');
    }
    return create(sections, c.id, prefilled);
  }

  if (subjectLabel) {
    const n = Number(subjectLabel);
    if (Number.isInteger(n) && String(n) === subjectLabel) {
      if (n >= 1 && n <= drafts.length) return resume(n - 1);
      return err(validation('refer', `There is no draft number ${n}. Type **refer** to see your drafts.`));
    }
    const i = drafts.findIndex((d, j) => labelMatches(d, summaries[j]!, subjectLabel));
    if (i >= 0 && !startNew) return resume(i);
    const name = nameFromLabel(subjectLabel);
    // Initials or words that name no draft and no person would otherwise start an unnamed draft.
    if (!startNew && (!name || opts.data.startFromLabel === false))
      return err(
        validation(
          'refer',
          `You have no draft referral for "${subjectLabel}". Type **refer** to see your drafts, or **refer new** followed by their first and family name to start one.`,
        ),
      );
    return create(name ? { ...base, subject: { name } } : base, undefined, name ? ['The person referred (name)'] : []);
  }

  if (!startNew && drafts.length === 1) return resume(0);
  if (!startNew && drafts.length > 1) return ok({ kind: 'choose', drafts: summaries });
  return create(base);
}

/**
 * The caller's draft with what its questions depend on (area, agencies, ViSOR access): for the
 * dialog, which decides what to ask next from it.
 */
export async function loadDraftForm(
  deps: ReferralDeps,
  principal: Principal,
  referralId: string,
): Promise<Result<{ referral: Referral; form: FormContext }, ReferralError>> {
  const actor = authorise(principal, 'referral.draft', 'Only practitioners and co-ordinators can make referrals.');
  if (!actor.ok) return actor;
  const loaded = await loadOwnReferral(deps, principal, referralId);
  if (!loaded.ok) return loaded;
  const area = await loadArea(deps);
  return ok({ referral: loaded.value, form: formContext(area, loaded.value.sections, principal) });
}

/* ---------- answers ---------- */

export interface SavedAnswer {
  readonly referral: Referral;
  /** Feedback to show after the answer, e.g. which category the eligibility answers support. */
  readonly notes: readonly string[];
}

const RawAnswer = z.union([z.string(), z.number(), z.boolean()]).transform(String).pipe(z.string().max(20_000));

/**
 * Saves one answer to a draft: parsed and checked against the domain section schema, stored at once
 * with a versioned update (retried on a concurrent save, since each answer touches one field). A bad
 * answer comes back as a field error with the input as typed, so nothing the person wrote is lost.
 */
export async function saveSectionAnswer(
  deps: ReferralDeps,
  principal: Principal,
  referralId: string,
  sectionId: string,
  field: string,
  rawValue: unknown,
): Promise<Result<SavedAnswer, ReferralError>> {
  const actor = authorise(principal, 'referral.draft', 'Only practitioners and co-ordinators can make referrals.');
  if (!actor.ok) return actor;
  const raw = RawAnswer.safeParse(rawValue);
  if (!raw.success) return err(validation(field, 'Please type an answer.'));
  const question = findQuestion(sectionId, field);
  if (!question) return err(validation(field, 'That question is not part of the referral.', raw.data));
  const area = await loadArea(deps);
  for (let attempt = 0; ; attempt += 1) {
    const loaded = await loadOwnReferral(deps, principal, referralId);
    if (!loaded.ok) return loaded;
    const referral = loaded.value;
    if (referral.status !== 'draft')
      return err(
        appError('ILLEGAL_TRANSITION', `The referral is already ${referral.status}; it can no longer be edited.`),
      );
    const ctx = formContext(area, referral.sections, principal);
    const applied = applyAnswer(question, raw.data, ctx);
    if (!applied.ok) return err(validation(field, applied.error, raw.data));
    const sections = withDerivedValues(
      { ...referral.sections, [question.section]: applied.value.section },
      area.jurisdiction,
    );
    const saved = await deps.referrals.update(
      referral.id,
      referral.version,
      { sections },
      { by: actor.value, details: { section: question.section } },
    );
    if (saved.ok) return ok({ referral: saved.value, notes: applied.value.notes });
    if (saved.error.code !== 'VERSION_CONFLICT' || attempt >= 2) return err(saved.error);
  }
}

/* ---------- review ---------- */

export interface ReviewFailure {
  readonly code: string;
  readonly section: ReferralSectionId | null;
  readonly message: string;
  /** True when asking the co-ordinator to advise lets the referral go anyway. */
  readonly waivedByAdvise: boolean;
}

export interface SectionReview {
  readonly index: number;
  readonly id: ReferralSectionId;
  readonly title: string;
  readonly complete: boolean;
  readonly missing: readonly string[];
  readonly answers: readonly { label: string; value: string }[];
}

export interface ReferralReview {
  readonly referral: Referral;
  readonly sections: readonly SectionReview[];
  readonly failures: readonly ReviewFailure[];
  /** Everything that stops submission as it stands, in words. */
  readonly blocking: readonly string[];
  readonly ready: boolean;
  /** The only obstacles are level criteria, so "ask the co-ordinator to advise" would let it go. */
  readonly adviseAvailable: boolean;
}

function review(referral: Referral, area: Area, principal: Principal): Omit<ReferralReview, 'referral'> {
  const v = validateReferralForSubmit(referral, area);
  const ctx = formContext(area, referral.sections, principal);
  const advise = referral.sections.reason?.levelRequested === 'advise';
  const failures: ReviewFailure[] = v.failures.map((f) => ({
    code: f.code,
    section: f.section,
    message: f.message,
    waivedByAdvise: CRITERIA_CODES.has(f.code),
  }));
  if (referral.sections.referrer?.managerApproved === false)
    failures.push({
      code: 'MANAGER_NOT_APPROVED',
      section: 'referrer',
      message: 'Your manager must agree the referral before it is submitted.',
      waivedByAdvise: false,
    });
  const labelOf = (section: ReferralSectionId, field: string) =>
    sectionQuestions(section).find((x) => x.field === field)?.label ?? field;
  const sections = REFERRAL_SECTIONS.map((s, index) => {
    const missing = v.missing.filter((m) => m.section === s.id).map((m) => labelOf(s.id, m.field));
    return {
      index,
      id: s.id,
      title: s.title,
      complete: missing.length === 0 && !failures.some((f) => f.section === s.id && !(advise && f.waivedByAdvise)),
      missing,
      answers: sectionAnswers(s.id, ctx).map(({ label, value }) => ({ label, value })),
    };
  });
  const missingText = v.missing.map((m) => `${m.sectionTitle}: ${labelOf(m.section, m.field)} is missing.`);
  const blockingFailures = failures.filter((f) => !(advise && f.waivedByAdvise));
  const blocking = [...missingText, ...blockingFailures.map((f) => f.message)];
  return {
    sections,
    failures,
    blocking,
    ready: blocking.length === 0,
    adviseAvailable:
      !advise && missingText.length === 0 && failures.length > 0 && failures.every((f) => f.waivedByAdvise),
  };
}

/** The whole draft as the referrer will submit it, with what is missing and which tests fail. */
export async function reviewReferral(
  deps: ReferralDeps,
  principal: Principal,
  referralId: string,
): Promise<Result<ReferralReview, ReferralError>> {
  const actor = authorise(principal, 'referral.draft', 'Only practitioners and co-ordinators can make referrals.');
  if (!actor.ok) return actor;
  const loaded = await loadOwnReferral(deps, principal, referralId);
  if (!loaded.ok) return loaded;
  const area = await loadArea(deps);
  return ok({ referral: loaded.value, ...review(loaded.value, area, principal) });
}

/* ---------- submission ---------- */

/** What the co-ordinator's channel card shows: identifying data kept to the minimum. */
export interface ReferralSummary {
  readonly referralId: string;
  readonly version: number;
  readonly status: ReferralStatus;
  readonly caseRef: string | null;
  readonly categoryLabel: string;
  readonly initials: string;
  readonly levelRequested: string;
  readonly referrerName: string;
  readonly referrerAadObjectId: string | null;
  readonly referrerAgency: string;
  readonly submittedOn: IsoDate | null;
  readonly decisionDue: IsoDate | null;
  readonly daysLeft: number | null;
  /** Level tests the facts do not meet, shown when the referrer asked the co-ordinator to advise. */
  readonly advisoryNotes: readonly string[];
  readonly questions: readonly { question: string; answer: string | null; askedOn: IsoDate }[];
  /** Set while the co-ordinator must say which case the referral is about (see IdentityCheck). */
  readonly identityCheck: {
    readonly reason: IdentityCheck['reason'];
    readonly candidates: readonly { caseId: string; ref: string; status: string; leadAgency: string }[];
  } | null;
  readonly decision: {
    readonly outcome: ReferralDecision['outcome'];
    readonly level: Level;
    readonly rationale: string;
    readonly decidedBy: string;
    readonly decidedAt: string;
  } | null;
}

/**
 * The co-ordinator's deadline to decide a submitted referral under the area's policy (10 working days
 * when the area sets none), and the working days left from `today` (negative when overdue).
 */
export function decisionDeadline(
  referral: Referral,
  area: Area,
  today: IsoDate,
): { due: IsoDate; daysLeft: number } | null {
  if (!referral.submittedAt) return null;
  const from = ukDay(referral.submittedAt);
  const due =
    deadlineForArea(area, 'coordinatorDecision', from)?.due ??
    addWorkingDays(from, DEFAULT_DECISION_WORKING_DAYS, areaCalendar(area));
  return { due, daysLeft: workingDaysBetween(today, due, areaCalendar(area)) };
}

async function summarise(deps: ReferralDeps, referral: Referral, area: Area): Promise<ReferralSummary> {
  const s = referral.sections;
  const c = referral.caseId ? await deps.cases.get(referral.caseId) : null;
  const category = s.category?.category;
  const deadline =
    referral.status === 'submitted' ? decisionDeadline(referral, area, ukDateOf(deps.clock.now())) : null;
  const advise =
    s.reason?.levelRequested === 'advise' && s.reason.levelFacts
      ? checkRequestedLevel(category ?? null, 'advise', s.reason.levelFacts, area.jurisdiction)
      : null;
  const questions = await deps.questions.listForReferral(referral.id);
  const agencyName = (id: string) => area.agencies.find((a) => a.id === id)?.name ?? id;
  const candidates = [];
  for (const id of referral.identityCheck?.candidateCaseIds ?? []) {
    const k = await deps.cases.get(id);
    if (k.ok)
      candidates.push({
        caseId: k.value.id,
        ref: k.value.ref,
        status: k.value.status.replace(/_/g, ' '),
        leadAgency: agencyName(k.value.leadAgencyId),
      });
  }
  return {
    referralId: referral.id,
    version: referral.version,
    status: referral.status,
    caseRef: c?.ok ? c.value.ref : null,
    categoryLabel: category ? (categoryInfo(area.jurisdiction, category)?.label ?? category) : 'Not stated',
    initials: initialsOf(referral),
    levelRequested: levelText(s.reason?.levelRequested),
    referrerName: s.referrer?.referrer?.displayName ?? 'Unknown',
    referrerAadObjectId: s.referrer?.referrer?.aadObjectId ?? null,
    referrerAgency: area.agencies.find((a) => a.id === s.referrer?.agencyId)?.name ?? s.referrer?.agencyId ?? 'Unknown',
    submittedOn: referral.submittedAt ? ukDay(referral.submittedAt) : null,
    decisionDue: deadline?.due ?? null,
    daysLeft: deadline?.daysLeft ?? null,
    advisoryNotes: advise && !advise.ok ? advise.error.failures.map((f) => f.message) : [],
    questions: questions.map((q) => ({ question: q.question, answer: q.answer ?? null, askedOn: ukDay(q.askedAt) })),
    identityCheck: referral.identityCheck ? { reason: referral.identityCheck.reason, candidates } : null,
    decision: referral.decision
      ? {
          outcome: referral.decision.outcome,
          level: referral.decision.level,
          rationale: referral.decision.rationale,
          decidedBy: referral.decision.decidedBy.displayName,
          decidedAt: referral.decision.decidedAt,
        }
      : null,
  };
}

/** The co-ordinator card's data for one referral (co-ordinators, or the referrer following it). */
export async function referralSummary(
  deps: ReferralDeps,
  principal: Principal,
  referralId: string,
): Promise<Result<ReferralSummary, ReferralError>> {
  const loaded = await loadAreaReferral(deps, referralId);
  if (!loaded.ok) return loaded;
  const mine = referrerOf(loaded.value) === principal.aadObjectId;
  if (!mine && !can(principal, 'referral.decide').allowed)
    return err(appError('NOT_FOUND', 'That referral was not found.'));
  return ok(await summarise(deps, loaded.value, await loadArea(deps)));
}

/**
 * The summary behind the card everyone in the co-ordinator channel sees. No reader check: callers
 * must render it with the channel view (references, initials and status only, no free text).
 */
export async function referralSummaryForChannel(
  deps: ReferralDeps,
  referralId: string,
): Promise<Result<ReferralSummary, ReferralError>> {
  const loaded = await loadAreaReferral(deps, referralId);
  if (!loaded.ok) return loaded;
  return ok(await summarise(deps, loaded.value, await loadArea(deps)));
}

async function saveCase(
  deps: ReferralDeps,
  actor: RequestActor,
  caseId: string,
  step: (c: Case) => Result<Case, AppError>,
  action: 'case.updated' | 'case.decision_recorded',
): Promise<Result<CaseRecord, AppError>> {
  // One retry: the case may have been touched (e.g. a key date) between our read and write.
  for (let attempt = 0; ; attempt += 1) {
    const current = await deps.cases.get(caseId);
    if (!current.ok) return current;
    const next = step(current.value);
    if (!next.ok) return next;
    const saved = await deps.cases.save(next.value, { by: actor, action });
    if (saved.ok || saved.error.code !== 'VERSION_CONFLICT' || attempt >= 1) return saved;
  }
}

type Linked =
  | { readonly kind: 'linked'; readonly caseRecord: CaseRecord; readonly referral: Referral }
  | { readonly kind: 'check'; readonly referral: Referral; readonly check: IdentityCheck };

function newCaseFor(deps: ReferralDeps, area: Area, actor: RequestActor, referral: Referral, subjectId: string) {
  const s = referral.sections;
  return {
    areaId: deps.areaId,
    jurisdiction: area.jurisdiction,
    subjectId,
    status: 'notified' as const,
    category: s.category!.category!,
    level: null,
    leadAgencyId: s.referrer!.agencyId!,
    leadOfficer: { name: actor.displayName, aadObjectId: actor.aadObjectId },
    keyDates: {
      ...(s.offence?.sentenceDate ? { sentenceDate: s.offence.sentenceDate } : {}),
      ...(s.offence?.releaseDate ? { releaseDate: s.offence.releaseDate } : {}),
      ...(s.offence?.licenceEndDate ? { licenceEndDate: s.offence.licenceEndDate } : {}),
    },
    history: [],
  };
}

/** The person in the referral as a new subject record (only called when nobody matches). */
function newSubjectFor(deps: ReferralDeps, referral: Referral) {
  const subj = referral.sections.subject!;
  return {
    areaId: deps.areaId,
    name: subj.name!,
    aliases: subj.aliases ?? [],
    dateOfBirth: subj.dateOfBirth!,
    ...(subj.gender ? { gender: subj.gender } : {}),
    ...(subj.ethnicity ? { ethnicity: subj.ethnicity } : {}),
    identifiers: subj.identifiers ?? {},
    status: subj.status!,
  };
}

/**
 * The case the referral is about, by the domain's one identity rule: the linked case; else the open
 * case of the same person (name, date of birth and a reference number all agreeing), or a new person
 * and case. A reference number shared with someone of another name or date of birth links nothing:
 * the referral goes to the co-ordinator with an identity check. Each step is recorded on the referral
 * (subject id, then case id) so a retry after a crash resumes instead of duplicating.
 */
async function ensureCase(
  deps: ReferralDeps,
  actor: RequestActor,
  referral: Referral,
  area: Area,
): Promise<Result<Linked, ReferralError>> {
  if (referral.caseId) {
    const c = await deps.cases.get(referral.caseId);
    if (!c.ok) return err(appError('NOT_FOUND', 'The case this referral belongs to no longer exists.'));
    return ok({ kind: 'linked', caseRecord: c.value, referral });
  }
  const subj = referral.sections.subject!;
  const wanted = { name: subj.name!, dateOfBirth: subj.dateOfBirth, identifiers: subj.identifiers ?? {} };
  let current = referral;
  let subjectId = subj.subjectId;
  if (!subjectId) {
    const matches = await matchPerson(deps.subjects, deps.areaId, wanted);
    if (matches.conflicting.length > 0) {
      const candidateCaseIds = await conflictingOpenCaseIds(deps.cases, deps.areaId, matches.conflicting);
      return ok({ kind: 'check', referral, check: { reason: 'identifier_conflict', candidateCaseIds } });
    }
    const person = await ensurePerson({ subjects: deps.subjects, claims: deps.claims }, deps.areaId, wanted, () =>
      deps.subjects.create(newSubjectFor(deps, referral), { by: actor }),
    );
    subjectId = person.subject.id;
    const recorded = await deps.referrals.update(
      referral.id,
      referral.version,
      { sections: { ...referral.sections, subject: { ...subj, subjectId } } },
      { by: actor, details: { section: 'subject' } },
    );
    if (!recorded.ok) return err(recorded.error);
    current = recorded.value;
  }
  const { caseRecord } = await ensureOpenCase(
    { cases: deps.cases, claims: deps.claims },
    deps.areaId,
    subjectId,
    () => newCaseFor(deps, area, actor, current, subjectId),
    { by: actor },
  );
  return ok({ kind: 'linked', caseRecord, referral: current });
}

export interface SubmittedReferral {
  readonly referral: Referral;
  readonly summary: ReferralSummary;
  /** The case reference to tell the referrer: only for a referral they started from a case they could see. */
  readonly caseRefForReferrer: string | null;
}

/**
 * Submits the version the referrer reviewed. Refused, with every reason in words, while required
 * answers are missing or the facts fail the requested level's test; asking the co-ordinator to advise
 * (`askCoordinatorToAdvise`, or 'advise' as the level) lets a referral with only level-test gaps go.
 * A referral with no case yet gets one (and its person) so the co-ordinator always decides on a case.
 */
export async function submitReferral(
  deps: ReferralDeps,
  principal: Principal,
  referralId: string,
  expectedVersion: number,
  opts: { askCoordinatorToAdvise?: boolean } = {},
): Promise<Result<SubmittedReferral, ReferralError>> {
  const actor = authorise(principal, 'referral.draft', 'Only practitioners and co-ordinators can make referrals.');
  if (!actor.ok) return actor;
  const loaded = await loadOwnReferral(deps, principal, referralId);
  if (!loaded.ok) return loaded;
  let referral = loaded.value;
  if (referral.status !== 'draft')
    return err(
      appError('ILLEGAL_TRANSITION', `The referral is already ${referral.status}.`, { status: referral.status }),
    );
  if (referral.version !== expectedVersion)
    return err(appError('VERSION_CONFLICT', 'The referral changed since you reviewed it. Please review it again.'));
  const area = await loadArea(deps);

  if (opts.askCoordinatorToAdvise && referral.sections.reason?.levelRequested !== 'advise') {
    const reason = { ...referral.sections.reason, levelRequested: 'advise' as const };
    const saved = await deps.referrals.update(
      referral.id,
      referral.version,
      { sections: { ...referral.sections, reason } },
      { by: actor.value, details: { section: 'reason' } },
    );
    if (!saved.ok) return err(saved.error);
    referral = saved.value;
  }

  const checked = review(referral, area, principal);
  if (!checked.ready)
    return err({
      ...appError('REFERRAL_INCOMPLETE', 'The referral cannot be submitted yet.', { count: checked.blocking.length }),
      reasons: checked.blocking,
      adviseAvailable: checked.adviseAvailable,
    });

  const today = ukDateOf(deps.clock.now());
  // Named back to the referrer only when they started from a case they could already see: a case
  // found from what they typed may be one they cannot see, and naming it would say the person is known.
  const startedFromCase = referral.caseId !== undefined;
  const linked = await ensureCase(deps, actor.value, referral, area);
  if (!linked.ok) return linked;
  referral = linked.value.referral;
  let check: IdentityCheck | null = linked.value.kind === 'check' ? linked.value.check : null;
  const target = linked.value.kind === 'linked' ? linked.value.caseRecord : null;
  if (target) {
    const legal = transition(target, { type: 'REFERRAL_SUBMITTED', referralId: referral.id, on: today });
    if (!legal.ok) {
      const visible = can(principal, 'case.read', {
        case: { areaId: target.areaId, leadAgencyId: target.leadAgencyId, involvedAgencyIds: [] },
      }).allowed;
      if (startedFromCase || visible) {
        const why =
          target.status === 'referral_pending'
            ? `A referral for this person is already with the co-ordinator (case ${target.ref}).`
            : `Case ${target.ref} cannot be referred while it is ${target.status.replace(/_/g, ' ')}.`;
        return err(appError('ILLEGAL_TRANSITION', why, { status: target.status }));
      }
      // The referrer cannot see this case: the co-ordinator sorts it out, and the reply says nothing of it.
      check = { reason: 'case_not_open_to_referral', candidateCaseIds: [target.id] };
    }
  }
  if (check) {
    const flagged = await deps.referrals.update(
      referral.id,
      referral.version,
      { identityCheck: check },
      { by: actor.value, details: { identity: check.reason } },
    );
    if (!flagged.ok) return err(flagged.error);
    referral = flagged.value;
  } else if (target && referral.caseId !== target.id) {
    const linkedNow = await deps.referrals.update(
      referral.id,
      referral.version,
      { caseId: target.id },
      { by: actor.value },
    );
    if (!linkedNow.ok) return err(linkedNow.error);
    referral = linkedNow.value;
  }

  const submitted = await deps.referrals.submit(referral.id, referral.version, deps.clock.now().toISOString(), {
    by: actor.value,
  });
  if (!submitted.ok)
    return err(
      submitted.error.code === 'ALREADY_DECIDED'
        ? appError('ILLEGAL_TRANSITION', 'The referral has already been decided.')
        : submitted.error,
    );
  if (target && !check) {
    // Checked legal above; a lost race here leaves the referral with the co-ordinator regardless, and
    // the decision step only touches a case that is pending on this referral.
    await saveCase(
      deps,
      actor.value,
      target.id,
      (c) => transition(c, { type: 'REFERRAL_SUBMITTED', referralId: referral.id, on: today }),
      'case.updated',
    );
  }
  const summary = await summarise(deps, submitted.value, area);
  return ok({ referral: submitted.value, summary, caseRefForReferrer: startedFromCase ? summary.caseRef : null });
}

/* ---------- the co-ordinator's decision ---------- */

export const DecideReferralInput = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('approve'),
    level: z.coerce.number().pipe(z.literal([2, 3], { error: 'Approve at Level 2 or Level 3.' })),
    note: z.string().trim().max(4000, 'Keep the note under 4,000 characters.').default(''),
    /** Only for a referral awaiting an identity check: a candidate case id, or 'new' for a new person. */
    identity: z.string().trim().max(64).optional(),
  }),
  z.object({
    outcome: z.literal('reject'),
    reason: z
      .string({ error: 'Give a reason for rejecting the referral.' })
      .trim()
      .min(1, 'Give a reason for rejecting the referral.')
      .max(4000, 'Keep the reason under 4,000 characters.'),
  }),
]);
export type DecideReferralInput = z.input<typeof DecideReferralInput>;

export interface DecidedReferral {
  readonly referral: Referral;
  readonly decision: ReferralDecision;
  /** True when someone (or an earlier click) had already decided: nothing was changed. */
  readonly alreadyDecided: boolean;
  /** Last day for the first Level 2/3 meeting under the area's policy, on approval. */
  readonly firstMeetingDue: IsoDate | null;
  /** For a rejection: what the lead agency should do instead. */
  readonly advice: string | null;
  readonly summary: ReferralSummary;
}

export const LEVEL_1_ADVICE =
  'Manage at Level 1 with multi-agency information sharing through the lead agency; refer again if the risk or the plan changes.';
const CAT3_DECLINED_ADVICE =
  'Category 3 cases cannot be managed at Level 1: if Level 2 is not needed the person does not meet Category 3. Review the category with the lead agency.';

function firstMeetingDue(area: Area, referral: Referral, decision: ReferralDecision): IsoDate | null {
  if (decision.outcome !== 'accepted' || decision.level === 1) return null;
  // Level 3's clock runs from the referral; Level 2's from the co-ordinator's acceptance (SCO national text).
  const from = decision.level === 3 && referral.submittedAt ? ukDay(referral.submittedAt) : ukDay(decision.decidedAt);
  return deadlineForArea(area, decision.level === 2 ? 'firstLevel2Meeting' : 'firstLevel3Meeting', from)?.due ?? null;
}

function adviceFor(referral: Referral, decision: ReferralDecision): string | null {
  if (decision.outcome !== 'declined') return null;
  return referral.sections.category?.category === 'cat3' ? CAT3_DECLINED_ADVICE : LEVEL_1_ADVICE;
}

/**
 * The co-ordinator approves at Level 2 or 3, or rejects with a reason. Idempotent: once decided, a
 * repeat (a double click, a second co-ordinator) returns the recorded decision with
 * `alreadyDecided: true`. The level decision is recorded on the case through the domain state machine,
 * with the rationale, and approval gives the first meeting's due date for the area's jurisdiction.
 */
export async function decideReferral(
  deps: ReferralDeps,
  principal: Principal,
  referralId: string,
  rawDecision: unknown,
): Promise<Result<DecidedReferral, ReferralError>> {
  const actor = authorise(principal, 'referral.decide', 'Only the MAPPA co-ordinator can decide referrals.');
  if (!actor.ok) return actor;
  const loaded = await loadAreaReferral(deps, referralId);
  if (!loaded.ok) return loaded;
  const area = await loadArea(deps);
  const already = async (r: Referral): Promise<Result<DecidedReferral, ReferralError>> =>
    ok({
      referral: r,
      decision: r.decision!,
      alreadyDecided: true,
      firstMeetingDue: firstMeetingDue(area, r, r.decision!),
      advice: adviceFor(r, r.decision!),
      summary: await summarise(deps, r, area),
    });
  let referral = loaded.value;
  if (referral.decision) return already(referral);
  if (referral.status !== 'submitted')
    return err(appError('ILLEGAL_TRANSITION', `The referral is ${referral.status}, so it cannot be decided.`));

  const parsed = DecideReferralInput.safeParse(rawDecision);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? 'decision');
    return err(validation(field, issue.message));
  }
  const input = parsed.data;
  const s = referral.sections;
  const now = deps.clock.now().toISOString();
  let level: Level;
  let rationale: string;
  if (input.outcome === 'approve') {
    level = input.level;
    const check = s.reason?.levelFacts
      ? checkRequestedLevel(s.category?.category ?? null, level, s.reason.levelFacts, area.jurisdiction)
      : null;
    if (check?.ok) {
      rationale = [input.note, `Level ${level} test met: ${check.value.reasons.join('; ')}.`].filter(Boolean).join(' ');
    } else if (input.note !== '') {
      rationale = input.note;
    } else {
      const why = check && !check.ok ? check.error.failures.map((f) => f.message).join(' ') : '';
      return err(
        validation(
          `noteL${level}`,
          `The stated facts do not meet the Level ${level} test. ${why} Add a note saying why Level ${level} is needed.`.replace(
            /\s+/g,
            ' ',
          ),
        ),
      );
    }
  } else {
    rationale = input.reason;
    level = 1;
  }

  if (input.outcome === 'approve' && referral.identityCheck) {
    const resolved = await resolveIdentity(deps, actor.value, referral, referral.identityCheck, area, input.identity);
    if (!resolved.ok) return resolved;
    referral = resolved.value;
  }

  const caseId = referral.caseId;
  const current = caseId ? await deps.cases.get(caseId) : null;
  const c = current?.ok ? current.value : null;
  if (input.outcome === 'reject') level = c?.level ?? 1;
  const decision: ReferralDecision = {
    outcome: input.outcome === 'approve' ? 'accepted' : 'declined',
    level,
    rationale,
    decidedBy: { aadObjectId: actor.value.aadObjectId, displayName: actor.value.displayName },
    decidedAt: now,
  };
  const caseStep = (k: Case): Result<Case, AppError> => {
    if (k.status !== 'referral_pending' || k.pendingReferralId !== referral.id) return ok(k);
    // A declined Category 3 referral has no lawful level to record, so it only releases the case.
    if (decision.outcome === 'declined' && k.category === 'cat3' && k.level === null)
      return transition(k, { type: 'REFERRAL_WITHDRAWN', referralId: referral.id });
    return transition(k, {
      type: 'LEVEL_DECIDED',
      decision: {
        id: `${referral.id}:decision`,
        kind: 'level',
        to: decision.outcome === 'declined' ? (k.level ?? 1) : level,
        actor: decision.decidedBy,
        decidedAt: now,
        rationale,
        source: { type: 'referral', id: referral.id },
      },
    });
  };
  if (c) {
    const pre = caseStep(c);
    if (!pre.ok) return err(appError('ILLEGAL_TRANSITION', pre.error.message, { status: c.status }));
  }

  const decided = await deps.referrals.decide(referral.id, decision, { by: actor.value });
  if (!decided.ok) {
    if (decided.error.code === 'ALREADY_DECIDED') {
      const again = await deps.referrals.get(referral.id);
      if (again.ok && again.value.decision) return already(again.value);
    }
    return err(
      decided.error.code === 'ALREADY_DECIDED' ? appError('ILLEGAL_TRANSITION', decided.error.message) : decided.error,
    );
  }
  referral = decided.value;
  if (caseId) await saveCase(deps, actor.value, caseId, caseStep, 'case.decision_recorded');
  return ok({
    referral,
    decision,
    alreadyDecided: false,
    firstMeetingDue: firstMeetingDue(area, referral, decision),
    advice: adviceFor(referral, decision),
    summary: await summarise(deps, referral, area),
  });
}

const IDENTITY_NEEDED =
  'Say which case this referral belongs to: the same person as an existing case, or a new person.';

/**
 * The co-ordinator's answer to an identity check, applied before approval: the chosen candidate case
 * or a new person and case, moved to 'referral pending' on this referral, then the referral linked in
 * one conditional write. A retry after a crash finds the case already pending on this referral and
 * the new person already made (the identity rule matches them), so it completes without duplicates.
 */
async function resolveIdentity(
  deps: ReferralDeps,
  actor: RequestActor,
  referral: Referral,
  check: IdentityCheck,
  area: Area,
  choice: string | undefined,
): Promise<Result<Referral, ReferralError>> {
  if (!choice) return err(validation('identity', IDENTITY_NEEDED));
  let target: CaseRecord;
  if (choice === 'new') {
    const subj = referral.sections.subject!;
    const wanted = { name: subj.name!, dateOfBirth: subj.dateOfBirth, identifiers: subj.identifiers ?? {} };
    const person = await ensurePerson({ subjects: deps.subjects, claims: deps.claims }, deps.areaId, wanted, () =>
      deps.subjects.create(newSubjectFor(deps, referral), { by: actor }),
    );
    const opened = await ensureOpenCase(
      { cases: deps.cases, claims: deps.claims },
      deps.areaId,
      person.subject.id,
      () => newCaseFor(deps, area, actor, referral, person.subject.id),
      { by: actor },
    );
    target = opened.caseRecord;
  } else {
    if (!check.candidateCaseIds.includes(choice)) return err(validation('identity', IDENTITY_NEEDED));
    const found = await deps.cases.get(choice);
    if (!found.ok) return err(validation('identity', 'That case no longer exists. Choose again.'));
    target = found.value;
  }
  const today = ukDateOf(deps.clock.now());
  if (!(target.status === 'referral_pending' && target.pendingReferralId === referral.id)) {
    const moved = await saveCase(
      deps,
      actor,
      target.id,
      (c) =>
        c.status === 'referral_pending' && c.pendingReferralId === referral.id
          ? ok(c)
          : transition(c, { type: 'REFERRAL_SUBMITTED', referralId: referral.id, on: today }),
      'case.updated',
    );
    if (!moved.ok)
      return err(
        validation(
          'identity',
          `Case ${target.ref} cannot take this referral while it is ${target.status.replace(/_/g, ' ')}. Choose another, or reject the referral.`,
        ),
      );
  }
  const linked = await deps.referrals.resolveIdentity(referral.id, referral.version, target.id, { by: actor });
  if (!linked.ok) {
    const again = await deps.referrals.get(referral.id);
    if (again.ok && again.value.caseId === target.id && !again.value.identityCheck) return ok(again.value);
    return err(appError('VERSION_CONFLICT', 'The referral changed while you were deciding. Please try again.'));
  }
  return ok(linked.value);
}

/* ---------- questions and answers ---------- */

const QuestionText = z
  .string({ error: 'Write the question for the referrer.' })
  .trim()
  .min(1, 'Write the question for the referrer.')
  .max(2000, 'Keep the question under 2,000 characters.');
const AnswerText = z
  .string({ error: 'Write your answer.' })
  .trim()
  .min(1, 'Write your answer.')
  .max(4000, 'Keep the answer under 4,000 characters.');

/**
 * The co-ordinator asks the referrer for more before deciding. Returns the question and who to tell,
 * so the caller can post it to the referrer's chat.
 */
export async function requestMoreInformation(
  deps: ReferralDeps,
  principal: Principal,
  referralId: string,
  question: unknown,
): Promise<
  Result<{ question: ReferralQuestion; referrerAadObjectId: string | null; summary: ReferralSummary }, ReferralError>
> {
  const actor = authorise(principal, 'referral.decide', 'Only the MAPPA co-ordinator can ask about a referral.');
  if (!actor.ok) return actor;
  const text = QuestionText.safeParse(question);
  if (!text.success) return err(validation('question', text.error.issues[0]!.message));
  const loaded = await loadAreaReferral(deps, referralId);
  if (!loaded.ok) return loaded;
  if (loaded.value.status !== 'submitted')
    return err(
      appError('ILLEGAL_TRANSITION', `The referral is ${loaded.value.status}; questions are for submitted referrals.`),
    );
  const asked = await deps.questions.ask(
    {
      referralId: loaded.value.id,
      areaId: loaded.value.areaId,
      question: text.data,
      askedBy: { aadObjectId: actor.value.aadObjectId, displayName: actor.value.displayName },
    },
    { by: actor.value },
  );
  const area = await loadArea(deps);
  return ok({
    question: asked,
    referrerAadObjectId: referrerOf(loaded.value) ?? null,
    summary: await summarise(deps, loaded.value, area),
  });
}

/** The referrer (or anyone the case is open to) answers the oldest open question on the referral. */
export async function answerInformationRequest(
  deps: ReferralDeps,
  principal: Principal,
  referralId: string,
  answer: unknown,
): Promise<Result<{ question: ReferralQuestion; summary: ReferralSummary }, ReferralError>> {
  const text = AnswerText.safeParse(answer);
  if (!text.success) return err(validation('answer', text.error.issues[0]!.message));
  const loaded = await loadAreaReferral(deps, referralId);
  if (!loaded.ok) return loaded;
  const r = loaded.value;
  const c = r.caseId ? await deps.cases.get(r.caseId) : null;
  const scope = {
    areaId: r.areaId,
    leadAgencyId: c?.ok ? c.value.leadAgencyId : (r.sections.referrer?.agencyId ?? ''),
    involvedAgencyIds: [],
    ...(referrerOf(r) ? { referrerAadObjectId: referrerOf(r)! } : {}),
  };
  if (!can(principal, 'referral.answerQuestion', { case: scope }).allowed)
    return err(appError('NOT_FOUND', 'That referral was not found.'));
  const open = (await deps.questions.listForReferral(r.id)).find((q) => q.answer === undefined);
  if (!open) return err(validation('answer', 'There is no open question on this referral.'));
  const actor = actorOf(principal);
  const answered = await deps.questions.answer(
    open.id,
    { text: text.data, by: { aadObjectId: actor.aadObjectId, displayName: actor.displayName } },
    { by: actor },
  );
  if (!answered.ok)
    return err(
      answered.error.code === 'ALREADY_DECIDED'
        ? validation('answer', 'Someone has just answered that question.')
        : answered.error,
    );
  return ok({ question: answered.value, summary: await summarise(deps, r, await loadArea(deps)) });
}

/* ---------- export ---------- */

/**
 * Everything `renderMappaADocx` needs, for the co-ordinator or the referrer. Police-only fields are
 * withheld from readers whose agency has no ViSOR access (the renderer redacts on this flag).
 */
export async function prepareMappaAExport(
  deps: ReferralDeps,
  principal: Principal,
  referralId: string,
): Promise<
  Result<
    {
      referral: Referral;
      caseRef?: string;
      areaName: string;
      formLabel: string;
      readerHasVisorAccess: boolean;
      agencyNames: Record<string, string>;
    },
    ReferralError
  >
> {
  const loaded = await loadAreaReferral(deps, referralId);
  if (!loaded.ok) return loaded;
  const mine = referrerOf(loaded.value) === principal.aadObjectId;
  if (!mine && !can(principal, 'referral.decide').allowed)
    return err(appError('NOT_FOUND', 'That referral was not found.'));
  const area = await loadArea(deps);
  const c = loaded.value.caseId ? await deps.cases.get(loaded.value.caseId) : null;
  const reader = area.agencies.find((a) => a.id === principal.member?.agencyId);
  return ok({
    referral: loaded.value,
    ...(c?.ok ? { caseRef: c.value.ref } : {}),
    areaName: area.name,
    formLabel: area.labels.referralForm,
    readerHasVisorAccess: reader?.visorAccess ?? false,
    agencyNames: Object.fromEntries(area.agencies.map((a) => [a.id, a.name])),
  });
}
