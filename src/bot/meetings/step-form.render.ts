import { z } from 'zod';
import type { AdaptiveCardJson, CardData } from '../cards/render';
import { errorSummary } from '../cards/error-summary';
import type { HandlerContext } from '../handler-context';
import { STEP_FORMS, type StepForm } from './catalogue';

export type Input = CardData<'meeting-step'>['inputs'][number];
export type Choice = { title: string; value: string };

export const input = (id: string, label: string, o: Partial<Input> = {}): Input => ({
  id,
  label,
  title: '',
  kind: 'text',
  heading: '',
  required: false,
  errorMessage: `Check ${label.toLowerCase()}`,
  multiline: false,
  maxLength: 2000,
  placeholder: '',
  style: 'compact',
  choices: [],
  value: '',
  error: '',
  ...o,
});

export interface FormSpec {
  readonly title: string;
  readonly statusLine: string;
  readonly guidance?: string;
  readonly lists?: CardData<'meeting-step'>['lists'];
  readonly inputs: Input[];
  readonly submitTitle: string;
  readonly verb: string;
}

/** Each form's submit verb, for showing a form again without reading the meeting. */
export const STEP_VERBS: Readonly<Record<StepForm, string>> = {
  attendance: 'meeting.attendance',
  actions: 'meeting.actionReview',
  round: 'meeting.round.move',
  // Choosing the agency opens its update form (in the chair's personal chat) on its behalf.
  amend: 'meeting.update.open',
  risk: 'meeting.risk',
  plan: 'meeting.plan',
  view: 'meeting.view',
  decision: 'meeting.decision',
};

/**
 * The form's inputs as the card offered them (ids, labels, kinds, choices), carried in the submit
 * button's data so that when the database does not answer the form can be shown again exactly, with
 * everything typed, without reading anything (`offlineStepForm`). It only ever comes back to the
 * person who pressed the button.
 */
const ShapeInput = z.object({
  id: z.string().min(1).max(64),
  label: z.string().min(1).max(200),
  kind: z.enum(['text', 'date', 'choice', 'multi']),
  required: z.boolean(),
  multiline: z.boolean(),
  maxLength: z.number().int().positive().max(20_000),
  style: z.enum(['compact', 'expanded']),
  choices: z.array(z.object({ title: z.string().max(300), value: z.string().max(128) })).max(100),
});
const Shape = z.object({
  title: z.string().min(1).max(300),
  submitTitle: z.string().min(1).max(100),
  inputs: z.array(ShapeInput).max(20),
});
const SHAPE_KEYS = Object.keys(ShapeInput.shape) as (keyof z.infer<typeof ShapeInput>)[];

interface RenderInput {
  readonly meetingId: string;
  readonly form: StepForm;
  readonly spec: Pick<FormSpec, 'title' | 'submitTitle' | 'verb' | 'inputs'> & Partial<FormSpec>;
  readonly typed: Readonly<Record<string, unknown>>;
  readonly errors: Readonly<Record<string, string>>;
  readonly formError: string;
  readonly version: string;
  readonly turn: string;
  readonly statusLine?: string;
}

export function renderStepForm(h: Pick<HandlerContext, 'card'>, r: RenderInput): AdaptiveCardJson {
  const { spec, typed, errors } = r;
  const inputs = spec.inputs.map((i) => {
    const t = typed[i.id];
    const value = typeof t === 'string' ? t : Array.isArray(t) ? t.join(',') : i.value;
    const error = errors[i.id] ?? '';
    return { ...i, value, error, label: error ? `${i.label} (needs attention)` : i.label };
  });
  const labels = Object.fromEntries(spec.inputs.map((i) => [i.id, i.label]));
  const stray = Object.entries(errors)
    .filter(([k]) => !(k in labels))
    .map(([, m]) => m);
  const shape: z.infer<typeof Shape> = {
    title: spec.title,
    submitTitle: spec.submitTitle,
    inputs: spec.inputs.map((i) => Object.fromEntries(SHAPE_KEYS.map((k) => [k, i[k]])) as z.infer<typeof ShapeInput>),
  };
  return h.card('meeting-step', {
    meetingId: r.meetingId,
    title: spec.title,
    statusLine: r.statusLine ?? spec.statusLine ?? spec.title,
    guidance: spec.guidance ?? '',
    lists: spec.lists ?? [],
    inputs,
    formError: [r.formError, errorSummary(errors, labels), ...stray].filter(Boolean).join(' '),
    submitTitle: spec.submitTitle,
    verb: spec.verb,
    submitData: {
      meetingId: r.meetingId,
      form: r.form,
      version: r.version,
      turn: r.turn,
      shape: JSON.stringify(shape),
    },
  });
}

/**
 * The step form as it was sent, with every typed value, when the database did not answer: nothing is
 * read, nothing typed is lost, and `message` says what happened beside the button. Null when the
 * submission carries no readable shape (an old card): the caller then says so without the form.
 */
export function offlineStepForm(
  h: Pick<HandlerContext, 'card'>,
  sent: Readonly<Record<string, unknown>>,
  message: string,
): AdaptiveCardJson | null {
  const form = z.enum(STEP_FORMS).safeParse(sent.form);
  const raw = typeof sent.shape === 'string' ? sent.shape : '';
  let shape: z.infer<typeof Shape>;
  try {
    shape = Shape.parse(JSON.parse(raw));
  } catch {
    return null;
  }
  if (!form.success) return null;
  const verb = STEP_VERBS[form.data];
  const str = (k: string) => (typeof sent[k] === 'string' ? (sent[k] as string).slice(0, 64) : '');
  // A choice typed that is not among the choices (cannot come from Teams) is offered as itself, so it shows.
  const inputs = shape.inputs.map((i) => {
    const v = sent[i.id];
    const missing =
      i.kind === 'choice' && typeof v === 'string' && v && !i.choices.some((c) => c.value === v)
        ? [{ title: v.slice(0, 128), value: v.slice(0, 128) }]
        : [];
    return input(i.id, i.label, { ...i, choices: [...i.choices, ...missing] });
  });
  return renderStepForm(h, {
    meetingId: str('meetingId') || 'unknown',
    form: form.data,
    spec: { title: shape.title, submitTitle: shape.submitTitle, verb, inputs },
    typed: sent,
    errors: {},
    formError: message,
    version: str('version'),
    turn: str('turn'),
    statusLine: message,
  });
}
