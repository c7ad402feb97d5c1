import type { z } from 'zod';
import type { ExecuteHandler } from '../capability';
import type { StepForm, StepFormPayload } from './catalogue';
import { formInPersonalChat } from './personal-form';
import { openStepForm, stepFormCard } from './step-form.card';

/**
 * Quick choices with no long text stay on the shared card, answered to the clicker alone: attendance
 * (agency, status, a substitute's name), the chair's round changes (absent, order of agency names) and
 * the chair's choice of an agency whose update to amend.
 * Everything else has free text or the meeting's detail and opens in the clicker's personal chat.
 */
const IN_PLACE: ReadonlySet<StepForm> = new Set(['attendance', 'round', 'amend']);

/** Opens a step of the meeting as a form, for this reader only. */
export const formVerb: ExecuteHandler<z.output<typeof StepFormPayload>> = async (h, p) =>
  IN_PLACE.has(p.form)
    ? stepFormCard(h, p.form, p.meetingId)
    : formInPersonalChat(h, p.meetingId, await openStepForm(h, p.form, p.meetingId));
