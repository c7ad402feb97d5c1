import type { z } from 'zod';
import type { ExecuteHandler } from '../capability';
import type { NotificationDecisionPayload } from './catalogue';
import { decide } from './decide-notification';

/** Level 1: managed by the lead agency alone, no referral expected. */
export const level1Verb: ExecuteHandler<z.output<typeof NotificationDecisionPayload>> = (h, p) =>
  decide(h, 'level1', p);
