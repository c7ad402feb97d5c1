import {
  CHAIR_ONLY,
  computedReviewDate,
  meetingProgress,
  previousActions,
  viewMeeting,
  type MeetingProgress,
  type MeetingView,
} from '../../app/meetings';
import type { ActionRecord } from '../../app/ports/action-repository.port';
import { PILLAR_LABELS, Pillar } from '../../domain/action.schema';
import { ukDateOf } from '../../domain/dates';
import { formatUkDate } from '../../domain/format';
import type { AdaptiveCardJson } from '../cards/render';
import type { HandlerContext } from '../handler-context';
import type { StepForm } from './catalogue';
import { ATTENDANCE_WORDS, RISK_WORDS, TO_WHOM_WORDS, TURN_WORDS, categoryTitle } from './meeting.card';
import { meetingAnswer } from './shared-card';
import type { OpenedForm } from './personal-form';
import { input, renderStepForm, STEP_VERBS, type Choice, type FormSpec } from './step-form.render';

export { offlineStepForm } from './step-form.render';

const words = (m: Readonly<Record<string, string>>): Choice[] =>
  Object.entries(m).map(([value, title]) => ({ title, value }));

interface Ctx {
  readonly today: string;
  readonly p: MeetingProgress;
  readonly v: MeetingView;
  readonly previous: readonly ActionRecord[];
  readonly isChair: boolean;
  readonly myAgencyId: string;
}

const agencyChoices = (c: Ctx, ids: readonly string[]): Choice[] =>
  ids.map((id) => ({ title: c.p.agencyNames[id] ?? id, value: id }));
const invited = (c: Ctx) => [...new Set(c.v.meeting.invitees.map((i) => i.agencyId))];
const ref = (c: Ctx) => c.p.caseRef;

const FORMS: Readonly<Record<StepForm, (c: Ctx) => FormSpec>> = {
  attendance: (c) => ({
    title: `Attendance for ${ref(c)}`,
    statusLine: 'The chair records each invited agency: present, apologies, substitute or report sent',
    lists: [
      {
        heading: 'Recorded so far',
        facts: invited(c).map((id) => {
          const a = c.v.meeting.run?.attendance.find((x) => x.agencyId === id);
          return { title: c.p.agencyNames[id] ?? id, value: a ? ATTENDANCE_WORDS[a.status]! : 'Not recorded yet' };
        }),
      },
    ],
    inputs: [
      input('agencyId', 'Agency', { kind: 'choice', required: true, choices: agencyChoices(c, invited(c)) }),
      input('status', 'Attendance', {
        kind: 'choice',
        required: true,
        style: 'expanded',
        choices: words(ATTENDANCE_WORDS),
      }),
      input('substituteName', 'Substitute name (when a substitute attends)', { maxLength: 200 }),
    ],
    submitTitle: 'Record attendance',
    verb: STEP_VERBS.attendance,
  }),
  actions: (c) => {
    const mine = c.previous.filter((a) => c.isChair || a.ownerAgencyId === c.myAgencyId);
    return {
      title: `Actions from the last meeting for ${ref(c)}`,
      statusLine: 'The owning agency or the chair marks each one done, in progress or not done',
      lists: [
        {
          heading: 'Last meeting’s actions',
          facts: c.previous.map((a) => {
            const r = c.v.meeting.run?.previousActions.find((x) => x.actionId === a.id);
            return {
              title: `${a.text} (${c.p.agencyNames[a.ownerAgencyId] ?? a.ownerAgencyId}, due ${formatUkDate(a.dueDate)})`,
              value: r
                ? `${{ done: 'Done', in_progress: 'In progress', not_done: 'Not done' }[r.status]}${r.note ? `: ${r.note}` : ''}`
                : 'Not reviewed yet',
            };
          }),
        },
      ],
      inputs: [
        input('actionId', 'Action', {
          kind: 'choice',
          required: true,
          choices: mine.map((a) => ({ title: a.text.slice(0, 120), value: a.id })),
        }),
        input('status', 'Progress', {
          kind: 'choice',
          required: true,
          style: 'expanded',
          choices: words({ done: 'Done', in_progress: 'In progress', not_done: 'Not done' }),
        }),
        input('note', 'Note', { multiline: true }),
      ],
      submitTitle: 'Record the review',
      verb: STEP_VERBS.actions,
    };
  },
  round: (c) => {
    const order = c.v.meeting.run?.round?.order ?? [];
    return {
      title: `The round of updates for ${ref(c)}`,
      statusLine: 'Mark an agency absent, or change the order of those still to speak',
      lists: [
        {
          heading: 'The round now',
          facts: order.map((s) => ({ title: c.p.agencyNames[s.agencyId] ?? s.agencyId, value: TURN_WORDS[s.state] })),
        },
      ],
      guidance:
        'To change the order, list every agency in the round by name, separated by commas, in the order they should speak.',
      inputs: [
        input('kind', 'What to do', {
          kind: 'choice',
          required: true,
          style: 'expanded',
          choices: [
            { title: 'Mark an agency absent', value: 'absent' },
            { title: 'Change the order', value: 'reorder' },
          ],
        }),
        input('agencyId', 'Agency to mark absent', {
          kind: 'choice',
          choices: agencyChoices(
            c,
            order.filter((s) => s.state !== 'done').map((s) => s.agencyId),
          ),
        }),
        input('order', 'New order', {
          multiline: true,
          value: order.map((s) => c.p.agencyNames[s.agencyId] ?? s.agencyId).join(', '),
        }),
      ],
      submitTitle: 'Change the round',
      verb: STEP_VERBS.round,
    };
  },
  amend: (c) => {
    const passed = (c.v.meeting.run?.round?.order ?? []).filter((s) => s.state === 'done').map((s) => s.agencyId);
    return {
      title: `Amend an agency's update for ${ref(c)}`,
      statusLine: "After an agency's turn, only the chair amends its update, on its behalf",
      lists: [],
      guidance:
        'Choose the agency: its update opens in your chat with MAPPA Assistant, and the record says you entered it on its behalf.',
      inputs: [input('agencyId', 'Agency', { kind: 'choice', required: true, choices: agencyChoices(c, passed) })],
      submitTitle: 'Open its update',
      verb: STEP_VERBS.amend,
    };
  },
  risk: (c) => ({
    title: `Risk of serious harm for ${ref(c)}`,
    statusLine: 'Recorded by the chair for the meeting record',
    inputs: [
      input('level', 'Risk of serious harm', {
        kind: 'choice',
        required: true,
        choices: words(RISK_WORDS),
        value: c.v.meeting.run?.risk?.level ?? '',
      }),
      input('toWhom', 'At risk', {
        kind: 'multi',
        choices: words(TO_WHOM_WORDS),
        value: c.v.meeting.run?.risk?.toWhom.join(',') ?? '',
      }),
    ],
    submitTitle: 'Record the risk',
    verb: STEP_VERBS.risk,
  }),
  plan: (c) => ({
    title: `Risk management plan for ${ref(c)}`,
    statusLine: 'Each action sits under a pillar (or contingency), with an owner agency and a due date',
    lists: c.v.meeting.run?.plan.length
      ? [
          {
            heading: 'Agreed so far',
            facts: c.v.meeting.run.plan.map((a) => ({
              title: PILLAR_LABELS[a.pillar],
              value: `${a.text} · ${c.p.agencyNames[a.ownerAgencyId] ?? a.ownerAgencyId} · due ${formatUkDate(a.dueDate)}`,
            })),
          },
        ]
      : [],
    inputs: [
      input('pillar', 'Pillar', {
        kind: 'choice',
        required: true,
        choices: Pillar.options.map((x) => ({ title: PILLAR_LABELS[x], value: x })),
      }),
      input('text', 'Action', { required: true, multiline: true, errorMessage: 'Describe the action' }),
      input('ownerAgencyId', 'Owning agency', {
        kind: 'choice',
        required: true,
        choices: agencyChoices(c, invited(c)),
      }),
      input('ownerName', 'Named owner (optional)', { maxLength: 200 }),
      input('dueDate', 'Due date', { kind: 'date', required: true, errorMessage: 'Give the due date' }),
    ],
    submitTitle: 'Add the action',
    verb: STEP_VERBS.plan,
  }),
  view: (c) => ({
    title: `Your agency's view for ${ref(c)}`,
    statusLine: 'Closing round: each present agency gives its view on level and category',
    inputs: [
      input('level', 'Level', {
        kind: 'choice',
        required: true,
        style: 'expanded',
        choices: [1, 2, 3].map((n) => ({ title: `Level ${n}`, value: String(n) })),
      }),
      input('category', 'Category', { kind: 'choice', required: true, choices: [...c.p.categories] }),
      input('comment', 'Comment (optional)', { multiline: true }),
    ],
    submitTitle: 'Give the view',
    verb: STEP_VERBS.view,
  }),
  decision: (c) => {
    const run = c.v.meeting.run;
    const computed = computedReviewDate(c.p.area, c.v.meeting.level, c.today);
    return {
      title: `Decision for ${ref(c)}`,
      statusLine: computed
        ? `The area's review interval gives the next review on ${formatUkDate(computed)}; another date needs a reason`
        : 'Give the next review date',
      lists: run?.views.length
        ? [
            {
              heading: 'Closing views',
              facts: run.views.map((x) => ({
                title: c.p.agencyNames[x.agencyId] ?? x.agencyId,
                value: `Level ${x.level}, ${categoryTitle(c.p, x.category)}${x.comment ? `: ${x.comment}` : ''}`,
              })),
            },
          ]
        : [],
      guidance: 'Dissent: one line per agency, the agency name, a colon, then its view as stated.',
      inputs: [
        input('level', 'Level', {
          kind: 'choice',
          required: true,
          style: 'expanded',
          choices: [1, 2, 3].map((n) => ({ title: `Level ${n}`, value: String(n) })),
          value: String(c.v.meeting.level),
        }),
        input('category', 'Category', { kind: 'choice', required: true, choices: [...c.p.categories] }),
        input('rationale', 'Rationale', { required: true, multiline: true, maxLength: 10000 }),
        input('disclosureOutcome', 'Disclosure decision', {
          kind: 'choice',
          choices: [
            { title: 'No disclosure decision', value: 'none' },
            { title: 'Disclose', value: 'disclose' },
            { title: 'Do not disclose', value: 'do_not_disclose' },
            { title: 'Review later', value: 'review_later' },
          ],
          value: 'none',
        }),
        input('disclosureRecipient', 'Disclosure to (a role, not a name)', { maxLength: 500 }),
        input('disclosureRationale', 'Disclosure rationale', { multiline: true, maxLength: 10000 }),
        input('dissent', 'Dissent', { multiline: true, maxLength: 8000 }),
        input('nextReviewDate', 'Next review date', { kind: 'date', value: computed ?? '' }),
        input('reviewDateReason', 'Reason for another review date', { multiline: true }),
      ],
      submitTitle: 'Record the decision',
      verb: STEP_VERBS.decision,
    };
  },
};

const CHAIR_FORMS: ReadonlySet<StepForm> = new Set(['attendance', 'round', 'amend', 'risk', 'plan', 'decision']);

/** Why this reader may not have this form, in words, or null when they may. */
function formRefusal(form: StepForm, c: Ctx): string | null {
  if (c.isChair) return null;
  if (CHAIR_FORMS.has(form)) return CHAIR_ONLY;
  if (form === 'actions' && !c.previous.some((a) => a.ownerAgencyId === c.myAgencyId))
    return "Only the action's owning agency or the chair can review it.";
  if (form === 'view') {
    const a = c.v.meeting.run?.attendance.find((x) => x.agencyId === c.myAgencyId);
    if (!a || (a.status !== 'present' && a.status !== 'substitute'))
      return 'Only agencies present at the meeting give a closing view.';
  }
  return null;
}

/**
 * A step of the meeting as a form for an entitled reader, with what was typed kept and each refused
 * field's message under it. Anyone else gets the meeting card as they may see it.
 */
export async function stepFormCard(
  h: HandlerContext,
  form: StepForm,
  meetingId: string,
  typed: Readonly<Record<string, unknown>> = {},
  errors: Readonly<Record<string, string>> = {},
  formError = '',
): Promise<AdaptiveCardJson> {
  const opened = await openStepForm(h, form, meetingId, typed, errors, formError);
  return 'form' in opened ? opened.form : opened.answer;
}

/** `stepFormCard`, saying whether it gave the form or the meeting card (see `formInPersonalChat`). */
export async function openStepForm(
  h: HandlerContext,
  form: StepForm,
  meetingId: string,
  typed: Readonly<Record<string, unknown>> = {},
  errors: Readonly<Record<string, string>> = {},
  formError = '',
): Promise<OpenedForm> {
  const run = h.deps.meetings.run;
  const [p, v] = await Promise.all([meetingProgress(run, meetingId), viewMeeting(run, h.principal, meetingId)]);
  if (!p || !v.ok) return { answer: await meetingAnswer(h, meetingId) };
  const ctx: Ctx = {
    today: ukDateOf(run.clock.now()),
    p,
    v: v.value,
    previous: await previousActions(run, v.value.meeting),
    isChair: v.value.readerIsChair,
    myAgencyId: h.principal.member?.agencyId ?? '',
  };
  // The server decides who gets a form, not which buttons a card happened to show.
  const refusal = formRefusal(form, ctx);
  if (refusal) return { answer: await meetingAnswer(h, meetingId, { notice: refusal }) };
  const spec = FORMS[form](ctx);
  const m = v.value.meeting;
  return {
    form: renderStepForm(h, {
      meetingId,
      form,
      spec,
      typed,
      errors,
      formError,
      version: String(m.version),
      turn: String(m.run?.round?.turn ?? 0),
    }),
  };
}
