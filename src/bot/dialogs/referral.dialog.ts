import { MessageFactory, type Activity, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  Dialog,
  DialogTurnStatus,
  TextPrompt,
  WaterfallDialog,
  type DialogContext,
  type DialogTurnResult,
  type PromptValidatorContext,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { z } from 'zod';
import { formatUkDate } from '../../domain/format';
import {
  applyAnswer,
  isAnswered,
  questionApplies,
  sectionQuestions,
  type FormContext,
  type ReferralQuestion,
} from '../../app/referrals';
import {
  initialsOf,
  loadDraftForm,
  reviewReferral,
  saveSectionAnswer,
  StartOptions,
  startOrResumeDraft,
  submitReferral,
  type DraftSummary,
  type ReferralDeps,
  type ReferralReview,
  type ReferralSummary,
  type StartOrResumeResult,
} from '../../app/referrals';
import type { Principal } from '../../domain/policy';
import { REFERRAL_SECTIONS } from '../../domain/referral-sections';
import type { Referral } from '../../domain/referral.schema';
import { cardAttachment, renderCard, type AdaptiveCardJson } from '../cards/render';

export const REFERRAL_DIALOG_ID = 'referral';
const START = 'referral.start';
const WALK = 'referral.walk';
const REVIEW = 'referral.review';
const ANSWER_PROMPT = 'referral.answerPrompt';
const REVIEW_PROMPT = 'referral.reviewPrompt';

const SECTION_COUNT = REFERRAL_SECTIONS.length;
const COMMAND_HELP = 'Type **back**, **skip**, **status**, **save** (finish later) or **cancel** at any time.';
const REFER_USAGE =
  'Type **refer** on its own to carry on, **refer** with a case reference (for example MAPPA-2026-0042) or the initials of one of your drafts, or **refer new** followed by their first and family name.';

/** What `refer …` passes in; also the dialog's begin options, checked by the use case's schema. */
export const ReferralDialogOptions = StartOptions;
export type ReferralDialogOptions = StartOptions;

/**
 * Where the walk is. This and the referral id are all the dialog keeps: the answers live in the
 * referral document, so a restart (or another device) resumes from MongoDB.
 */
const Pointer = z.object({
  referralId: z.string().min(1),
  section: z.number().int().min(0),
  field: z.number().int().min(0),
  /** Walking one section from the review card's Edit button; back to the review at its end. */
  editOnly: z.boolean().optional(),
  /** Ask exactly this question even though it has an answer (after `back`, or a failed save). */
  ask: z.boolean().optional(),
});
type Pointer = z.infer<typeof Pointer>;
const ReviewState = z.object({ referralId: z.string().min(1) });

/**
 * Where a walk stood when the person left it (save, cancel, or `refer` to another draft), so coming
 * back asks that very question, optional ones included, rather than the first required gap.
 */
const Place = z.union([
  z.object({ section: z.number().int().min(0), field: z.number().int().min(0), editOnly: z.boolean().optional() }),
  z.object({ review: z.literal(true) }),
]);
type Place = z.infer<typeof Place>;
/** Per draft; a person has at most a handful, and the oldest are dropped beyond this. */
const Places = z.record(z.string(), Place);
const MAX_PLACES = 20;

const CardAction = z.discriminatedUnion('verb', [
  z.object({ verb: z.literal('referral.edit'), referralId: z.string().min(1), sectionId: z.string() }),
  z.object({
    verb: z.literal('referral.submit'),
    referralId: z.string().min(1),
    expectedVersion: z.coerce.number().int().min(0).optional(),
    advise: z.union([z.boolean(), z.literal('true')]).optional(),
  }),
  z.object({ verb: z.literal('referral.save'), referralId: z.string().optional() }),
  z.object({
    verb: z.literal('referral.answer'),
    referralId: z.string().min(1),
    sectionId: z.string(),
    field: z.string(),
    value: z.union([z.string(), z.number(), z.boolean()]),
  }),
]);
type CardAction = z.infer<typeof CardAction>;

const COMMANDS = ['back', 'skip', 'status', 'cancel', 'save'] as const;
type Command = (typeof COMMANDS)[number];

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

export interface ReferralDialogConfig {
  readonly deps: ReferralDeps;
  /** Printed on the review card (the renderer frames every card with it). */
  readonly marking: string;
  /** Called once a referral is submitted: the lead posts the co-ordinator card to the channel. */
  readonly onSubmitted: (referral: Referral, summary: ReferralSummary) => Promise<void>;
  /** The caller as the bot resolved them from the activity's Entra ids (never from the message). */
  readonly principalOf: (turn: TurnContext) => Promise<Principal | null>;
  /** Conversation state where each draft's place is kept while its walk is closed. */
  readonly places: StatePropertyAccessor<unknown>;
}

/** A draft to open: what to tell the person, and where its walk starts. */
interface Opening {
  readonly message: string;
  readonly dialogId: typeof WALK | typeof REVIEW;
  readonly options: Pointer | z.infer<typeof ReviewState>;
}

const sectionIdAt = (i: number) => REFERRAL_SECTIONS[i]!.id;
const questionAt = (p: { section: number; field: number }): ReferralQuestion | undefined =>
  p.section < SECTION_COUNT ? sectionQuestions(sectionIdAt(p.section))[p.field] : undefined;

/** Every question position in order, from `p` (inclusive) to the end of the form or section. */
function* positionsFrom(p: Pointer): Generator<{ section: number; field: number }> {
  for (let s = p.section; s < (p.editOnly ? p.section + 1 : SECTION_COUNT); s += 1) {
    const n = sectionQuestions(sectionIdAt(s)).length;
    for (let f = s === p.section ? p.field : 0; f < n; f += 1) yield { section: s, field: f };
  }
}

function* positionsBefore(p: Pointer): Generator<{ section: number; field: number }> {
  for (let s = p.section; s >= (p.editOnly ? p.section : 0); s -= 1) {
    const n = sectionQuestions(sectionIdAt(s)).length;
    // `back` from the review points past the last question; start from the last one that exists.
    for (let f = s === p.section ? Math.min(p.field, n) - 1 : n - 1; f >= 0; f -= 1) yield { section: s, field: f };
  }
}

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
    if (!principal) return this.endWith(step, 'You are not enrolled in this MAPPA area yet.');
    const opts = StartOptions.safeParse(step.options ?? {});
    if (!opts.success) return this.endWith(step, `${opts.error.issues[0]?.message ?? ''} ${REFER_USAGE}`.trim());
    const res = await startOrResumeDraft(this.deps, principal, opts.data);
    if (!res.ok) return this.endWith(step, res.error.message);
    if (res.value.kind === 'choose') return this.endWith(step, draftList(res.value.drafts));
    const opening = await this.open(step.context, principal, res.value, opts.data);
    if (typeof opening === 'string') return this.endWith(step, opening);
    await step.context.sendActivity(opening.message);
    return step.replaceDialog(opening.dialogId, opening.options);
  }

  /** What to say on opening a started or resumed draft, and where to pick it up. */
  private async open(
    turn: TurnContext,
    principal: Principal,
    r: Exclude<StartOrResumeResult, { kind: 'choose' }>,
    opts: StartOptions,
  ): Promise<Opening | string> {
    const form = await loadDraftForm(this.deps, principal, r.referral.id);
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
        message: `I've started a MAPPA A referral (${r.draft.label}).${prefilled}${unnamed} I'll ask one question at a time and save each answer straight away. ${COMMAND_HELP}`,
        dialogId: WALK,
        options: { referralId, section: 0, field: 0 },
      };
    }
    const message = `Welcome back to your referral for ${r.draft.label} (${r.draft.sectionsDone} of ${r.draft.sectionsTotal} sections complete). ${COMMAND_HELP}`;
    const place = await this.takePlace(turn, referralId);
    if (place && 'review' in place) return { message, dialogId: REVIEW, options: { referralId } };
    const at = place && questionAt(place) ? place : firstRequiredGap(form.value.form);
    return at
      ? { message, dialogId: WALK, options: { referralId, ...at, ask: true } }
      : { message, dialogId: REVIEW, options: { referralId } };
  }

  private async askStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const p = Pointer.parse(step.options);
    const loaded = await this.load(step.context, p.referralId);
    if (typeof loaded === 'string') return this.endWith(step, loaded);
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
      return this.endWith(step, 'Something went wrong; your draft is saved. Type **refer** to carry on.');
    const res = await saveSectionAnswer(this.deps, principal, p.referralId, question.section, question.id, step.result);
    if (!res.ok) {
      if ('fieldErrors' in res.error) {
        await step.context.sendActivity(
          `${res.error.message}\n\nYou wrote: "${res.error.input ?? String(step.result)}"`,
        );
        return step.replaceDialog(WALK, { ...p, ask: true } satisfies Pointer);
      }
      return this.endWith(step, res.error.message);
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
    if (!principal) return this.endWith(step, 'You are not enrolled in this MAPPA area yet.');
    const res = await reviewReferral(this.deps, principal, referralId);
    if (!res.ok) return this.endWith(step, res.error.message);
    if (res.value.referral.status !== 'draft')
      return this.endWith(step, `This referral is already ${res.value.referral.status}.`);
    const card = this.reviewCard(res.value);
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
    return this.submit(step, referralId, undefined, said.includes('advise'));
  }

  /* ---------- validators: the domain schemas via applyAnswer ---------- */

  private async validateAnswer(pc: PromptValidatorContext<string>): Promise<boolean> {
    const p = Pointer.parse(pc.options.validations);
    const typed = pc.recognized.succeeded ? (pc.recognized.value ?? '') : '';
    const loaded = await this.load(pc.context, p.referralId);
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
    const current = here ? await this.load(dc.context, here.referralId) : 'no draft open';
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
    const opening = await this.open(dc.context, principal, res.value, opts.data);
    if (typeof opening === 'string') return stay(opening);
    await this.rememberPlace(dc);
    await dc.context.sendActivity(
      `Your referral for ${label} is saved as it is: type **${initials === '?' ? 'refer' : `refer ${initials}`}** to come back to it.`,
    );
    await dc.context.sendActivity(opening.message);
    return this.restart(dc, opening.dialogId, opening.options);
  }

  private async onCommand(dc: DialogContext, command: Command): Promise<DialogTurnResult> {
    const open = openDraftOf(dc);
    const referralId = open?.referralId;
    if (command === 'cancel' || command === 'save') {
      await this.rememberPlace(dc);
      await dc.context.sendActivity(
        command === 'save'
          ? 'Saved. Type **refer** when you want to finish it; I will pick up where you left off.'
          : 'Stopped. Your draft is kept: type **refer** to carry on where you left off.',
      );
      return dc.cancelAllDialogs();
    }
    if (!referralId) return super.onContinueDialog(dc);
    const loaded = await this.load(dc.context, referralId);
    if (typeof loaded === 'string') {
      await dc.context.sendActivity(loaded);
      return dc.cancelAllDialogs();
    }
    const { form } = loaded;

    if (!open?.walking) {
      // At the review: only `status` and `back` mean something here.
      if (command === 'back') {
        const last = previousQuestion({ referralId, section: SECTION_COUNT - 1, field: 999 }, form);
        if (last) return this.restart(dc, WALK, { referralId, ...last, ask: true } satisfies Pointer);
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
      return this.restart(dc, WALK, { ...here, ...prev, ask: true } satisfies Pointer);
    }
    // skip
    if (question && question.required && !isAnswered(question, form.sections, form)) {
      await dc.context.sendActivity(
        `"${question.label}" is required, so it cannot be skipped. Please answer it, or type **save** to finish later.`,
      );
      await dc.repromptDialog();
      return Dialog.EndOfTurn;
    }
    return this.restart(dc, WALK, {
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
          section < 0 ? 'That section is not part of the referral.' : await this.load(dc.context, action.referralId);
        if (typeof loaded === 'string') {
          // A stale or foreign card must not end the walk the person is in the middle of.
          await dc.context.sendActivity(loaded);
          return Dialog.EndOfTurn;
        }
        return this.restart(dc, WALK, {
          referralId: action.referralId,
          section,
          field: 0,
          editOnly: true,
          ask: true,
        } satisfies Pointer);
      }
      case 'referral.submit':
        return this.submit(
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

  /* ---------- helpers ---------- */

  private async submit(
    dc: DialogContext,
    referralId: string,
    expectedVersion: number | undefined,
    advise: boolean,
  ): Promise<DialogTurnResult> {
    const principal = await this.config.principalOf(dc.context);
    if (!principal) return dc.cancelAllDialogs();
    let version = expectedVersion;
    if (version === undefined) {
      const loaded = await loadDraftForm(this.deps, principal, referralId);
      if (!loaded.ok) {
        await dc.context.sendActivity(loaded.error.message);
        return dc.cancelAllDialogs();
      }
      version = loaded.value.referral.version;
    }
    const res = await submitReferral(this.deps, principal, referralId, version, { askCoordinatorToAdvise: advise });
    if (!res.ok) {
      const e = res.error;
      if (e.code === 'REFERRAL_INCOMPLETE') {
        const advice = e.adviseAvailable
          ? '\n\nIf you are unsure of the level, choose **Submit asking the co-ordinator to advise** (or type **submit advise**).'
          : '';
        await dc.context.sendActivity(`Not submitted yet:\n\n${e.reasons.map((r) => `- ${r}`).join('\n')}${advice}`);
        return this.restart(dc, REVIEW, { referralId });
      }
      if (e.code === 'VERSION_CONFLICT') {
        await dc.context.sendActivity('The draft changed since that card was shown. Here it is again.');
        return this.restart(dc, REVIEW, { referralId });
      }
      await dc.context.sendActivity(e.message);
      return dc.cancelAllDialogs();
    }
    const s = res.value.summary;
    await this.takePlace(dc.context, referralId);
    await this.config.onSubmitted(res.value.referral, s);
    await dc.context.sendActivity(
      `Submitted to the MAPPA co-ordinator${res.value.caseRefForReferrer ? ` (case ${res.value.caseRefForReferrer})` : ''}.` +
        (s.decisionDue ? ` They aim to decide by ${formatUkDate(s.decisionDue)}.` : '') +
        ' I will let you know when they decide or if they have a question.',
    );
    await dc.cancelAllDialogs();
    return { status: DialogTurnStatus.complete, result: { referralId, submitted: true } };
  }

  /** Keeps the open draft's place for the next `refer` (see Place). */
  private async rememberPlace(dc: DialogContext): Promise<void> {
    const here = openDraftOf(dc);
    if (!here) return;
    const place: Place = here.walking
      ? {
          section: here.walking.section,
          field: here.walking.field,
          ...(here.walking.editOnly ? { editOnly: true } : {}),
        }
      : { review: true };
    const places = await this.places(dc.context);
    delete places[here.referralId];
    places[here.referralId] = place;
    for (const old of Object.keys(places).slice(0, -MAX_PLACES)) delete places[old];
    await this.config.places.set(dc.context, places);
  }

  /** The draft's kept place, forgotten once used so a later walk is not sent back to it. */
  private async takePlace(turn: TurnContext, referralId: string): Promise<Place | undefined> {
    const places = await this.places(turn);
    const place = places[referralId];
    if (place === undefined) return undefined;
    delete places[referralId];
    await this.config.places.set(turn, places);
    return place;
  }

  private async places(turn: TurnContext): Promise<Record<string, Place>> {
    // Stored state is input like any other: a record that no longer parses is dropped, not trusted.
    const parsed = Places.safeParse(await this.config.places.get(turn, {}));
    return parsed.success ? parsed.data : {};
  }

  private async restart(dc: DialogContext, dialogId: string, options: object): Promise<DialogTurnResult> {
    await dc.cancelAllDialogs();
    return dc.beginDialog(dialogId, options);
  }

  private async endWith(step: WaterfallStepContext, message: string): Promise<DialogTurnResult> {
    await step.context.sendActivity(message);
    return step.endDialog();
  }

  private async load(
    turn: TurnContext,
    referralId: string,
  ): Promise<{ referral: Referral; form: FormContext } | string> {
    const principal = await this.config.principalOf(turn);
    if (!principal) return 'You are not enrolled in this MAPPA area yet.';
    const res = await loadDraftForm(this.deps, principal, referralId);
    if (!res.ok) return res.error.message;
    if (res.value.referral.status !== 'draft')
      return `This referral is already ${res.value.referral.status}, so it can no longer be changed.`;
    return res.value;
  }

  private reviewCard(r: ReferralReview): AdaptiveCardJson {
    const who = r.sections.find((s) => s.id === 'subject')?.answers.find((a) => a.label === 'Name');
    const initials = who
      ? who.value
          .split(/\s+/)
          .map((w) => `${w[0]!.toUpperCase()}.`)
          .join('')
      : '';
    return renderCard(
      'referral-review',
      {
        referralId: r.referral.id,
        expectedVersion: String(r.referral.version),
        title: `Check your MAPPA A referral${initials ? `: ${initials}` : ''}`,
        message: r.ready ? 'Everything required is filled in. Check each section, then submit.' : '',
        sections: r.sections.map((s) => ({
          number: s.index + 1,
          sectionId: s.id,
          title: s.title,
          status: s.complete
            ? 'Complete'
            : s.missing.length > 0
              ? `Missing: ${s.missing.join(', ')}`
              : 'Needs attention',
          statusColor: s.complete ? ('Good' as const) : ('Attention' as const),
          answers: s.answers.map((a) => ({ title: a.label, value: a.value })),
        })),
        blocking: r.blocking.map((text) => ({ text })),
        ready: r.ready,
        adviseAvailable: r.adviseAvailable,
      },
      this.config.marking,
    );
  }
}

/* ---------- navigation: pure functions of the pointer and the draft ---------- */

/** The draft whose walk or review is open in this dialog, and the question being asked if walking. */
function openDraftOf(dc: DialogContext): { referralId: string; walking?: Pointer } | null {
  const walk = dc.stack.find((i) => i.id === WALK);
  const p = walk ? Pointer.safeParse((walk.state as { options?: unknown }).options) : null;
  if (p?.success) return { referralId: p.data.referralId, walking: p.data };
  const review = dc.stack.find((i) => i.id === REVIEW);
  const r = review ? ReviewState.safeParse((review.state as { options?: unknown }).options) : null;
  return r?.success ? { referralId: r.data.referralId } : null;
}

/**
 * The question to ask at or after `p`. Required questions already answered (pre-filled from the case,
 * or answered before a `back`) are passed over; optional ones are always asked, showing any current
 * answer, because a schema default (e.g. "no" for disclosure) looks just like an answer.
 */
function nextQuestion(p: Pointer, form: FormContext): { section: number; field: number } | null {
  let first = true;
  for (const at of positionsFrom(p)) {
    const q = questionAt(at)!;
    const exact = first && p.ask === true;
    first = false;
    if (!questionApplies(q, form)) continue;
    if (exact || p.editOnly || !q.required || !isAnswered(q, form.sections, form)) return at;
  }
  return null;
}

function previousQuestion(p: Pointer, form: FormContext): { section: number; field: number } | null {
  for (const at of positionsBefore(p)) if (questionApplies(questionAt(at)!, form)) return at;
  return null;
}

/** Where a resumed draft picks up: the first required question still unanswered. */
function firstRequiredGap(form: FormContext): { section: number; field: number } | null {
  for (const at of positionsFrom({ referralId: '-', section: 0, field: 0 })) {
    const q = questionAt(at)!;
    if (q.required && questionApplies(q, form) && !isAnswered(q, form.sections, form)) return at;
  }
  return null;
}

function questionActivity(p: Pointer, form: FormContext, withHeader = true): Partial<Activity> {
  const q = questionAt(p)!;
  const spec = REFERRAL_SECTIONS[p.section]!;
  const firstInSection = previousQuestion({ ...p, editOnly: true }, form) === null;
  const header =
    withHeader && firstInSection
      ? `**Section ${p.section + 1} of ${SECTION_COUNT}: ${spec.title}**\n\n_${spec.guidance}_\n\n`
      : '';
  const current = q.show((form.sections[q.section] ?? {}) as Record<string, unknown>, form);
  const lines = [
    `${header}${q.prompt(form)}`,
    q.hint ? `_${q.hint}_` : '',
    current !== undefined
      ? `Current answer: ${current}. Type **skip** to keep it.`
      : q.required
        ? ''
        : '_Optional: type **skip** to leave it._',
  ].filter(Boolean);
  const text = lines.join('\n\n');
  const choices = q.kind === 'multi' ? undefined : q.choices?.(form);
  return (
    choices && choices.length <= 6
      ? MessageFactory.suggestedActions(
          choices.map((c) => c.title),
          text,
        )
      : MessageFactory.text(text)
  ) as Partial<Activity>;
}

function withText(activity: Partial<Activity>, prefix: string): Partial<Activity> {
  return { ...activity, text: `${prefix}${activity.text ?? ''}` };
}

function reviewHelp(r: ReferralReview): string {
  return r.ready
    ? 'Use the buttons on the card, or type **submit**, **edit <section number>**, **save** or **cancel**.'
    : 'Some answers are still needed: use **Edit** on a section (or type **edit <section number>**), or **save** to finish later.';
}

function draftList(drafts: readonly DraftSummary[]): string {
  const rows = drafts.map(
    (d, i) => `${i + 1}. ${d.label}: ${d.sectionsDone} of ${d.sectionsTotal} sections, started ${d.startedOn}`,
  );
  return `You have ${drafts.length} draft referrals:\n\n${rows.join('\n')}\n\nType **refer <number>** to carry on with one, or **refer new** to start another.`;
}
