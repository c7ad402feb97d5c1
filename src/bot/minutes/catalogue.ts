import { z } from 'zod';
import { MinutesSectionId } from '../../domain/minutes.schema';
import type { Catalogue } from '../capability';
import { keptText, SubmittedForm, typedText } from '../payload';

const MinutesId = z.string().min(1).max(64);
/** A version number a card was rendered at; a forged or damaged value reads as absent (stale). */
const CardVersion = z.coerce.number().int().nonnegative().optional().catch(undefined);

export const MinutesIdPayload = z.object({ minutesId: MinutesId });
export const MinutesDownloadPayload = z.object({ minutesId: MinutesId, format: z.enum(['docx', 'pdf']) });
/** A long section's part and chooser page are read as absent when damaged: the chooser is shown. */
export const SectionOpenPayload = z.object({
  minutesId: MinutesId,
  // A forged or damaged section id reads as absent: the verb answers that it is not a section.
  section: MinutesSectionId.optional().catch(undefined),
  revision: CardVersion,
  part: z.string().min(1).max(64).optional().catch(undefined),
  page: z.coerce.number().int().nonnegative().max(100_000).optional().catch(undefined),
});
/** The approval and correction buttons carry the minutes' version the card showed. */
export const VersionedPayload = z.object({ minutesId: MinutesId, version: CardVersion });
export const CorrectPayload = SubmittedForm.transform((form) => ({
  minutesId: typedText(64).parse(form.minutesId),
  version: CardVersion.parse(form.version),
  // Kept whole: an over-long reason is refused by name and limit, and shown again in full.
  reason: keptText().parse(form.reason),
}));
/** A section's form as sent: the typed values go back on the card as they came if anything is refused. */
export const SectionSavePayload = SubmittedForm.transform((form) => ({
  minutesId: typedText(64).parse(form.minutesId),
  // A forged or damaged section id reads as absent: the verb answers so, with the typed text kept.
  section: MinutesSectionId.optional().catch(undefined).parse(form.section),
  sectionVersion: CardVersion.parse(form.sectionVersion),
  revision: CardVersion.parse(form.revision),
  part: z.string().min(1).max(64).optional().catch(undefined).parse(form.part),
  form,
}));
export type SectionSavePayload = z.output<typeof SectionSavePayload>;

export const MINUTES_CATALOGUE = {
  commands: {
    minutes: {
      description:
        'The latest minutes of a case you are part of, and for the chair the draft to review and approve: type minutes and the case reference',
      audience: 'practitioner',
      example: 'minutes MAPPA-2026-0042',
      action: 'case.read',
      where: 'personal',
    },
  },
  verbs: {
    // Anyone enrolled may refresh; only members of the meeting's agencies see more than the minimal card.
    'minutes.refresh': { via: 'execute', action: 'help.show', payload: MinutesIdPayload },
    'minutes.open': { via: 'execute', action: 'case.read', payload: MinutesIdPayload },
    'minutes.download': { via: 'execute', action: 'case.read', payload: MinutesDownloadPayload },
    'minutes.history': { via: 'execute', action: 'case.read', payload: MinutesIdPayload },
    'minutes.review': { via: 'execute', action: 'meeting.run', payload: MinutesIdPayload },
    'minutes.section.open': { via: 'execute', action: 'meeting.run', payload: SectionOpenPayload },
    'minutes.section.save': { via: 'execute', action: 'meeting.run', payload: SectionSavePayload },
    'minutes.approve': { via: 'execute', action: 'meeting.run', payload: VersionedPayload },
    'minutes.correct': { via: 'execute', action: 'meeting.run', payload: CorrectPayload },
  },
} as const satisfies Catalogue;
