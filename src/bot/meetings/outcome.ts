import type { MeetingError } from '../../app/meetings';
import type { Result } from '../../lib/result';
import type { AdaptiveCardJson } from '../cards/render';
import type { HandlerContext } from '../handler-context';
import type { MeetingFormPayload, StepForm } from './catalogue';
import { NOT_INVITED } from './find-meeting';
import { meetingAnswer, updateMeetingCard } from './shared-card';
import { keepTypedOnOutage } from './keep-typed';
import { offlineStepForm, stepFormCard } from './step-form.card';

/**
 * The answer to a meeting step: on success the shared card is updated for everyone and the clicker
 * gets their detailed view with `done` said on it; a refused form comes back with what was typed and
 * each field's message; any other refusal (chair-only, the meeting has ended, an outsider) answers
 * with the meeting as this reader may see it and the reason in words, never an error.
 */
export async function stepOutcome<T>(
  h: HandlerContext,
  p: MeetingFormPayload,
  res: Result<T, MeetingError>,
  form: StepForm | null,
  done: string | ((value: T) => string),
): Promise<AdaptiveCardJson> {
  if (res.ok) {
    const ids = await updateMeetingCard(h, p.meetingId);
    const notice = typeof done === 'string' ? done : done(res.value);
    return meetingAnswer(h, p.meetingId, { notice, refreshUserIds: ids });
  }
  const e = res.error;
  // Only a form sent from its own card comes back as that form; a button's refusal is said on the meeting card.
  if (e.code === 'VALIDATION_FAILED' && form && p.form.form === form)
    return stepFormCard(h, form, p.meetingId, p.form, e.fieldErrors);
  const why =
    e.code === 'NOT_FOUND' ? NOT_INVITED : 'fieldErrors' in e ? Object.values(e.fieldErrors).join(' ') : e.message;
  return meetingAnswer(h, p.meetingId, { notice: `Nothing was changed. ${why}` });
}

/**
 * A meeting step saved from its form or button: `save` runs the use case, `stepOutcome` answers, and
 * a database that does not answer gets the form back as sent with every typed value (a button with no
 * form gets the same words on a notice).
 */
export function runStep<T>(
  h: HandlerContext,
  p: MeetingFormPayload,
  form: StepForm | null,
  done: string | ((value: T) => string),
  save: () => Promise<Result<T, MeetingError>>,
): Promise<AdaptiveCardJson> {
  return keepTypedOnOutage(
    h,
    'a meeting step',
    save,
    (res) => stepOutcome(h, p, res, form, done),
    (message) =>
      offlineStepForm(h, p.form, message) ??
      h.card('notice', {
        title: 'That did not go through',
        message: message.replace('Your text is kept here: press', 'Please press'),
        facts: [],
      }),
  );
}
