/** A message for each form field that needs attention, keyed by the field's name on the card or API body. */
export type FieldErrors = Record<string, string>;
