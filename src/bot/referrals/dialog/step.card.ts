import { sectionAnswers, type CardValues, type FormContext } from '../../../app/referrals';
import { REFERRAL_SECTIONS } from '../../../domain/referral-sections';
import { renderCard, type AdaptiveCardJson, type CardData } from '../../cards/render';
import { groupAt, progressText, sectionGroups, stepQuestions, type Pointer } from './walk';

/** A refused card comes back with what was typed, and each question's problem beside its inputs. */
export interface StepCardState {
  readonly values?: CardValues;
  readonly problems?: readonly { questionId: string; message: string }[];
  /** "Save and add more": a fresh set of empty rows under the saved ones. */
  readonly moreRows?: boolean;
}

/** The section's guidance, shown on its first step and whenever the walk comes back into it. */
export function guidanceFor(p: Pointer): string {
  const first = sectionGroups(p.section)[0]?.first ?? 0;
  return groupAt(p)?.first === first || p.ask === true ? REFERRAL_SECTIONS[p.section]!.guidance : '';
}

/** One step of the walk as a card: the section's questions as inputs, holding the saved answers. */
export function stepCard(p: Pointer, form: FormContext, marking: string, state: StepCardState = {}): AdaptiveCardJson {
  const spec = REFERRAL_SECTIONS[p.section]!;
  const questions = stepQuestions(p, form);
  const current = (form.sections[spec.id] ?? {}) as Record<string, unknown>;
  const saved = Object.assign({}, ...questions.map((x) => x.values(current, form))) as CardValues;
  const values = { ...saved, ...state.values };
  const problems = state.problems ?? [];
  const inputs: CardData<'referral-step'>['inputs'] = questions.flatMap((question) => {
    const problem = problems.find((x) => x.questionId === question.id)?.message ?? '';
    const list = question.inputs(form, current, state.moreRows);
    return list.map((input, i) => ({
      id: input.id,
      label: input.label,
      title: input.title ?? input.label,
      kind: input.kind,
      heading: input.heading ?? '',
      required: input.required,
      errorMessage: input.required ? `${input.label}: please answer this.` : '',
      multiline: input.multiline ?? false,
      maxLength: input.maxLength ?? 2000,
      placeholder: input.placeholder ?? '',
      style: input.style ?? 'expanded',
      choices: [...(input.choices ?? [])],
      value: values[input.id] ?? (input.kind === 'toggle' ? 'false' : ''),
      // The message sits under the question's last input, where the person is looking.
      error: i === list.length - 1 ? problem : '',
    }));
  });
  const answered = questions.some((x) => x.show(current, form) !== undefined);
  const allRequiredThere = questions.every((x) => !x.required || x.show(current, form) !== undefined);
  const labels = problems.map((x) => questions.find((q) => q.id === x.questionId)?.label ?? x.questionId);
  return renderCard(
    'referral-step',
    {
      referralId: p.referralId,
      lead: p.lead ?? '',
      sectionId: spec.id,
      step: String(groupAt(p)?.first ?? p.field),
      shown: questions.map((x) => x.id).join(','),
      title: spec.title,
      progress: progressText(p, form),
      guidance: guidanceFor(p),
      formError:
        problems.length > 0
          ? `Nothing on this card is saved yet. Check ${labels.join(', ')}: each says what to change below.`
          : '',
      inputs,
      submitTitle: p.editOnly ? 'Save and go back to the review' : 'Save and continue',
      moreTitle: questions.some((x) => x.repeats) ? 'Save and add more rows' : '',
      // Keeping is only offered when there is something complete to keep.
      keepTitle: answered && allRequiredThere ? 'Keep the saved answers' : '',
    },
    marking,
  );
}

/** A section that arrived answered: its answers, and "Is this right?" with Yes and Change. */
export function confirmCard(p: Pointer, form: FormContext, marking: string): AdaptiveCardJson {
  const spec = REFERRAL_SECTIONS[p.section]!;
  return renderCard(
    'referral-confirm',
    {
      referralId: p.referralId,
      lead: p.lead ?? '',
      sectionId: spec.id,
      step: String(p.field),
      title: spec.title,
      progress: progressText(p, form),
      message: 'These answers are already filled in. Check them before you carry on.',
      facts: sectionAnswers(spec.id, form).map((a) => ({ title: a.label, value: a.value })),
      changeTitle: `Change ${spec.title}`,
    },
    marking,
  );
}
