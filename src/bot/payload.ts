import { z } from 'zod';

/**
 * Pieces for verb payload schemas. Card data is user input with a card's limits: a field the user
 * typed is cut to the length the card keeps and shown again as typed, never refused for its shape,
 * so nothing typed is lost; the use case then says what is wrong with it, naming the field.
 */

/** Text as typed, cut to `max`; anything that is not text (or is missing) reads as empty. */
export const typedText = (max: number) =>
  z
    .unknown()
    .optional()
    .transform((v) => (typeof v === 'string' ? v.slice(0, max) : ''));

/**
 * Text as typed, whole: for free text whose length the use case checks, so over-long text is refused
 * naming its field and limit and shown again in full, never cut without a word. Anything that is not
 * text (or is missing) reads as empty. The request body limit bounds it.
 */
export const keptText = () =>
  z
    .unknown()
    .optional()
    .transform((v) => (typeof v === 'string' ? v : ''));

/** Text as typed, cut to `max`; anything that is not text (or is missing) reads as absent. */
export const optionalText = (max: number) =>
  z
    .unknown()
    .optional()
    .transform((v) => (typeof v === 'string' ? v.slice(0, max) : undefined));

/**
 * A whole form as submitted, for a use case that reads it with its own schema (so its messages name
 * each field in the card's words) alongside what the card shows again.
 */
export const SubmittedForm = z.record(z.string(), z.unknown());
