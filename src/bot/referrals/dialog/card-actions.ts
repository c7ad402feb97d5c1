import { MessageFactory } from 'botbuilder';
import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { z } from 'zod';
import { isAnswered, loadDraftForm, saveCardAnswers } from '../../../app/referrals';
import { formatUkDate } from '../../../domain/format';
import { REFERRAL_SECTIONS } from '../../../domain/referral-sections';
import { cardAttachment } from '../../cards/render';
import { WalkAnswer, WalkEdit, WalkSave, WalkSubmit } from '../catalogue';
import { loadOpenDraft, restart, type ReferralDialogConfig } from './config';
import { onCommand } from './commands';
import { advance, confirmed } from './moves';
import { stepCard } from './step.card';
import { submitDraft } from './submit.step';
import { groupAt, openDraftOf, REVIEW, stepQuestions, WALK, type Pointer } from './walk';

/* The walk's and the review card's buttons (Action.Submit), read by the dialog while it is open. */

export const CardAction = z.union([WalkEdit, WalkSubmit, WalkSave, WalkAnswer]);
export type CardAction = z.output<typeof CardAction>;

/** What the review step keeps between turns: the id of the card it sent, for Submit to replace. */
export type ReviewValues = { cardId?: string };

/** The review card on screen, for a Submit pressed on it (Teams names it as replyToId) or typed. */
function reviewCardIdOf(dc: DialogContext): string | undefined {
  const review = dc.stack.find((i) => i.id === REVIEW);
  const id = (review?.state as { values?: ReviewValues } | undefined)?.values?.cardId;
  return dc.context.activity.replyToId ?? (typeof id === 'string' ? id : undefined);
}

const sectionIndexOf = (id: string) => REFERRAL_SECTIONS.findIndex((s) => s.id === id);
const titleOf = (section: number) => REFERRAL_SECTIONS[section]!.title;
const listed = (labels: readonly string[]) => labels.map((l) => `"${l}"`).join(', ');

export async function onCardAction(
  config: ReferralDialogConfig,
  dc: DialogContext,
  action: CardAction,
): Promise<DialogTurnResult> {
  const open = openDraftOf(dc);
  // Words about a card from another moment must not end the walk the person is in the middle of.
  const answer = async (message: string): Promise<DialogTurnResult> => {
    await dc.context.sendActivity(message);
    return open ? Dialog.EndOfTurn : dc.cancelAllDialogs();
  };
  switch (action.verb) {
    case 'referral.save':
      if (!open) {
        // An old card of a referral since submitted: say so, not that a draft is kept.
        const loaded = action.referralId
          ? await loadOpenDraft(config, dc.context, action.referralId)
          : 'no referral named';
        if (typeof loaded === 'string' && action.referralId) return answer(loaded);
        return answer('Your draft is saved: every answer is saved as you give it. Type **refer** to carry on.');
      }
      return (await onCommand(config, dc, 'save')) ?? Dialog.EndOfTurn;
    case 'referral.edit': {
      const section = sectionIndexOf(action.sectionId);
      const loaded =
        section < 0
          ? 'That section is not part of the referral.'
          : await loadOpenDraft(config, dc.context, action.referralId);
      if (typeof loaded === 'string') return answer(loaded);
      return restart(dc, WALK, {
        referralId: action.referralId,
        section,
        field: 0,
        editOnly: true,
        ask: true,
      } satisfies Pointer);
    }
    case 'referral.submit': {
      const principal = await config.principalOf(dc.context);
      if (!principal) return dc.cancelAllDialogs();
      const now = await loadDraftForm(config.deps, principal, action.referralId);
      if (!now.ok)
        return answer(
          open
            ? now.error.message
            : 'That referral card is out of date. Type **refer** to carry on with your referral.',
        );
      const r = now.value.referral;
      if (r.status !== 'draft')
        return answer(
          `This referral was already ${r.status}${r.submittedAt ? ` on ${formatUkDate(r.submittedAt)}` : ''}, so nothing was sent again.`,
        );
      return submitDraft(
        config,
        dc,
        action.referralId,
        action.expectedVersion,
        action.advise === true || action.advise === 'true',
        reviewCardIdOf(dc),
      );
    }
    case 'referral.answer':
      return onStepCard(config, dc, action);
  }
}

/** A walk card's button: save its answers (all or nothing), keep them, or confirm or change a section. */
export async function onStepCard(
  config: ReferralDialogConfig,
  dc: DialogContext,
  action: WalkAnswer,
): Promise<DialogTurnResult> {
  const open = openDraftOf(dc);
  const section = sectionIndexOf(action.sectionId);
  const principal = await config.principalOf(dc.context);
  if (!principal) return dc.cancelAllDialogs();
  const loaded =
    section < 0
      ? 'That section is not part of the referral.'
      : await loadOpenDraft(config, dc.context, action.referralId);
  if (typeof loaded === 'string') {
    await dc.context.sendActivity(loaded);
    return open ? Dialog.EndOfTurn : dc.cancelAllDialogs();
  }
  const fromCard: Pointer = {
    referralId: action.referralId,
    section,
    field: groupAt({ section, field: action.step })?.first ?? 0,
  };
  const here = open?.walking;
  // The card of the step being shown, or one pressed after the walk ended (carry on from it).
  const current =
    !open ||
    (here !== undefined &&
      here.referralId === action.referralId &&
      here.section === section &&
      (groupAt(here)?.first ?? -1) === fromCard.field);
  const p: Pointer = current && here ? here : fromCard;
  const stale = async (lead: string): Promise<DialogTurnResult> =>
    open?.walking
      ? restart(dc, WALK, { ...open.walking, ask: true, lead } satisfies Pointer)
      : restart(dc, REVIEW, { referralId: open!.referralId, lead });

  if (action.then === 'confirm' || action.then === 'change') {
    if (!current) return stale('That card is from an earlier step, so it changed nothing.');
    return confirmed(dc, { ...p, confirm: true }, action.then === 'confirm');
  }
  if (action.then === 'keep') {
    if (!current) return stale('That card is from an earlier step, so it changed nothing.');
    const questions = stepQuestions(p, loaded.form);
    const missing = questions.filter((x) => x.required && !isAnswered(x, loaded.form.sections, loaded.form));
    if (missing.length > 0) {
      await dc.context.sendActivity(
        `There is no saved answer to keep for ${listed(missing.map((x) => x.label))} yet: fill it in on the card and press **Save and continue**.`,
      );
      return Dialog.EndOfTurn;
    }
    return advance(config, dc, p, `Kept the saved answers to ${titleOf(section)}.`);
  }

  const res = await saveCardAnswers(
    config.deps,
    principal,
    action.referralId,
    action.sectionId,
    action.shown,
    action.inputs,
  );
  if (!res.ok) {
    const e = res.error;
    if (!('problems' in e) || !e.problems) {
      await dc.context.sendActivity(e.message);
      return open ? Dialog.EndOfTurn : dc.cancelAllDialogs();
    }
    // The same card again, with everything typed and each problem beside its question. The walk
    // stays on its step, so pressing Save on the corrected card carries on from here.
    const again = stepCard({ ...fromCard, only: action.shown, ask: true }, loaded.form, config.marking, {
      values: action.inputs,
      problems: e.problems,
    });
    await dc.context.sendActivity(MessageFactory.attachment(cardAttachment(again)));
    // With no walk open, pressing Save on the corrected card comes back here and carries on.
    return open ? Dialog.EndOfTurn : dc.cancelAllDialogs();
  }
  const lead = [`Saved: ${titleOf(section)}.`, ...res.value.notes].join('\n\n');
  if (!current) return stale(`Saved your changes to ${titleOf(section)} from an earlier card.`);
  if (action.then === 'more')
    return restart(dc, WALK, {
      ...p,
      ask: true,
      more: true,
      lead: `${lead} Here are more empty rows under the saved ones.`,
    } satisfies Pointer);
  return advance(config, dc, p, lead, action.shown);
}
