import { z } from 'zod';
import type { AgencyUpdate } from '../../domain/agency-update.schema';
import { turnStateOf } from '../../domain/meeting-run';
import type { Principal } from '../../domain/policy';
import { redactForReader } from '../../domain/police-only';
import { appError, type AppError } from '../../lib/errors';
import { err, ok, type Result } from '../../lib/result';
import {
  fieldErrorsOf,
  forChairDetails,
  invitedAgencies,
  loadArea,
  loadMeeting,
  runsMeeting,
  validation,
} from './shared';
import type { MeetingDeps, MeetingError } from './shared';

const field = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `Keep ${label} under ${max.toLocaleString('en-GB')} characters.`)
    .optional()
    .transform((v) => (v === '' ? undefined : v));

export const AgencyUpdateInput = z.object({
  agencyId: z.string().trim().min(1, 'Choose the agency.'),
  kind: z.enum(['update', 'report_in_lieu']).default('update'),
  content: z
    .string({ error: 'Write the update since the last meeting.' })
    .trim()
    .min(1, 'Write the update since the last meeting.')
    .max(20_000, 'Keep the update under 20,000 characters.'),
  changeInRisk: field(10_000, 'the change in risk'),
  childrenAndVulnerablePeople: field(10_000, 'children and vulnerable adults'),
  victimIssues: field(10_000, 'victim issues'),
  forDisclosure: field(10_000, 'anything for disclosure'),
  restrictedIntelligence: field(20_000, 'police-only intelligence'),
  /** Confirm at the agency's turn; before it, the update is saved as a draft. */
  confirm: z
    .union([z.boolean(), z.enum(['true', 'false'])])
    .transform((v) => v === true || v === 'true')
    .default(false),
  /** The version the typist started from; absent (or '') when there was no update yet. */
  version: z
    .union([z.number(), z.string()])
    .optional()
    .transform((v) => (v === undefined || v === '' ? null : Number(v)))
    .pipe(z.number().int().nonnegative().nullable()),
});
export type AgencyUpdateInput = z.input<typeof AgencyUpdateInput>;

/** Someone else saved first: their text (as this reader may see it) and what this person typed, kept. */
export type UpdateConflict = AppError<'VERSION_CONFLICT'> & {
  readonly current: AgencyUpdate | null;
  readonly typed: AgencyUpdateInput;
};

/**
 * The agency's own update is closed to it: its turn has passed (the chair may amend it on its behalf),
 * or it is marked absent and its turn will not come (its text can go as a written report in lieu).
 */
export type UpdateClosed = AppError<'ILLEGAL_TRANSITION'> & { readonly closed: 'turn_passed' | 'absent' };

export const TURN_PASSED =
  "Your agency's turn has passed, so its update is closed to you: the chair can amend it on your agency's behalf. Your text is kept here so you can pass it on.";
export const ABSENT =
  'Your agency is marked absent from this meeting, so its turn will not come and an update would not be heard. Send your text as a written report in lieu (it is kept here), or ask the chair to change the round.';

/**
 * Saves an agency's update (or its written report in lieu). A member of the agency saves its own: a
 * draft before the meeting reaches it, confirmed at its turn. The chair may type it for the agency
 * whose turn it is, recorded as entered on its behalf. Each save is conditional on the version the
 * typist started from: a conflict returns the saved text and keeps the typed one, never overwriting.
 */
export async function saveAgencyUpdate(
  deps: MeetingDeps,
  principal: Principal,
  meetingId: string,
  raw: unknown,
): Promise<Result<AgencyUpdate, MeetingError | UpdateConflict | UpdateClosed>> {
  const loaded = await loadMeeting(deps, principal, meetingId, 'contribute');
  if (!loaded.ok) return loaded;
  const { meeting, actor } = loaded.value;
  const parsed = AgencyUpdateInput.safeParse(raw);
  if (!parsed.success) return err(validation(fieldErrorsOf(parsed.error)));
  const input = parsed.data;
  if (!invitedAgencies(meeting).includes(input.agencyId))
    return err(validation({ agencyId: 'That agency was not invited to this meeting.' }));
  if (meeting.status === 'held' || meeting.status === 'cancelled')
    return err(appError('ILLEGAL_TRANSITION', `The meeting is ${meeting.status}: updates are closed.`));
  const area = await loadArea(deps);
  const visor = (id: string | undefined) => area.agencies.find((a) => a.id === id)?.visorAccess ?? false;
  const state = meeting.run ? turnStateOf(meeting.run, input.agencyId) : null;
  const chair = runsMeeting(principal, meeting);
  // An agency amends its own update until the round moves past it; after that only the chair (or the
  // co-ordinator for the chair) amends it, on its behalf, including the chair's own agency's.
  const own = principal.member?.agencyId === input.agencyId && !(state === 'done' && chair);
  const onBehalf = !own;
  if (onBehalf) {
    if (!chair) return err(appError('NOT_PERMITTED', "You can only write your own agency's update."));
    if (state !== 'current' && state !== 'done')
      return err(
        validation({
          agencyId:
            'The chair can enter the update of the agency whose turn it is, or amend one whose turn has passed.',
        }),
      );
  } else if (state === 'done') {
    return err({ ...appError('ILLEGAL_TRANSITION', TURN_PASSED), closed: 'turn_passed' });
  } else if (state === 'absent' && input.kind === 'update' && input.confirm) {
    return err({ ...appError('ILLEGAL_TRANSITION', ABSENT), closed: 'absent' });
  }
  if (input.restrictedIntelligence && !(visor(input.agencyId) && visor(principal.member?.agencyId)))
    return err(
      validation({ restrictedIntelligence: 'Only agencies with ViSOR access can record police-only intelligence.' }),
    );
  const confirmed = input.kind === 'report_in_lieu' || onBehalf || (input.confirm && state === 'current');
  const by = { aadObjectId: actor.aadObjectId, displayName: actor.displayName };
  const saved = await deps.agencyUpdates.save(
    {
      areaId: meeting.areaId,
      caseId: meeting.caseId,
      meetingId: meeting.id,
      agencyId: input.agencyId,
      author: by,
      kind: input.kind,
      content: input.content,
      ...(input.changeInRisk ? { changeInRisk: input.changeInRisk } : {}),
      ...(input.childrenAndVulnerablePeople ? { childrenAndVulnerablePeople: input.childrenAndVulnerablePeople } : {}),
      ...(input.victimIssues ? { victimIssues: input.victimIssues } : {}),
      ...(input.forDisclosure ? { forDisclosure: input.forDisclosure } : {}),
      ...(input.restrictedIntelligence ? { restrictedIntelligence: input.restrictedIntelligence } : {}),
      status: confirmed ? 'confirmed' : 'draft',
      ...(onBehalf ? { enteredOnBehalfBy: by } : {}),
      submittedAt: deps.clock.now().toISOString(),
    },
    input.version,
    {
      by: actor,
      ...(onBehalf && forChairDetails(principal, meeting) ? { details: forChairDetails(principal, meeting) } : {}),
    },
  );
  if (saved.ok) return ok(saved.value);
  const current = saved.error.current;
  return err({
    ...appError(
      'VERSION_CONFLICT',
      !current
        ? 'This update changed while you were typing; your text is kept so you can save again.'
        : current.author.aadObjectId === actor.aadObjectId
          ? 'You saved this update from another card while this one was open. That saved version is shown; your text here is kept below so you can merge the two and save again.'
          : `${current.author.displayName} saved this update while you were typing. Their version is shown; your text is kept below so you can merge it and save again.`,
    ),
    current: current ? redactForReader('agencyUpdate', current, visor(principal.member?.agencyId)) : null,
    typed: raw as AgencyUpdateInput,
  });
}
