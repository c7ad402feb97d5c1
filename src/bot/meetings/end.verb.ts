import { endMeeting } from '../../app/meetings';
import type { ExecuteHandler } from '../capability';
import type { MeetingFormPayload } from './catalogue';
import { meetingAnswer, updateMeetingCard } from './shared-card';
import { postMinutesCard } from '../minutes';

/** What ending said, in words: the actions written, or what is still missing before it can end. */
export function endedText(res: Awaited<ReturnType<typeof endMeeting>>): { ok: boolean; text: string } {
  if (res.ok) {
    const n = res.value.actions.length;
    return res.value.alreadyEnded
      ? { ok: true, text: 'This meeting had already ended; nothing was changed.' }
      : { ok: true, text: `Meeting ended. ${n} action${n === 1 ? '' : 's'} written for their owners.` };
  }
  const e = res.error;
  return { ok: false, text: 'fieldErrors' in e ? Object.values(e.fieldErrors).join(' ') : e.message };
}

/** The chair closes the record (idempotent: a second click says it had already ended). */
export const endVerb: ExecuteHandler<MeetingFormPayload> = async (h, p) => {
  const res = await endMeeting(h.deps.meetings.run, h.principal, p.meetingId);
  const said = endedText(res);
  const ids = res.ok && !res.value.alreadyEnded ? await updateMeetingCard(h, p.meetingId) : null;
  if (res.ok && !res.value.alreadyEnded) await postMinutesCard(h, p.meetingId);
  return meetingAnswer(h, p.meetingId, { notice: said.text, refreshUserIds: ids });
};
