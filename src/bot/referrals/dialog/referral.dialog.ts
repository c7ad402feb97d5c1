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
import { applyAnswer, isAnswered, questionApplies, sectionQuestions } from '../../../app/referrals';
import {
  initialsOf,
  reviewReferral,
  saveSectionAnswer,
  StartOptions,
  startOrResumeDraft,
  type ReferralDeps,
} from '../../../app/referrals';
import { REFERRAL_SECTIONS } from '../../../domain/referral-sections';
import { cardAttachment } from '../../cards/render';
import { WalkAnswer, WalkEdit, WalkSave, WalkSubmit } from '../catalogue';
import { endWith, loadOpenDraft, restart, type ReferralDialogConfig } from './config';
import { rememberPlace } from './places';
import { draftList, questionActivity, REFER_USAGE, reviewHelp, withText } from './questions';
import { openDraft, referDialogOptions } from './opening';
import { reviewCard } from './review.card';
import { submitDraft } from './submit.step';
import {
  ANSWER_PROMPT,
  nextQuestion,
  openDraftOf,
  Pointer,
  previousQuestion,
  questionAt,
  REFERRAL_DIALOG_ID,
  REVIEW,
  REVIEW_PROMPT,
  ReviewState,
  SECTION_COUNT,
  sectionIdAt,
  START,
  WALK,
} from './walk';

export { REFERRAL_DIALOG_ID } from './walk';
export { referDialogOptions, ReferralDialogOptions } from './opening';
export type { ReferralDialogConfig } from './config';

/** The review card's buttons, declared with the referral verbs; read here while the walk is open. */
const CardAction = z.discriminatedUnion('verb', [WalkEdit, WalkSubmit, WalkSave, WalkAnswer]);
type CardAction = z.infer<typeof CardAction>;

const COMMANDS = ['back', 'skip', 'status', 'cancel', 'save'] as const;
type Command = (typeof COMMANDS)[number];

/**
 * Walks the MAPPA A one question at a time. Each answer is checked against the domain schema (in the
 * prompt's validator, so a bad answer is re-asked with the reason and what was typed) and saved at
 * once through `saveSectionAnswer`. Ends with a review card whose buttons edit a section or submit.
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
    const principal = await this.config.principalOf(step.context);
    if (!principal) return endWith(step, 'You are not enrolled in this MAPPA area yet.');
    const opts = StartOptions.safeParse(step.options ?? {});
    if (!opts.success) return endWith(step, `${opts.error.issues[0]?.message ?? ''} ${REFER_USAGE}`.trim());
    const res = await startOrResumeDraft(this.deps, principal, opts.data);
    if (!res.ok) return endWith(step, res.error.message);
    if (res.value.kind === 'choose') return endWith(step, draftList(res.value.drafts));
    const opening = await openDraft(this.config, step.context, principal, res.value, opts.data);
    if (typeof opening === 'string') return endWith(step, opening);
    await step.context.sendActivity(opening.message);
    return step.replaceDialog(opening.dialogId, opening.options);
  }

  private async askStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const p = Pointer.parse(step.options);
    const loaded = await loadOpenDraft(this.config, step.context, p.referralId);
    if (typeof loaded === 'string') return endWith(step, loaded);
    const { form } = loaded;
    const at = nextQuestion(p, form);
    if (!at) return step.replaceDialog(REVIEW, { referralId: p.referralId });
    if (at.section !== p.section || at.field !== p.field)
      return step.replaceDialog(WALK, { ...p, ...at, ask: true } satisfies Pointer);
    return step.prompt(ANSWER_PROMPT, {
      prompt: questionActivity(p, form),
      validations: p,
    });
  }

  private async saveStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const p = Pointer.parse(step.options);
    const principal = await this.config.principalOf(step.context);
    const question = questionAt(p);
    if (!principal || !question)
      return endWith(step, 'Something went wrong; your draft is saved. Type **refer** to carry on.');
    const res = await saveSectionAnswer(this.deps, principal, p.referralId, question.section, question.id, step.result);
    if (!res.ok) {
      if ('fieldErrors' in res.error) {
        await step.context.sendActivity(
          `${res.error.message}\n\nYou wrote: "${res.error.input ?? String(step.result)}"`,
        );
        return step.replaceDialog(WALK, { ...p, ask: true } satisfies Pointer);
      }
      return endWith(step, res.error.message);
    }
    for (const note of res.value.notes) await step.context.sendActivity(note);
    return step.replaceDialog(WALK, {
      referralId: p.referralId,
      section: p.section,
      field: p.field + 1,
      ...(p.editOnly ? { editOnly: true } : {}),
    } satisfies Pointer);
  }

  private async showReviewStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { referralId } = ReviewState.parse(step.options);
    const principal = await this.config.principalOf(step.context);
    if (!principal) return endWith(step, 'You are not enrolled in this MAPPA area yet.');
    const res = await reviewReferral(this.deps, principal, referralId);
    if (!res.ok) return endWith(step, res.error.message);
    if (res.value.referral.status !== 'draft')
      return endWith(step, `This referral is already ${res.value.referral.status}.`);
    const card = reviewCard(res.value, this.config.marking);
    return step.prompt(REVIEW_PROMPT, {
      prompt: MessageFactory.attachment(cardAttachment(card), reviewHelp(res.value)) as Partial<Activity>,
      retryPrompt: MessageFactory.text(reviewHelp(res.value)) as Partial<Activity>,
      validations: { referralId },
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
    return submitDraft(this.config, step, referralId, undefined, said.includes('advise'));
  }

  /* ---------- validators: the domain schemas via applyAnswer ---------- */

  private async validateAnswer(pc: PromptValidatorContext<string>): Promise<boolean> {
    const p = Pointer.parse(pc.options.validations);
    const typed = pc.recognized.succeeded ? (pc.recognized.value ?? '') : '';
    const loaded = await loadOpenDraft(this.config, pc.context, p.referralId);
    // A draft that vanished or was submitted elsewhere is reported by the save step, not here.
    if (typeof loaded === 'string') return true;
    const question = questionAt(p);
    if (!question) return true;
    const checked = applyAnswer(question, typed, loaded.form);
    if (checked.ok) return true;
    const echo = typed.trim() === '' ? '' : `\n\nYou wrote: "${typed.trim().slice(0, 1000)}"`;
    pc.options.retryPrompt = withText(questionActivity(p, loaded.form, false), `${checked.error}${echo}\n\n`);
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
    if (action.success) return this.onCardAction(dc, action.data);
    const typed = (activity.text ?? '').replace(/\u00a0/g, ' ').trim();
    // `refer …` is the command, never an answer: saved as one it would put the words in the draft.
    const refer = /^refer(?:\s+([\s\S]*))?$/i.exec(typed);
    if (refer) return this.onRefer(dc, refer[1] ?? '');
    const said = typed.toLowerCase().replace(/[.!]+$/, '');
    if ((COMMANDS as readonly string[]).includes(said)) return this.onCommand(dc, said as Command);
    // `edit <n>` belongs to the review card; mid-walk it is a command typed early, never an answer.
    if (/^edit\s+\d{1,2}$/.test(said) && openDraftOf(dc)?.walking) {
      await dc.context.sendActivity(
        '**edit <section number>** works on the review card at the end. Answer this question, or type **back**, **skip**, **save** or **cancel**.',
      );
      await dc.repromptDialog();
      return Dialog.EndOfTurn;
    }
    return super.onContinueDialog(dc);
  }

  /**
   * `refer …` while a draft is open switches to the draft it names (or starts the one it asks for),
   * as it would from outside: the open draft is already saved answer by answer, and its place is
   * kept so `refer` brings the person back to the same question. Words that name no draft switch
   * nothing, because they may have been meant as an answer.
   */
  private async onRefer(dc: DialogContext, args: string): Promise<DialogTurnResult> {
    const here = openDraftOf(dc);
    const principal = await this.config.principalOf(dc.context);
    if (!principal) return dc.cancelAllDialogs();
    const current = here ? await loadOpenDraft(this.config, dc.context, here.referralId) : 'no draft open';
    if (!here || typeof current === 'string') {
      // Nothing open that could be kept (submitted or gone meanwhile): the command as from outside.
      await dc.cancelAllDialogs();
      return dc.beginDialog(START, referDialogOptions(args));
    }
    const initials = initialsOf(current.referral);
    const label = initials === '?' ? 'the unnamed person' : initials;
    const stay = async (message: string): Promise<DialogTurnResult> => {
      await dc.context.sendActivity(
        here.walking
          ? `${message}\n\nYour referral for ${label} is still open. I read that as the **refer** command, so it is not saved as your answer (to answer, start with another word).`
          : `${message}\n\nYour referral for ${label} is still open: use the card, or type **submit**, **edit <section number>**, **save** or **cancel**.`,
      );
      if (here.walking) await dc.repromptDialog();
      return Dialog.EndOfTurn;
    };

    const opts = StartOptions.safeParse(referDialogOptions(args));
    if (!opts.success) return stay(`${opts.error.issues[0]?.message ?? ''} ${REFER_USAGE}`.trim());
    const res = await startOrResumeDraft(this.deps, principal, { ...opts.data, startFromLabel: false });
    if (!res.ok) return stay(res.error.message);
    if (res.value.kind === 'choose') return stay(draftList(res.value.drafts));
    if (res.value.referral.id === here.referralId) {
      await dc.context.sendActivity(
        here.walking
          ? `You are already working on this referral (${label}).`
          : `You are already working on this referral (${label}): use the card, or type **submit**, **edit <section number>**, **save** or **cancel**.`,
      );
      if (here.walking) await dc.repromptDialog();
      return Dialog.EndOfTurn;
    }
    const opening = await openDraft(this.config, dc.context, principal, res.value, opts.data);
    if (typeof opening === 'string') return stay(opening);
    await rememberPlace(this.config, dc);
    await dc.context.sendActivity(
      `Your referral for ${label} is saved as it is: type **${initials === '?' ? 'refer' : `refer ${initials}`}** to come back to it.`,
    );
    await dc.context.sendActivity(opening.message);
    return restart(dc, opening.dialogId, opening.options);
  }

  private async onCommand(dc: DialogContext, command: Command): Promise<DialogTurnResult> {
    const open = openDraftOf(dc);
    const referralId = open?.referralId;
    if (command === 'cancel' || command === 'save') {
      await rememberPlace(this.config, dc);
      await dc.context.sendActivity(
        command === 'save'
          ? 'Saved. Type **refer** when you want to finish it; I will pick up where you left off.'
          : 'Stopped. Your draft is kept: type **refer** to carry on where you left off.',
      );
      return dc.cancelAllDialogs();
    }
    if (!referralId) return super.onContinueDialog(dc);
    const loaded = await loadOpenDraft(this.config, dc.context, referralId);
    if (typeof loaded === 'string') {
      await dc.context.sendActivity(loaded);
      return dc.cancelAllDialogs();
    }
    const { form } = loaded;

    if (!open?.walking) {
      // At the review: only `status` and `back` mean something here.
      if (command === 'back') {
        const last = previousQuestion({ referralId, section: SECTION_COUNT - 1, field: 999 }, form);
        if (last) return restart(dc, WALK, { referralId, ...last, ask: true } satisfies Pointer);
      }
      await dc.context.sendActivity(
        command === 'status'
          ? `All ${SECTION_COUNT} sections done: you are reviewing the referral before submitting.`
          : 'Nothing to skip here. Use the buttons on the card, or type **submit**, **edit <section number>**, **save** or **cancel**.',
      );
      return Dialog.EndOfTurn;
    }

    const here = open.walking;
    const question = questionAt(here);
    if (command === 'status') {
      const inSection = sectionQuestions(sectionIdAt(here.section)).filter((x) => questionApplies(x, form));
      const n = question ? inSection.indexOf(question) + 1 : 0;
      await dc.context.sendActivity(
        `Section ${here.section + 1} of ${SECTION_COUNT}: ${REFERRAL_SECTIONS[here.section]!.title}${n > 0 ? ` (question ${n} of ${inSection.length})` : ''}.`,
      );
      await dc.repromptDialog();
      return Dialog.EndOfTurn;
    }
    if (command === 'back') {
      const prev = previousQuestion(here, form);
      if (!prev) {
        await dc.context.sendActivity(
          here.editOnly ? 'This is the first question of the section.' : 'This is the first question.',
        );
        await dc.repromptDialog();
        return Dialog.EndOfTurn;
      }
      return restart(dc, WALK, { ...here, ...prev, ask: true } satisfies Pointer);
    }
    // skip
    if (question && question.required && !isAnswered(question, form.sections, form)) {
      await dc.context.sendActivity(
        `"${question.label}" is required, so it cannot be skipped. Please answer it, or type **save** to finish later.`,
      );
      await dc.repromptDialog();
      return Dialog.EndOfTurn;
    }
    return restart(dc, WALK, {
      referralId: here.referralId,
      section: here.section,
      field: here.field + 1,
      ...(here.editOnly ? { editOnly: true } : {}),
    } satisfies Pointer);
  }

  private async onCardAction(dc: DialogContext, action: CardAction): Promise<DialogTurnResult> {
    switch (action.verb) {
      case 'referral.save':
        return this.onCommand(dc, 'save');
      case 'referral.edit': {
        const section = REFERRAL_SECTIONS.findIndex((s) => s.id === action.sectionId);
        const loaded =
          section < 0
            ? 'That section is not part of the referral.'
            : await loadOpenDraft(this.config, dc.context, action.referralId);
        if (typeof loaded === 'string') {
          // A stale or foreign card must not end the walk the person is in the middle of.
          await dc.context.sendActivity(loaded);
          return Dialog.EndOfTurn;
        }
        return restart(dc, WALK, {
          referralId: action.referralId,
          section,
          field: 0,
          editOnly: true,
          ask: true,
        } satisfies Pointer);
      }
      case 'referral.submit':
        return submitDraft(
          this.config,
          dc,
          action.referralId,
          action.expectedVersion,
          action.advise === true || action.advise === 'true',
        );
      case 'referral.answer': {
        const principal = await this.config.principalOf(dc.context);
        if (!principal) return dc.cancelAllDialogs();
        const res = await saveSectionAnswer(
          this.deps,
          principal,
          action.referralId,
          action.sectionId,
          action.field,
          action.value,
        );
        await dc.context.sendActivity(
          res.ok
            ? (res.value.notes[0] ?? 'Saved.')
            : `${res.error.message}${'input' in res.error && res.error.input ? `\n\nYou wrote: "${res.error.input}"` : ''}`,
        );
        if (dc.activeDialog) await dc.repromptDialog();
        return Dialog.EndOfTurn;
      }
    }
  }
}
