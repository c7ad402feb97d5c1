import { MessageFactory, type Activity } from 'botbuilder';
import {
  ComponentDialog,
  Dialog,
  TextPrompt,
  WaterfallDialog,
  type DialogContext,
  type DialogTurnResult,
  type PromptValidatorContext,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { z } from 'zod';
import {
  applyAnswer,
  reviewReferral,
  saveSectionAnswer,
  StartOptions,
  startOrResumeDraft,
  type ReferralDeps,
} from '../../../app/referrals';
import { REFERRAL_SECTIONS } from '../../../domain/referral-sections';
import { cardAttachment } from '../../cards/render';
import { CardAction, onCardAction, type ReviewValues } from './card-actions';
import { COMMANDS, onCommand, onRefer, type Command } from './commands';
import { endWith, loadOpenDraft, type ReferralDialogConfig } from './config';
import { advance, confirmed } from './moves';
import { openDraft } from './opening';
import { draftList, isTypedStep, REFER_USAGE, reviewHelp, stepActivity, withText } from './questions';
import { reviewCard } from './review.card';
import { submitDraft } from './submit.step';
import {
  ANSWER_PROMPT,
  groupAt,
  nextStep,
  openDraftOf,
  Pointer,
  REFERRAL_DIALOG_ID,
  REVIEW,
  REVIEW_PROMPT,
  ReviewState,
  SECTION_COUNT,
  START,
  stepQuestions,
  WALK,
} from './walk';

export { REFERRAL_DIALOG_ID } from './walk';
export { referDialogOptions, ReferralDialogOptions } from './opening';
export type { ReferralDialogConfig } from './config';

/** A card pressed after its walk ended: the router begins the dialog with it, so nothing is lost. */
export const FromCard = z.object({ card: z.record(z.string(), z.unknown()) });
export type FromCard = z.infer<typeof FromCard>;

const YES = /^(yes|y|yes,? this is right|right|correct|ok|okay)$/;
const CHANGE = /^(change|no|n)$/;

const titleOf = (section: number) => REFERRAL_SECTIONS[section]!.title;

/**
 * Walks the MAPPA A section by section. Each step is a card of the section's questions (choice sets,
 * dates, rows of agencies), an "Is this right?" card for a section that arrived answered, or one
 * question typed in the chat for an account in the referrer's own words. Every answer is checked
 * against the domain schema and saved at once; a refused card comes back with what was typed and each
 * problem beside its question. Ends with a review card whose buttons edit a section or submit.
 */
export class ReferralDialog extends ComponentDialog {
  constructor(private readonly config: ReferralDialogConfig) {
    super(REFERRAL_DIALOG_ID);
    this.addDialog(new WaterfallDialog(START, [this.startStep.bind(this)]));
    this.addDialog(new WaterfallDialog(WALK, [this.askStep.bind(this), this.saveStep.bind(this)]));
    this.addDialog(new WaterfallDialog(REVIEW, [this.showReviewStep.bind(this), this.reviewActionStep.bind(this)]));
    this.addDialog(new TextPrompt(ANSWER_PROMPT, this.validateAnswer.bind(this)));
    this.addDialog(new TextPrompt(REVIEW_PROMPT, this.validateReviewCommand.bind(this)));
    this.initialDialogId = START;
  }

  private get deps(): ReferralDeps {
    return this.config.deps;
  }

  /* ---------- steps ---------- */

  private async startStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const fromCard = FromCard.safeParse(step.options);
    if (fromCard.success) {
      if (!(await this.config.principalOf(step.context)))
        return endWith(step, 'You are not enrolled in this MAPPA area yet.');
      const action = CardAction.safeParse(fromCard.data.card);
      if (!action.success)
        return endWith(step, 'That referral card is out of date. Type **refer** to carry on with your referral.');
      return onCardAction(this.config, step, action.data);
    }
    const principal = await this.config.principalOf(step.context);
    if (!principal) return endWith(step, 'You are not enrolled in this MAPPA area yet.');
    const opts = StartOptions.safeParse(step.options ?? {});
    if (!opts.success) return endWith(step, `${opts.error.issues[0]?.message ?? ''} ${REFER_USAGE}`.trim());
    const res = await startOrResumeDraft(this.deps, principal, opts.data);
    if (!res.ok) return endWith(step, res.error.message);
    if (res.value.kind === 'choose') return endWith(step, draftList(res.value.drafts));
    const opening = await openDraft(this.config, step.context, principal, res.value, opts.data);
    if (typeof opening === 'string') return endWith(step, opening);
    // The opening words go with the first step, so they cost no message of their own.
    if (opening.dialogId === WALK) return step.replaceDialog(WALK, { ...opening.options, lead: opening.message });
    return step.replaceDialog(REVIEW, { ...opening.options, lead: opening.message });
  }

  private async askStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const p = Pointer.parse(step.options);
    const loaded = await loadOpenDraft(this.config, step.context, p.referralId);
    if (typeof loaded === 'string') return endWith(step, loaded);
    const { form } = loaded;
    const at = nextStep(p, form);
    if (!at) return step.replaceDialog(REVIEW, { referralId: p.referralId, ...(p.lead ? { lead: p.lead } : {}) });
    const here = groupAt(p)?.first ?? p.field;
    if (at.section !== p.section || at.field !== here || (at.confirm === true) !== (p.confirm === true)) {
      const moved: Pointer = {
        referralId: p.referralId,
        section: at.section,
        field: at.field,
        ask: true,
        ...(p.editOnly ? { editOnly: true } : {}),
        ...(p.open && at.section === p.section ? { open: true } : {}),
        ...(at.confirm ? { confirm: true } : {}),
        ...(p.lead ? { lead: p.lead } : {}),
      };
      return step.replaceDialog(WALK, moved);
    }
    return step.prompt(ANSWER_PROMPT, {
      prompt: stepActivity({ ...p, field: here }, form, this.config.marking, { moreRows: p.more === true }),
      validations: { ...p, field: here },
    });
  }

  /** A typed reply the validator accepted: a confirmation, or the answer to a step's one question. */
  private async saveStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const p = Pointer.parse(step.options);
    const typed = String(step.result).trim();
    if (p.confirm) return confirmed(step, p, YES.test(typed.toLowerCase().replace(/[.!]$/, '')));
    const loaded = await loadOpenDraft(this.config, step.context, p.referralId);
    if (typeof loaded === 'string') return endWith(step, loaded);
    const question = stepQuestions(p, loaded.form)[0];
    const principal = await this.config.principalOf(step.context);
    if (!principal || !question)
      return endWith(step, 'Something went wrong; your draft is saved. Type **refer** to carry on.');
    const res = await saveSectionAnswer(this.deps, principal, p.referralId, question.section, question.id, typed);
    if (!res.ok) {
      if ('fieldErrors' in res.error) {
        const lead = `${res.error.message}\n\nYou wrote: "${res.error.input ?? typed}"`;
        return step.replaceDialog(WALK, { ...p, ask: true, lead } satisfies Pointer);
      }
      return endWith(step, res.error.message);
    }
    return advance(this.config, step, p, [`Saved: ${question.label}.`, ...res.value.notes].join('\n\n'));
  }

  private async showReviewStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = ReviewState.extend({ lead: z.string().optional() }).parse(step.options);
    const principal = await this.config.principalOf(step.context);
    if (!principal) return endWith(step, 'You are not enrolled in this MAPPA area yet.');
    const res = await reviewReferral(this.deps, principal, state.referralId);
    if (!res.ok) return endWith(step, res.error.message);
    if (res.value.referral.status !== 'draft')
      return endWith(step, `This referral is already ${res.value.referral.status}.`);
    const card = reviewCard(res.value, this.config.marking, state.lead);
    const help = reviewHelp(res.value);
    // Sent here rather than as the prompt, so its id is kept: Submit replaces this card in place.
    const sent = await step.context.sendActivity(MessageFactory.attachment(cardAttachment(card)));
    (step.values as ReviewValues).cardId = sent?.id;
    return step.prompt(REVIEW_PROMPT, {
      retryPrompt: MessageFactory.text(help) as Partial<Activity>,
      validations: { referralId: state.referralId },
    });
  }

  private async reviewActionStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { referralId } = ReviewState.parse(step.options);
    const said = String(step.result).trim().toLowerCase();
    const edit = /^edit\s+(\d{1,2})$/.exec(said);
    if (edit) {
      const section = Number(edit[1]) - 1;
      return step.replaceDialog(WALK, { referralId, section, field: 0, editOnly: true, ask: true } satisfies Pointer);
    }
    return submitDraft(
      this.config,
      step,
      referralId,
      undefined,
      said.includes('advise'),
      (step.values as ReviewValues).cardId,
    );
  }

  /* ---------- validators: the domain schemas via applyAnswer ---------- */

  private async validateAnswer(pc: PromptValidatorContext<string>): Promise<boolean> {
    const p = Pointer.parse(pc.options.validations);
    const typed = pc.recognized.succeeded ? (pc.recognized.value ?? '') : '';
    const echo = typed.trim() === '' ? '' : `\n\nYou wrote: "${typed.trim().slice(0, 1000)}"`;
    if (p.confirm) {
      const said = typed.trim().toLowerCase().replace(/[.!]$/, '');
      if (YES.test(said) || CHANGE.test(said)) return true;
      pc.options.retryPrompt = MessageFactory.text(
        `Press **Yes, this is right** or **Change ${titleOf(p.section)}** on the card, or type **yes** or **change**.${echo}`,
      ) as Partial<Activity>;
      return false;
    }
    const loaded = await loadOpenDraft(this.config, pc.context, p.referralId);
    // A draft that vanished or was submitted elsewhere is reported by the save step, not here.
    if (typeof loaded === 'string') return true;
    const questions = stepQuestions(p, loaded.form);
    if (questions.length !== 1) {
      pc.options.retryPrompt = MessageFactory.text(
        `This step asks several questions, so the answers go on the card: fill it in and press **Save and continue**. Nothing was saved from what you typed.${echo}`,
      ) as Partial<Activity>;
      return false;
    }
    const checked = applyAnswer(questions[0]!, typed, loaded.form);
    if (checked.ok) return true;
    pc.options.retryPrompt = isTypedStep(p, loaded.form)
      ? withText(
          stepActivity({ ...p, lead: undefined }, loaded.form, this.config.marking),
          `${checked.error}${echo}\n\n`,
        )
      : (MessageFactory.text(`${checked.error}${echo}`) as Partial<Activity>);
    return false;
  }

  private validateReviewCommand(pc: PromptValidatorContext<string>): Promise<boolean> {
    const said = (pc.recognized.value ?? '').trim().toLowerCase();
    const edit = /^edit\s+(\d{1,2})$/.exec(said);
    return Promise.resolve(
      /^submit( asking the co-ordinator to advise| advise)?$/.test(said) ||
        (edit !== null && Number(edit[1]) >= 1 && Number(edit[1]) <= SECTION_COUNT),
    );
  }

  /* ---------- commands and card buttons, whatever is being asked ---------- */

  protected override async onContinueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    const activity = dc.context.activity;
    const action = CardAction.safeParse(activity.value);
    if (action.success) return onCardAction(this.config, dc, action.data);
    const typed = (activity.text ?? '').replace(/\u00a0/g, ' ').trim();
    // `refer …` is the command, never an answer: saved as one it would put the words in the draft.
    const refer = /^refer(?:\s+([\s\S]*))?$/i.exec(typed);
    if (refer) return onRefer(this.config, dc, refer[1] ?? '');
    const said = typed.toLowerCase().replace(/[.!]+$/, '');
    if ((COMMANDS as readonly string[]).includes(said))
      return (await onCommand(this.config, dc, said as Command)) ?? super.onContinueDialog(dc);
    // `edit <n>` belongs to the review card; mid-walk it is a command typed early, never an answer.
    if (/^edit\s+\d{1,2}$/.test(said) && openDraftOf(dc)?.walking) {
      await dc.context.sendActivity(
        '**edit <section number>** works on the review card at the end. Answer this step, or type **back**, **skip**, **keep**, **save** or **cancel**.',
      );
      return Dialog.EndOfTurn;
    }
    return super.onContinueDialog(dc);
  }
}
