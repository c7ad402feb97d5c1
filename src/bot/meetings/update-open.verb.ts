import type { z } from 'zod';
import type { ExecuteHandler } from '../capability';
import type { UpdateOpenPayload } from './catalogue';
import { formInPersonalChat } from './personal-form';
import { openUpdateForm } from './update.card';

/**
 * Opens the caller's agency's update form: a draft before the meeting or its turn, to confirm or
 * amend at its turn, or a written report in lieu (the personal invitation's button). The chair may
 * open it for the agency whose turn it is. Pressed on the shared meeting card, the form goes to the
 * caller's personal chat, where nothing else overwrites it while they type.
 */
export const updateOpenVerb: ExecuteHandler<z.output<typeof UpdateOpenPayload>> = async (h, p) =>
  formInPersonalChat(
    h,
    p.meetingId,
    await openUpdateForm(h, {
      meetingId: p.meetingId,
      kind: p.kind,
      agencyId: p.agencyId ?? h.principal.member?.agencyId ?? '',
    }),
  );
