import { z } from 'zod';

const fact = z.object({ title: z.string(), value: z.string() });
const section = z.object({ heading: z.string(), facts: z.array(fact) });

/** The minutes cards' data (joined into `cardDataSchemas` in render.ts). */
export const MINUTES_CARD_SCHEMAS = {
  /**
   * The minutes card in the meeting's conversation: reference, date, levels, decision, counts and
   * status for everyone; `showDetail` (an entitled reader's own refresh or "Open") adds the minutes,
   * already redacted for that reader, and the downloads.
   */
  minutes: z.object({
    minutesId: z.string().min(1),
    refreshUserIds: z.array(z.string()).max(60),
    title: z.string().min(1),
    statusLine: z.string().min(1),
    notice: z.string(),
    facts: z.array(fact),
    showDetail: z.boolean(),
    withheldText: z.string(),
    sections: z.array(section),
    /** The chair or co-ordinator: a button to review the draft in personal chat. */
    canReview: z.boolean(),
    /** A single-use link made for this reader's click only ('' when none). */
    downloadUrl: z.string(),
    downloadTitle: z.string(),
  }),
  /** The chair's review in personal chat: every section with its own Edit, then approve or correct. */
  'minutes-review': z.object({
    minutesId: z.string().min(1),
    /** The minutes' version and revision this card shows; its buttons send them back (stale cards). */
    version: z.string(),
    revision: z.string(),
    title: z.string().min(1),
    statusLine: z.string().min(1),
    notice: z.string(),
    facts: z.array(fact),
    withheldText: z.string(),
    sections: z.array(
      z.object({
        sectionId: z.string().min(1),
        heading: z.string().min(1),
        /** Distinct per section, so a screen reader never hears "Edit" thirteen times. */
        editTitle: z.string().min(1),
        facts: z.array(fact),
      }),
    ),
    approved: z.boolean(),
    canApprove: z.boolean(),
    gaps: z.array(z.object({ text: z.string() })),
    values: z.object({ reason: z.string() }),
    errors: z.object({ reason: z.string() }),
    formError: z.string(),
  }),
  /** One section as a form: its text prefilled; a conflict shows what the other person saved above the kept text. */
  'minutes-section': z.object({
    minutesId: z.string().min(1),
    section: z.string().min(1),
    sectionVersion: z.string(),
    revision: z.string(),
    title: z.string().min(1),
    statusLine: z.string().min(1),
    conflict: z.boolean(),
    conflictMessage: z.string(),
    current: z.array(fact),
    inputs: z.array(
      z.object({
        id: z.string().min(1),
        label: z.string().min(1),
        kind: z.enum(['text', 'date', 'choice', 'fixed']),
        heading: z.string(),
        required: z.boolean(),
        errorMessage: z.string(),
        multiline: z.boolean(),
        maxLength: z.number().int().positive(),
        value: z.string(),
        error: z.string(),
        choices: z.array(z.object({ title: z.string().min(1), value: z.string().min(1) })),
        multiSelect: z.boolean(),
      }),
    ),
    /** Why a structured value of the section is shown but not edited (empty when none is). */
    note: z.string(),
    formError: z.string(),
    /** A section too long for one card: the list of its parts instead of inputs. */
    choosing: z.boolean(),
    partsIntro: z.string(),
    parts: z.array(z.object({ part: z.string().min(1), title: z.string().min(1) })),
    /** The chooser's next page, or empty on its last. */
    morePage: z.string(),
    /** The part this form edits, or empty when it edits the whole section. */
    part: z.string(),
  }),
} as const;
