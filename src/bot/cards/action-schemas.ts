import { z } from 'zod';

const fact = z.object({ title: z.string(), value: z.string() });
export const ACTION_FIELDS = ['note', 'dueDate', 'reason'] as const;
type ActionStrings = Record<(typeof ACTION_FIELDS)[number], z.ZodString>;
const actionStrings = z.object(Object.fromEntries(ACTION_FIELDS.map((f) => [f, z.string()])) as ActionStrings);

/** Data of the action, extension and case cards (see cards/action*.json and cards/case.json). */
export const ACTION_CARD_SCHEMAS = {
  /** One action in personal chat: where it stands, its history, and the owner's three updates. */
  action: z.object({
    actionId: z.string().min(1),
    /** The version the card shows: a click from an older card answers with the action as it stands. */
    version: z.string(),
    title: z.string().min(1),
    /** What the last click did, above the title ("Progress note saved."). */
    lead: z.string(),
    statusLine: z.string().min(1),
    statusUrgent: z.boolean(),
    text: z.string(),
    facts: z.array(fact),
    history: z.array(z.object({ text: z.string() })),
    canUpdate: z.boolean(),
    /** Why the form is not offered (done, or not theirs to update). */
    readOnlyNote: z.string(),
    today: z.string(),
    values: actionStrings,
    errors: actionStrings,
    formError: z.string(),
    /** Text typed on an older card that has no form to go back into now (the action closed): shown, not saved. */
    kept: z.array(fact),
  }),
  /** The co-ordinator channel's card for an extension: reference, pillar, agency and dates only. */
  'action-extension': z.object({
    actionId: z.string().min(1),
    version: z.string(),
    refreshUserIds: z.array(z.string()).max(60),
    /** What the last click did, above the title ("Approved: the owner has been told."). */
    lead: z.string(),
    title: z.string().min(1),
    statusLine: z.string().min(1),
    facts: z.array(fact),
    decided: z.boolean(),
    /** The co-ordinator's own refreshed view: the action's text and the reason given. */
    showDetail: z.boolean(),
    detail: z.array(fact),
    today: z.string(),
    values: z.object({ dueDate: z.string(), reason: z.string() }),
    errors: z.object({ dueDate: z.string(), reason: z.string() }),
    formError: z.string(),
    /** Text typed on an older card when the extension has since been decided: shown, not saved. */
    kept: z.array(fact),
  }),
  /** `case` and a reference: where the case stands, for a reader entitled to it. */
  case: z.object({
    title: z.string().min(1),
    statusLine: z.string().min(1),
    statusUrgent: z.boolean(),
    facts: z.array(fact),
    withheldText: z.string(),
    agencies: z.array(
      z.object({
        heading: z.string().min(1),
        actions: z.array(
          z.object({
            text: z.string(),
            actionId: z.string(),
            canUpdate: z.boolean(),
            /** Distinct per action, so a screen reader can tell the buttons apart. */
            buttonTitle: z.string(),
          }),
        ),
      }),
    ),
    minutes: z.array(fact),
    decisions: z.array(z.object({ text: z.string() })),
  }),
} as const;
