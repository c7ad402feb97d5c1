import { isPersonal } from './find-meeting';
import type { AdaptiveCardJson } from '../cards/render';
import type { HandlerContext } from '../handler-context';
import { logFailure } from '../notifications/log-failure';
import { meetingAnswer } from './shared-card';

/**
 * What opening a form gave: the form itself, or (for someone not entitled to it, or a meeting that has
 * moved on) the meeting card as they may see it, which is answered in place like any other click.
 */
export type OpenedForm = { readonly form: AdaptiveCardJson } | { readonly answer: AdaptiveCardJson };

export const FORM_SENT = 'Your form is in your chat with MAPPA Assistant.';
export const NO_PERSONAL_CHAT =
  'I cannot send you the form yet: you have no chat with me. In Teams, open Chat, start a new chat with MAPPA Assistant and send it any message (for example help), then press this button again.';
const NOT_SENT =
  'I could not send the form to your chat with MAPPA Assistant just now. Please press the button again in a moment.';

/**
 * A form with free text opened from the shared meeting card goes to the clicker's personal chat: on the
 * shared card it would be wiped by the next update of that card (another person's step, or Teams'
 * refresh) and its detail would sit in a shared conversation. The click itself is answered with the
 * meeting as it stands and where the form went. Opened in personal chat (the invitation's button, or a
 * form sent there), the form is the answer, in place.
 */
export async function formInPersonalChat(
  h: HandlerContext,
  meetingId: string,
  opened: OpenedForm,
): Promise<AdaptiveCardJson> {
  if ('answer' in opened) return opened.answer;
  if (isPersonal(h)) return opened.form;
  const chat = await h.deps.conversations.personalChatOf(h.principal.tenantId, h.principal.aadObjectId);
  if (!chat) return meetingAnswer(h, meetingId, { notice: NO_PERSONAL_CHAT });
  try {
    await h.deps.meetings.messenger.sendPersonal(chat, opened.form, 'a meeting form');
  } catch (e) {
    logFailure(h.deps.logger, e, 'could not send a meeting form to a personal chat');
    return meetingAnswer(h, meetingId, { notice: NOT_SENT });
  }
  return meetingAnswer(h, meetingId, { notice: FORM_SENT });
}
