import type { DialogContext, DialogTurnResult } from 'botbuilder-dialogs';
import { isAnswered } from '../../../app/referrals';
import { REFERRAL_SECTIONS } from '../../../domain/referral-sections';
import { loadOpenDraft, restart, type ReferralDialogConfig } from './config';
import { groupAt, REVIEW, sectionGroups, stepQuestions, WALK, type Pointer } from './walk';

/* Moving on from a step: what comes after it, and the answer to "Is this right?". */

const titleOf = (section: number) => REFERRAL_SECTIONS[section]!.title;

/** After a step is answered (or kept, or left blank): the next step, or the questions the answers made apply. */
export async function advance(
  config: ReferralDialogConfig,
  dc: DialogContext,
  p: Pointer,
  lead: string,
  shown?: readonly string[],
): Promise<DialogTurnResult> {
  const groups = sectionGroups(p.section);
  const g = groupAt(p);
  // Questions the card's answers made apply get a card of their own (once: not after that card).
  if (shown && g && !p.only) {
    const loaded = await loadOpenDraft(config, dc.context, p.referralId);
    if (typeof loaded === 'string') {
      await dc.context.sendActivity(loaded);
      return dc.cancelAllDialogs();
    }
    const late = stepQuestions({ ...p, only: undefined }, loaded.form).filter(
      (x) => !shown.includes(x.id) && (!x.required || !isAnswered(x, loaded.form.sections, loaded.form)),
    );
    if (late.length > 0)
      return restart(dc, WALK, {
        referralId: p.referralId,
        section: p.section,
        ...(p.editOnly ? { editOnly: true } : {}),
        ...(p.open ? { open: true } : {}),
        field: g.first,
        ask: true,
        only: late.map((x) => x.id),
        lead,
      } satisfies Pointer);
  }
  const i = groups.findIndex((x) => x.first === g?.first);
  const next = groups[i + 1];
  if (next)
    return restart(dc, WALK, {
      referralId: p.referralId,
      section: p.section,
      field: next.first,
      ...(p.editOnly ? { editOnly: true } : {}),
      ...(p.open ? { open: true } : {}),
      lead,
    } satisfies Pointer);
  if (p.editOnly) return restart(dc, REVIEW, { referralId: p.referralId, lead });
  return restart(dc, WALK, { referralId: p.referralId, section: p.section + 1, field: 0, lead } satisfies Pointer);
}

/** "Is this right?": yes moves to the next section; change shows every step of this one. */
export function confirmed(dc: DialogContext, p: Pointer, yes: boolean): Promise<DialogTurnResult> {
  if (yes)
    return restart(dc, WALK, {
      referralId: p.referralId,
      section: p.section + 1,
      field: 0,
      lead: `Kept ${titleOf(p.section)} as it is.`,
    } satisfies Pointer);
  return restart(dc, WALK, {
    referralId: p.referralId,
    section: p.section,
    field: 0,
    ask: true,
    open: true,
  } satisfies Pointer);
}
