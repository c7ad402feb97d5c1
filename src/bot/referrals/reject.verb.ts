import type { ReferralDecisionPayload } from './catalogue';
import { decide } from './decide-referral';
import type { ReferralAction } from './outcome';

/** Reject, with the reason the referrer is told. */
export const reject: ReferralAction<ReferralDecisionPayload> = (h, p) => decide(h, 'reject', p);
