import type { ReferralDecisionPayload } from './catalogue';
import { decide } from './decide-referral';
import type { ReferralAction } from './outcome';

/** Approve at the level chosen on the card, with its note (and, where asked, which case it is about). */
export const approve: ReferralAction<ReferralDecisionPayload> = (h, p) => decide(h, 'approve', p);
