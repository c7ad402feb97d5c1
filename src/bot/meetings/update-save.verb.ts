import { saveAgencyUpdate, type MeetingError, type UpdateClosed, type UpdateConflict } from '../../app/meetings';
import type { Result } from '../../lib/result';
import type { AgencyUpdate } from '../../domain/agency-update.schema';
import { UPDATE_FIELDS } from '../cards/render';
import type { ExecuteHandler } from '../capability';
import { NOT_INVITED } from './find-meeting';
import { keepTypedOnOutage } from './keep-typed';
import type { MeetingFormPayload } from './catalogue';
import { meetingAnswer, updateMeetingCard } from './shared-card';
import { offlineUpdateForm, typedFields, updateFormCard } from './update.card';

/** A second click of the same form finds its own text already saved: that is success, not a conflict. */
function sameAsTyped(current: AgencyUpdate | null, typed: Record<string, string>): boolean {
  if (!current) return false;
  return UPDATE_FIELDS.every((f) => (current[f] ?? '').trim() === (typed[f] ?? '').trim());
}

/**
 * Saves an agency's update (draft, confirmed, on the agency's behalf, or a report in lieu). Nothing
 * typed is ever lost: a conflict shows the saved version above the kept text, a refusal names the
 * field, and an outage says so with the text still in the form.
 */
export const updateSaveVerb: ExecuteHandler<MeetingFormPayload> = async (h, p) => {
  const typed = typedFields(p.form);
  const agencyId = typeof p.form.agencyId === 'string' ? p.form.agencyId : '';
  const kind = p.form.kind === 'report_in_lieu' ? 'report_in_lieu' : 'update';
  const base = { meetingId: p.meetingId, kind, agencyId, typed } as const;
  return keepTypedOnOutage(
    h,
    'an agency update',
    () => saveAgencyUpdate(h.deps.meetings.run, h.principal, p.meetingId, p.form),
    async (res: Result<AgencyUpdate, MeetingError | UpdateConflict | UpdateClosed>) => {
      let saved: AgencyUpdate | null = res.ok ? res.value : null;
      if (!res.ok) {
        const e = res.error;
        if (e.code === 'VERSION_CONFLICT' && 'current' in e && sameAsTyped(e.current, typed)) saved = e.current;
        else if (e.code === 'VERSION_CONFLICT' && 'current' in e)
          return updateFormCard(h, {
            ...base,
            version: e.current ? String(e.current.version) : '',
            conflict: { message: e.message, current: e.current },
          });
        else if ('closed' in e)
          // Closed to the agency: the form says why, keeps the text, and offers only what is still open
          // (an absent agency's text as a written report in lieu; after its turn, nothing but passing it on).
          return updateFormCard(h, {
            ...base,
            kind: e.closed === 'absent' ? 'report_in_lieu' : kind,
            version: String(p.form.version ?? ''),
            formError: e.message,
          });
        else if (e.code === 'VALIDATION_FAILED' && 'fieldErrors' in e)
          return updateFormCard(h, { ...base, version: String(p.form.version ?? ''), errors: e.fieldErrors });
        else
          return meetingAnswer(h, p.meetingId, {
            notice: `Nothing was saved. ${e.code === 'NOT_FOUND' ? NOT_INVITED : e.message}`,
          });
      }
      if (saved?.status === 'draft')
        return updateFormCard(h, { meetingId: p.meetingId, kind, agencyId, lead: 'Draft saved.' });
      const ids = await updateMeetingCard(h, p.meetingId);
      return meetingAnswer(h, p.meetingId, {
        notice: kind === 'report_in_lieu' ? 'Written report received.' : 'Update recorded for the meeting.',
        refreshUserIds: ids,
      });
    },
    (message) => offlineUpdateForm(h, p.form, message),
  );
};
