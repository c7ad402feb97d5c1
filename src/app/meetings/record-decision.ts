import { z } from 'zod';
import { deadlineForArea } from '../../domain/area.schema';
import { Category } from '../../domain/common.schema';
import { compareDates, IsoDate, ukDateOf } from '../../domain/dates';
import type { Meeting } from '../../domain/meeting.schema';
import type { Principal } from '../../domain/policy';
import { err, type Result } from '../../lib/result';
import { changeRun, fieldErrorsOf, invitedAgencies, loadArea, loadMeeting, validation } from './shared';
import type { MeetingDeps, MeetingError } from './shared';

const level = z.coerce.number().pipe(z.literal([1, 2, 3], { error: 'Choose Level 1, 2 or 3.' }));
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `Keep it under ${max.toLocaleString('en-GB')} characters.`)
    .optional()
    .transform((v) => (v === '' ? undefined : v));

export const DecisionInput = z.object({
  level,
  category: z.enum(Category.options, { error: 'Choose the category.' }),
  rationale: z
    .string()
    .trim()
    .min(1, 'Give the rationale for the decision.')
    .max(10_000, 'Keep the rationale under 10,000 characters.'),
  disclosureOutcome: z.enum(['none', 'disclose', 'do_not_disclose', 'review_later']).default('none'),
  disclosureRecipient: optionalText(500),
  disclosureRationale: optionalText(10_000),
  /** One dissent per agency, each as "agency id: view". */
  dissent: z
    .union([z.array(z.object({ agencyId: z.string(), view: z.string() })), z.string()])
    .optional()
    .transform((v) =>
      v === undefined
        ? []
        : Array.isArray(v)
          ? v
          : v
              .split('\n')
              .map((line) => line.split(/:(.*)/s))
              .filter(([a, b]) => a?.trim() && b?.trim())
              .map(([a, b]) => ({ agencyId: a!.trim(), view: b!.trim() })),
    ),
  nextReviewDate: IsoDate.optional().or(z.literal('').transform(() => undefined)),
  reviewDateReason: optionalText(2000),
});

/** The next review date the area's interval gives for the decided level, from the meeting's day. */
export function computedReviewDate(
  area: Parameters<typeof deadlineForArea>[0],
  level: 1 | 2 | 3,
  on: IsoDate,
): IsoDate | null {
  if (level === 1) return null;
  return deadlineForArea(area, level === 2 ? 'level2Review' : 'level3Review', on)?.due ?? null;
}

/**
 * The chair records the decision on level and category with its rationale, any disclosure decision,
 * dissenting views as stated, and the next review date (the area's interval unless a reason is given).
 */
export async function recordDecision(
  deps: MeetingDeps,
  principal: Principal,
  meetingId: string,
  raw: unknown,
): Promise<Result<Meeting, MeetingError>> {
  const loaded = await loadMeeting(deps, principal, meetingId, 'chair');
  if (!loaded.ok) return loaded;
  const { meeting, actor, forChair } = loaded.value;
  const parsed = DecisionInput.safeParse(raw);
  if (!parsed.success) return err(validation(fieldErrorsOf(parsed.error)));
  const input = parsed.data;
  const invited = invitedAgencies(meeting);
  const stray = input.dissent.find((d) => !invited.includes(d.agencyId));
  if (stray) return err(validation({ dissent: `${stray.agencyId} was not invited to this meeting.` }));
  if (input.disclosureOutcome !== 'none' && !input.disclosureRationale)
    return err(validation({ disclosureRationale: 'Give the rationale for the disclosure decision.' }));
  const area = await loadArea(deps);
  const today = ukDateOf(deps.clock.now());
  const computed = computedReviewDate(area, input.level, today);
  const next = input.nextReviewDate ?? computed;
  if (!next) return err(validation({ nextReviewDate: 'Give the next review date.' }));
  if (compareDates(next, today) <= 0)
    return err(validation({ nextReviewDate: 'The next review must be after today.' }));
  if (computed && next !== computed && !input.reviewDateReason)
    return err(
      validation({ reviewDateReason: `The area's interval gives ${computed}: say why the review is on another date.` }),
    );
  const decision = {
    level: input.level,
    category: input.category,
    rationale: input.rationale,
    ...(input.disclosureOutcome !== 'none'
      ? {
          disclosure: {
            outcome: input.disclosureOutcome,
            rationale: input.disclosureRationale!,
            ...(input.disclosureRecipient ? { recipient: input.disclosureRecipient } : {}),
          },
        }
      : {}),
    dissent: input.dissent,
    nextReviewDate: next,
    computedReviewDate: computed,
    ...(computed && next !== computed ? { reviewDateReason: input.reviewDateReason! } : {}),
    by: { aadObjectId: actor.aadObjectId, displayName: actor.displayName },
    at: deps.clock.now().toISOString(),
  };
  return changeRun(deps, meeting, actor, (run) => ({ ok: true, run: { ...run, decision } }), { forChair });
}
