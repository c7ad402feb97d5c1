import type { z } from 'zod';
import type { ExecuteHandler } from '../capability';
import type { StepFormPayload } from './catalogue';
import { stepFormCard } from './step-form.card';

/** Opens a step of the meeting as a form, for this reader only (the answer to their click). */
export const formVerb: ExecuteHandler<z.output<typeof StepFormPayload>> = (h, p) =>
  stepFormCard(h, p.form, p.meetingId);
