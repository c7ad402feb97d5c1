import { z } from 'zod';
import type { Catalogue } from '../capability';
import { optionalText, SubmittedForm, typedText } from '../payload';

const MeetingId = z.string().min(1).max(64);

/** The turn a card was rendered at; a forged or damaged value reads as absent. */
const Turn = z.coerce.number().int().nonnegative().optional().catch(undefined);

/**
 * A meeting form as sent: `form` goes to the use case as it came (its schema names each field's
 * problem in the card's words) and is shown again as typed when something is refused.
 */
export const MeetingFormPayload = SubmittedForm.transform((form) => ({
  meetingId: typedText(64).parse(form.meetingId),
  turn: Turn.parse(form.turn),
  form,
}));
export type MeetingFormPayload = z.output<typeof MeetingFormPayload>;

export const MeetingRefreshPayload = z.object({ meetingId: MeetingId });

export const STEP_FORMS = ['attendance', 'actions', 'round', 'amend', 'risk', 'plan', 'view', 'decision'] as const;
export type StepForm = (typeof STEP_FORMS)[number];
export const StepFormPayload = z.object({ meetingId: MeetingId, form: z.enum(STEP_FORMS), turn: Turn });

/**
 * Opens the caller's agency's update form (the personal invitation's "prepare your update" sends it
 * too). `agencyId` is the chair typing for the agency whose turn it is.
 */
export const UpdateOpenPayload = z.object({
  meetingId: MeetingId,
  kind: z.enum(['update', 'report_in_lieu']).catch('update'),
  agencyId: optionalText(64).transform((v) => v || undefined),
  turn: Turn,
});

export const MEETING_CATALOGUE = {
  commands: {
    'start meeting': {
      description:
        "Start a scheduled Level 2 or 3 meeting in this meeting chat, group chat or channel (the chair, or the co-ordinator on the chair's behalf): type start meeting and the case reference, optionally followed by minute-taker: and their name",
      audience: 'coordinator',
      example: 'start meeting MAPPA-2026-0042',
      action: 'meeting.run',
      where: 'any',
    },
    meeting: {
      description: 'Show the running meeting again here: type meeting and the case reference',
      audience: 'practitioner',
      example: 'meeting MAPPA-2026-0042',
      action: 'meeting.contribute',
      where: 'any',
    },
    'end meeting': {
      description:
        'Close the meeting record and write its actions (the chair): type end meeting and the case reference',
      audience: 'coordinator',
      example: 'end meeting MAPPA-2026-0042',
      action: 'meeting.run',
      where: 'any',
    },
  },
  verbs: {
    // Anyone enrolled may refresh; what they see depends on whether their agency was invited.
    'meeting.refresh': { via: 'execute', action: 'help.show', payload: MeetingRefreshPayload },
    'meeting.form': { via: 'execute', action: 'meeting.contribute', payload: StepFormPayload },
    'meeting.attendance': { via: 'execute', action: 'meeting.contribute', payload: MeetingFormPayload },
    'meeting.actionReview': { via: 'execute', action: 'meeting.contribute', payload: MeetingFormPayload },
    'meeting.round.open': { via: 'execute', action: 'meeting.run', payload: MeetingFormPayload },
    'meeting.round.move': { via: 'execute', action: 'meeting.run', payload: MeetingFormPayload },
    'meeting.update.open': { via: 'execute', action: 'meeting.contribute', payload: UpdateOpenPayload },
    'meeting.update.save': { via: 'execute', action: 'meeting.contribute', payload: MeetingFormPayload },
    'meeting.risk': { via: 'execute', action: 'meeting.run', payload: MeetingFormPayload },
    'meeting.plan': { via: 'execute', action: 'meeting.run', payload: MeetingFormPayload },
    'meeting.view': { via: 'execute', action: 'meeting.contribute', payload: MeetingFormPayload },
    'meeting.decision': { via: 'execute', action: 'meeting.run', payload: MeetingFormPayload },
    'meeting.end': { via: 'execute', action: 'meeting.run', payload: MeetingFormPayload },
  },
} as const satisfies Catalogue;
