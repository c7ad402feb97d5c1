import type { TurnContext } from 'botbuilder';
import type { z } from 'zod';
import { loadDraftForm, StartOptions, type StartOrResumeResult } from '../../../app/referrals';
import type { Principal } from '../../../domain/policy';
import type { ReferralDialogConfig } from './config';
import { takePlace } from './places';
import { COMMAND_HELP } from './questions';
import { firstRequiredGap, groupAt, REVIEW, WALK, type Pointer, type ReviewState } from './walk';

/** What `refer …` passes in; also the dialog's begin options, checked by the use case's schema. */
export const ReferralDialogOptions = StartOptions;
export type ReferralDialogOptions = StartOptions;

/** Parses the arguments of the `refer` command into dialog options. */
export function referDialogOptions(args: string): ReferralDialogOptions {
  const a = args.trim();
  if (a === '') return {};
  const newer = /^new\b\s*([\s\S]*)$/i.exec(a);
  if (newer) return newer[1] ? { startNew: true, subjectLabel: newer[1] } : { startNew: true };
  // Anything that starts like a case reference is one, so a mistyped one is named as such.
  if (/^mappa[-\s]*\d/i.test(a)) return { caseRef: a };
  return { subjectLabel: a };
}

/** A draft to open: what to tell the person, and where its walk starts. */
interface Opening {
  readonly message: string;
  readonly dialogId: typeof WALK | typeof REVIEW;
  readonly options: Pointer | z.infer<typeof ReviewState>;
}

/** What to say on opening a started or resumed draft, and where to pick it up. */
export async function openDraft(
  config: ReferralDialogConfig,
  turn: TurnContext,
  principal: Principal,
  r: Exclude<StartOrResumeResult, { kind: 'choose' }>,
  opts: StartOptions,
): Promise<Opening | string> {
  const form = await loadDraftForm(config.deps, principal, r.referral.id);
  if (!form.ok) return form.error.message;
  const referralId = r.referral.id;
  if (r.kind === 'started') {
    const prefilled =
      r.prefilled.length > 0
        ? ` I filled in ${r.referral.caseId ? 'what the case record says for' : 'from what you typed'}: ${r.prefilled.join(', ')}. Please check it at the end.`
        : '';
    const unnamed =
      opts.subjectLabel && !r.referral.sections.subject?.name
        ? ` I could not take a first and family name from "${opts.subjectLabel}", so I will ask for it.`
        : '';
    return {
      message: `I've started a MAPPA A referral (${r.draft.label}).${prefilled}${unnamed} I'll go section by section and save each answer as soon as you give it. ${COMMAND_HELP}`,
      dialogId: WALK,
      options: { referralId, section: 0, field: 0 },
    };
  }
  const message = `Welcome back to your referral for ${r.draft.label} (${r.draft.sectionsDone} of ${r.draft.sectionsTotal} sections complete). ${COMMAND_HELP}`;
  const place = await takePlace(config, turn, referralId);
  if (place && 'review' in place) return { message, dialogId: REVIEW, options: { referralId } };
  const at = place && groupAt(place) ? place : firstRequiredGap(form.value.form);
  return at
    ? { message, dialogId: WALK, options: { referralId, ...at, ask: true } }
    : { message, dialogId: REVIEW, options: { referralId } };
}
