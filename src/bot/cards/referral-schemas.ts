import { z } from 'zod';

const choice = z.object({ title: z.string(), value: z.string() });
const fact = z.object({ title: z.string(), value: z.string() });

/** Data the MAPPA A walk's review and step templates bind (moved out of render.ts to keep it short). */
export const REFERRAL_WALK_CARD_SCHEMAS = {
  'referral-review': z.object({
    referralId: z.string().min(1),
    /** What the last action did, shown above the card's title (a card carries no text of its own). */
    lead: z.string(),
    expectedVersion: z.string(),
    title: z.string().min(1),
    message: z.string(),
    sections: z.array(
      z.object({
        number: z.number().int().positive(),
        sectionId: z.string().min(1),
        /** Distinct per section: it also names the section's Edit button for screen readers. */
        title: z.string().min(1),
        /** The state in words ("Complete", "2 answers missing"), never colour alone. */
        status: z.string().min(1),
        answers: z.array(fact),
      }),
    ),
    blocking: z.array(z.object({ text: z.string() })),
    ready: z.boolean(),
    adviseAvailable: z.boolean(),
  }),
  /** One step of the MAPPA A walk: a section's questions as inputs, with what was typed kept on a refusal. */
  'referral-step': z.object({
    referralId: z.string().min(1),
    /** What the last answer did ("Saved: …", a verdict), shown above the title. */
    lead: z.string(),
    sectionId: z.string().min(1),
    step: z.string().regex(/^\d+$/),
    /** The question ids on the card, so a submit changes those and nothing else. */
    shown: z.string(),
    title: z.string().min(1),
    progress: z.string().min(1),
    guidance: z.string(),
    formError: z.string(),
    inputs: z
      .array(
        z.object({
          id: z.string().min(1),
          label: z.string().min(1),
          /** A tick box's own words; the label asks the question. */
          title: z.string().min(1),
          kind: z.enum(['text', 'date', 'choice', 'multi', 'toggle']),
          heading: z.string(),
          required: z.boolean(),
          errorMessage: z.string(),
          multiline: z.boolean(),
          maxLength: z.number().int().positive(),
          placeholder: z.string(),
          style: z.enum(['compact', 'expanded']),
          choices: z.array(choice),
          value: z.string(),
          error: z.string(),
        }),
      )
      .min(1),
    submitTitle: z.string().min(1),
    moreTitle: z.string(),
    keepTitle: z.string(),
  }),
} as const;
