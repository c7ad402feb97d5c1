import { z } from 'zod';
import type { Catalogue } from '../capability';
import { keptText, SubmittedForm, typedText } from '../payload';

const ActionId = z.object({ actionId: z.string().min(1).max(200) });

/**
 * An action card's or extension card's form: `form` goes to the use case as sent (its schema names
 * each field's problem); `typed` is what the card shows again, so nothing typed is lost.
 */
export const ActionFormPayload = SubmittedForm.transform((form) => ({
  form,
  actionId: typedText(200).parse(form.actionId),
  version: typedText(20).parse(form.version),
  typed: {
    // Kept whole: the use case refuses over-long text by name, and the card shows it again in full.
    note: keptText().parse(form.note),
    dueDate: typedText(20).parse(form.dueDate),
    reason: keptText().parse(form.reason),
  },
}));
export type ActionFormPayload = z.output<typeof ActionFormPayload>;

export const ACTION_CATALOGUE = {
  commands: {},
  verbs: {
    // Anyone who may read the case may open an action's card; what it offers depends on who they are.
    'action.open': { via: 'execute', action: 'case.read', payload: ActionId },
    'action.progress': { via: 'execute', action: 'action.update', payload: ActionFormPayload },
    'action.done': { via: 'execute', action: 'action.update', payload: ActionFormPayload },
    'action.extend': { via: 'execute', action: 'action.update', payload: ActionFormPayload },
    // The use cases allow co-ordinators only; the role gate here is the owners' one.
    'action.extension.approve': { via: 'execute', action: 'action.update', payload: ActionFormPayload },
    'action.extension.refuse': { via: 'execute', action: 'action.update', payload: ActionFormPayload },
    // Anyone enrolled may refresh; only co-ordinators see the details.
    'action.extension.refresh': { via: 'execute', action: 'help.show', payload: ActionId },
  },
} as const satisfies Catalogue;
