import type { z } from 'zod';
import type { ExecuteHandler } from '../capability';
import type { NotificationDecisionPayload } from './catalogue';
import { decide } from './decide-notification';

/** The co-ordinator asks the lead agency to refer, by the date given; the notifier is messaged. */
export const askToReferVerb: ExecuteHandler<z.output<typeof NotificationDecisionPayload>> = (h, p) =>
  decide(h, 'askToRefer', p);
