import type { ActionDeps } from '../../app/actions';
import type { ReminderDeps } from '../../app/reminders';

/** What the reminder commands need: the reminder queries and the action use cases behind each card. */
export interface ReminderBotDeps {
  readonly run: ReminderDeps & { readonly run: ActionDeps };
}
