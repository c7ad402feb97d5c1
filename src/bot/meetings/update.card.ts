import { meetingProgress, viewMeeting } from '../../app/meetings';
import type { AgencyUpdate } from '../../domain/agency-update.schema';
import { turnStateOf } from '../../domain/meeting-run';
import { errorSummary } from '../cards/error-summary';
import { UPDATE_FIELDS, type AdaptiveCardJson, type CardData, type UpdateField } from '../cards/render';
import type { HandlerContext } from '../handler-context';
import { updateFacts } from './meeting.card';
import type { OpenedForm } from './personal-form';
import { meetingAnswer } from './shared-card';

const LABELS: Readonly<Record<UpdateField, string>> = {
  content: 'Update since the last meeting',
  changeInRisk: 'Change in risk',
  childrenAndVulnerablePeople: 'Children and vulnerable adults',
  victimIssues: 'Victim issues',
  forDisclosure: 'Anything for disclosure',
  restrictedIntelligence: 'Police-only intelligence',
};

const blank = () => Object.fromEntries(UPDATE_FIELDS.map((f) => [f, ''])) as Record<UpdateField, string>;

/** Text as typed for each field (anything else reads as empty), so a refusal loses nothing. */
export function typedFields(form: Readonly<Record<string, unknown>>): Record<UpdateField, string> {
  const out = blank();
  for (const f of UPDATE_FIELDS) {
    const v = form[f];
    if (typeof v === 'string') out[f] = v.slice(0, 20_000);
  }
  return out;
}

export interface UpdateFormInput {
  readonly meetingId: string;
  readonly kind: 'update' | 'report_in_lieu';
  /** The acting agency; the caller's own unless the chair types for the agency whose turn it is. */
  readonly agencyId: string;
  readonly typed?: Record<UpdateField, string>;
  readonly version?: string;
  readonly errors?: Readonly<Record<string, string>>;
  readonly formError?: string;
  /** Someone else saved first: their version (as this reader may see it) above the kept text. */
  readonly conflict?: { readonly message: string; readonly current: AgencyUpdate | null };
  readonly lead?: string;
}

/**
 * The agency update form, prefilled with the agency's saved draft (as this reader may see it), for a
 * member of that agency or the chair typing for the agency whose turn it is. Police-only
 * intelligence is offered only when both the reader's and the acting agency have ViSOR access.
 */
export async function updateFormCard(h: HandlerContext, i: UpdateFormInput): Promise<AdaptiveCardJson> {
  const opened = await openUpdateForm(h, i);
  return 'form' in opened ? opened.form : opened.answer;
}

/** `updateFormCard`, saying whether it gave the form or the meeting card (see `formInPersonalChat`). */
export async function openUpdateForm(h: HandlerContext, i: UpdateFormInput): Promise<OpenedForm> {
  const run = h.deps.meetings.run;
  const [p, v] = await Promise.all([meetingProgress(run, i.meetingId), viewMeeting(run, h.principal, i.meetingId)]);
  if (!p || !v.ok) return { answer: await meetingAnswer(h, i.meetingId) };
  const m = v.value.meeting;
  const mine = h.principal.member?.agencyId ?? '';
  const state = m.run ? turnStateOf(m.run, i.agencyId) : null;
  // As the save decides: after its turn, the chair amends an agency's update on its behalf, even their own agency's.
  const onBehalf = i.agencyId !== mine || (state === 'done' && v.value.readerIsChair);
  if (onBehalf && !v.value.readerIsChair)
    return {
      answer: await meetingAnswer(h, i.meetingId, {
        notice: "Nothing was changed. You can only write your own agency's update.",
      }),
    };
  const saved = v.value.updates.find((u) => u.agencyId === i.agencyId) ?? null;
  const visor = (id: string) => p.area.agencies.find((a) => a.id === id)?.visorAccess ?? false;
  const name = p.agencyNames[i.agencyId] ?? i.agencyId;
  const passed = !onBehalf && state === 'done';
  const values = i.typed ?? { ...blank(), ...Object.fromEntries(UPDATE_FIELDS.map((f) => [f, saved?.[f] ?? ''])) };
  const errors = { ...blank(), ...(i.errors ?? {}) };
  const labels = Object.fromEntries(UPDATE_FIELDS.map((f) => [f, LABELS[f]]));
  // An absent agency's turn will not come: what it writes goes to the meeting as a written report.
  const report = i.kind === 'report_in_lieu' || (!onBehalf && state === 'absent');
  const statusLine =
    report && state === 'absent' && !onBehalf
      ? 'Your agency is marked absent, so its turn will not come: send your update as a written report in lieu, or ask the chair to change the round'
      : report
        ? 'A written report in lieu of attending: it goes to the meeting as you send it'
        : onBehalf
          ? `You are typing this for ${name}: the record says it was entered on its behalf`
          : passed
            ? "Your agency's turn has passed: only the chair can amend its update now, on your agency's behalf"
            : state === 'current' && saved?.status === 'confirmed'
              ? "Your agency's update is confirmed: you can amend it until the chair moves the round on"
              : state === 'current'
                ? "Your agency's turn: confirm or amend your prepared update"
                : 'Prepare your update: it is saved as a draft until the meeting reaches your agency';
  const data: CardData<'agency-update'> = {
    meetingId: i.meetingId,
    agencyId: i.agencyId,
    kind: report ? 'report_in_lieu' : 'update',
    updateVersion: i.version ?? (saved ? String(saved.version) : ''),
    turn: String(m.run?.round?.turn ?? 0),
    title: `${name} ${report ? 'report' : 'update'} for ${p.caseRef}`,
    statusLine: i.lead ? `${i.lead} ${statusLine}` : statusLine,
    conflict: i.conflict !== undefined,
    conflictMessage: i.conflict?.message ?? '',
    current: i.conflict?.current ? updateFacts(i.conflict.current) : [],
    showPoliceOnly: visor(i.agencyId) && visor(mine),
    values,
    errors,
    formError: [i.formError ?? '', errorSummary(errors, labels)].filter(Boolean).join(' '),
    canConfirm: report || onBehalf || state === 'current',
    canDraft: !report && !onBehalf && !passed,
    confirmTitle: report ? 'Send the report' : onBehalf ? `Record the update for ${name}` : 'Confirm the update',
  };
  return { form: h.card('agency-update', data) };
}

/**
 * The form as typed when the database did not answer: nothing read, nothing lost. The police-only box
 * is shown only if this person typed into it (their own words, back to them).
 */
export function offlineUpdateForm(
  h: HandlerContext,
  form: Readonly<Record<string, unknown>>,
  message: string,
): AdaptiveCardJson {
  const typed = typedFields(form);
  const str = (k: string) => (typeof form[k] === 'string' ? (form[k] as string).slice(0, 64) : '');
  return h.card('agency-update', {
    meetingId: str('meetingId') || 'unknown',
    agencyId: str('agencyId') || 'unknown',
    kind: form.kind === 'report_in_lieu' ? 'report_in_lieu' : 'update',
    updateVersion: str('version'),
    turn: str('turn'),
    title: 'Your agency update (not saved yet)',
    statusLine: message,
    conflict: false,
    conflictMessage: '',
    current: [],
    showPoliceOnly: typed.restrictedIntelligence !== '',
    values: typed,
    errors: blank(),
    formError: message,
    canConfirm: form.confirm === 'true' || form.confirm === true,
    canDraft: !(form.confirm === 'true' || form.confirm === true),
    confirmTitle: form.kind === 'report_in_lieu' ? 'Send the report' : 'Confirm the update',
  });
}
