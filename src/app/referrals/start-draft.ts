import { z } from 'zod';
import { REFERRAL_FROM } from '../../domain/case-lifecycle';
import type { IsoDate } from '../../domain/dates';
import { redactForReader } from '../../domain/police-only';
import { can, type Principal } from '../../domain/policy';
import { REFERRAL_SECTIONS } from '../../domain/referral-sections';
import type { Referral } from '../../domain/referral.schema';
import { appError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import { CaseRef } from '../ports/case-repository.port';
import { withDerivedValues, type DraftSections, type FormContext } from './referral-form';
import {
  authorise,
  DRAFT_REFUSAL,
  formContext,
  initialsOf,
  loadArea,
  loadOwnReferral,
  ukDay,
  validation,
  type ReferralDeps,
  type ReferralError,
} from './shared';

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
  const actor = authorise(principal, 'referral.draft', DRAFT_REFUSAL);
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
      {
        areaId: deps.areaId,
        ...(caseId ? { caseId, startedFromCase: true } : {}),
        sections: withDerivedValues(sections, area.jurisdiction),
      },
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
  const actor = authorise(principal, 'referral.draft', DRAFT_REFUSAL);
  if (!actor.ok) return actor;
  const loaded = await loadOwnReferral(deps, principal, referralId);
  if (!loaded.ok) return loaded;
  const area = await loadArea(deps);
  return ok({ referral: loaded.value, form: formContext(area, loaded.value.sections, principal) });
}
