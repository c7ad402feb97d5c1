import { Dialog, type DialogContext, type DialogTurnResult } from 'botbuilder-dialogs';
import { clearSectionAnswer, initialsOf, isAnswered, StartOptions, startOrResumeDraft } from '../../../app/referrals';
import { REFERRAL_SECTIONS } from '../../../domain/referral-sections';
import { loadOpenDraft, restart, type ReferralDialogConfig } from './config';
import { advance, confirmed } from './moves';
import { openDraft, referDialogOptions } from './opening';
import { rememberPlace } from './places';
import { draftList, isTypedStep, REFER_USAGE } from './questions';
import {
  openDraftOf,
  previousStep,
  progressText,
  SECTION_COUNT,
  START,
  stepQuestions,
  WALK,
  type Pointer,
} from './walk';

/* The words the walk understands whatever it is showing. Each does one thing and says what it did. */

export const COMMANDS = ['back', 'skip', 'keep', 'status', 'cancel', 'save'] as const;
export type Command = (typeof COMMANDS)[number];

const titleOf = (section: number) => REFERRAL_SECTIONS[section]!.title;
const listed = (labels: readonly string[]) => labels.map((l) => `"${l}"`).join(', ');

/**
 * `refer …` while a draft is open switches to the draft it names (or starts the one it asks for),
 * as it would from outside: the open draft is already saved answer by answer, and its place is
 * kept so `refer` brings the person back to the same step. Words that name no draft switch
 * nothing, because they may have been meant as an answer.
 */
export async function onRefer(
  config: ReferralDialogConfig,
  dc: DialogContext,
  args: string,
): Promise<DialogTurnResult> {
  const here = openDraftOf(dc);
  const principal = await config.principalOf(dc.context);
  if (!principal) return dc.cancelAllDialogs();
  const current = here ? await loadOpenDraft(config, dc.context, here.referralId) : 'no draft open';
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
    if (here.walking && isTypedStep(here.walking, current.form)) await dc.repromptDialog();
    return Dialog.EndOfTurn;
  };

  const opts = StartOptions.safeParse(referDialogOptions(args));
  if (!opts.success) return stay(`${opts.error.issues[0]?.message ?? ''} ${REFER_USAGE}`.trim());
  const res = await startOrResumeDraft(config.deps, principal, { ...opts.data, startFromLabel: false });
  if (!res.ok) return stay(res.error.message);
  if (res.value.kind === 'choose') return stay(draftList(res.value.drafts));
  if (res.value.referral.id === here.referralId) {
    await dc.context.sendActivity(
      here.walking
        ? `You are already working on this referral (${label}).`
        : `You are already working on this referral (${label}): use the card, or type **submit**, **edit <section number>**, **save** or **cancel**.`,
    );
    if (here.walking && isTypedStep(here.walking, current.form)) await dc.repromptDialog();
    return Dialog.EndOfTurn;
  }
  const opening = await openDraft(config, dc.context, principal, res.value, opts.data);
  if (typeof opening === 'string') return stay(opening);
  await rememberPlace(config, dc);
  const saved = `Your referral for ${label} is saved as it is: type **${initials === '?' ? 'refer' : `refer ${initials}`}** to come back to it.`;
  return restart(dc, opening.dialogId, { ...opening.options, lead: `${saved}\n\n${opening.message}` });
}

export async function onCommand(
  config: ReferralDialogConfig,
  dc: DialogContext,
  command: Command,
): Promise<DialogTurnResult | null> {
  const open = openDraftOf(dc);
  const referralId = open?.referralId;
  if (command === 'cancel' || command === 'save') {
    await rememberPlace(config, dc);
    // Every answer is saved as it is given, so neither word discards anything; each says so.
    await dc.context.sendActivity(
      command === 'save'
        ? 'Saved: every answer so far is in your draft. Type **refer** when you want to finish it; I will pick up where you left off.'
        : 'Stopped the referral walk. Nothing was deleted: every answer so far is kept in your draft. Type **refer** to carry on where you left off.',
    );
    return dc.cancelAllDialogs();
  }
  if (!referralId) return null;
  const loaded = await loadOpenDraft(config, dc.context, referralId);
  if (typeof loaded === 'string') {
    await dc.context.sendActivity(loaded);
    return dc.cancelAllDialogs();
  }
  const { form } = loaded;

  if (!open?.walking) {
    // At the review: only `status` and `back` mean something here.
    if (command === 'back') {
      const last = previousStep({ referralId, section: SECTION_COUNT, field: 0 }, form);
      if (last) return restart(dc, WALK, { referralId, ...last, ask: true } satisfies Pointer);
    }
    await dc.context.sendActivity(
      command === 'status'
        ? `All ${SECTION_COUNT} sections done: you are reviewing the referral before submitting.`
        : `Nothing to ${command === 'keep' ? 'keep' : 'leave blank'} here. Use the buttons on the card, or type **submit**, **edit <section number>**, **save** or **cancel**.`,
    );
    return Dialog.EndOfTurn;
  }

  const here = open.walking;
  const reprompt = async () => {
    // A card is still on screen; only a typed question is asked again.
    if (isTypedStep(here, form)) await dc.repromptDialog();
    return Dialog.EndOfTurn;
  };
  if (command === 'status') {
    await dc.context.sendActivity(`${titleOf(here.section)}: ${progressText(here, form)}.`);
    return reprompt();
  }
  if (command === 'back') {
    const prev = previousStep(here, form);
    if (!prev) {
      await dc.context.sendActivity(
        here.editOnly ? 'This is the first step of the section.' : 'This is the first step.',
      );
      return reprompt();
    }
    return restart(dc, WALK, {
      referralId,
      ...prev,
      ask: true,
      ...(here.editOnly ? { editOnly: true } : {}),
    } satisfies Pointer);
  }
  if (here.confirm) {
    if (command === 'keep') return confirmed(dc, here, true);
    await dc.context.sendActivity(
      `Nothing to leave blank here. Press **Yes, this is right** or **Change ${titleOf(here.section)}** on the card, or type **yes** or **change**.`,
    );
    return Dialog.EndOfTurn;
  }
  const questions = stepQuestions(here, form);
  const missing = questions.filter((x) => x.required && !isAnswered(x, form.sections, form)).map((x) => x.label);
  const answered = questions.filter((x) => isAnswered(x, form.sections, form));
  if (command === 'keep') {
    if (missing.length > 0) {
      await dc.context.sendActivity(
        `There is no saved answer to keep for ${listed(missing)} yet. Answer it, or type **save** to finish later.`,
      );
      return reprompt();
    }
    const kept =
      answered.length > 0
        ? `Kept the saved answers: ${answered.map((x) => x.label).join(', ')}.`
        : `Nothing was saved for ${listed(questions.map((x) => x.label))}, so it stays blank.`;
    return advance(config, dc, here, kept);
  }
  // skip: leave blank, which a required question cannot be.
  const required = questions.filter((x) => x.required).map((x) => x.label);
  if (required.length > 0) {
    await dc.context.sendActivity(
      `${listed(required)} ${required.length === 1 ? 'is' : 'are'} required, so ${questions.length === 1 ? 'it' : 'this step'} cannot be left blank. ` +
        (missing.length === 0 ? 'Type **keep** to keep the saved answer, answer again, ' : 'Answer it, ') +
        'or type **save** to finish later.',
    );
    return reprompt();
  }
  const principal = await config.principalOf(dc.context);
  if (!principal) return dc.cancelAllDialogs();
  for (const question of answered) {
    const cleared = await clearSectionAnswer(config.deps, principal, referralId, question.section, question.id);
    if (!cleared.ok) {
      await dc.context.sendActivity(cleared.error.message);
      return reprompt();
    }
  }
  const blankLabels = questions.map((x) => x.label).join(', ');
  return advance(
    config,
    dc,
    here,
    answered.length > 0
      ? `Left blank: ${blankLabels} (the saved answer${answered.length > 1 ? 's were' : ' was'} removed).`
      : `Left blank: ${blankLabels}.`,
  );
}
