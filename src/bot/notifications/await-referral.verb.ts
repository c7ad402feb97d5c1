import type { z } from 'zod';
import type { ExecuteHandler } from '../capability';
import type { NotificationDecisionPayload } from './catalogue';
import { decide } from './decide-notification';

/** The lead agency has said it will refer: the referral is expected by the date given. */
export const awaitReferralVerb: ExecuteHandler<z.output<typeof NotificationDecisionPayload>> = (h, p) =>
  decide(h, 'awaitReferral', p);
