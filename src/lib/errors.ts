/**
 * The catalogue of expected-failure codes. Codes are stable strings because cards, logs, the
 * intake API and tests match on them; the message is for people and may be reworded.
 * Metadata must never carry personal data (names, dates of birth, identifiers, free text):
 * it is logged and may leave the tenant in telemetry.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: 'Input did not match the schema.',
  NOT_FOUND: 'The record does not exist or is not visible to the caller.',
  NOT_PERMITTED: 'The caller lacks the role or agency access for this operation.',
  VERSION_CONFLICT: 'The record changed since it was read; reload and retry.',
  ALREADY_DECIDED: 'A decision has already been recorded for this item.',
  ILLEGAL_TRANSITION: 'The case cannot move that way from its current status.',
  RATIONALE_REQUIRED: 'A decision needs a non-empty rationale.',
  CATEGORY_NOT_IN_JURISDICTION: 'That category does not exist (or is not in use) in this jurisdiction.',
  CATEGORY_3_LEVEL_1: 'Category 3 cases can only be managed at Level 2 or 3.',
  LEVEL_CRITERIA_NOT_MET: 'The stated facts do not meet the test for the requested level.',
  REFERRAL_INCOMPLETE: 'The referral has missing fields or failed criteria.',
  UNKNOWN_AGENCY: 'The agency is not configured for this area.',
  NOT_A_LEAD_AGENCY: 'The agency cannot lead a case.',
  INVALID_DATE: 'The date is not a real calendar date in YYYY-MM-DD form.',
  IDEMPOTENCY_CONFLICT: 'That idempotency key was already used for a different request.',
  DOCUMENT_UNAVAILABLE: 'The document could not be produced; the record it is made from is unchanged.',
  SIGNATURE_INVALID: 'The signed package was altered or not signed by a trusted key.',
  EXPIRED: 'The signed package is past its expiry date.',
  REPLAYED: 'That signed package has already been used here and cannot be used again.',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Non-personal context: ids, codes, counts, status names. */
export type ErrorMeta = Readonly<Record<string, string | number | boolean | readonly string[] | null>>;

export interface AppError<C extends ErrorCode = ErrorCode> {
  readonly code: C;
  readonly message: string;
  readonly meta?: ErrorMeta;
}

/** Builds an error value; the message defaults to the catalogue text for the code. */
export function appError<C extends ErrorCode>(code: C, message?: string, meta?: ErrorMeta): AppError<C> {
  return meta === undefined
    ? { code, message: message ?? ERROR_CODES[code] }
    : { code, message: message ?? ERROR_CODES[code], meta };
}

/** Narrows an unknown value to an AppError, e.g. when errors cross a serialisation boundary. */
export function isAppError(value: unknown): value is AppError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (value as { code: string }).code in ERROR_CODES
  );
}
