/**
 * Keys under which posted cards are remembered (see CardPostRepository), shared so one capability can
 * find another's post: a referral card is posted in the thread of its person's notification card.
 */
export const postKeys = {
  notification: (notificationId: string) => `notification:${notificationId}`,
  referral: (referralId: string) => `referral:${referralId}`,
} as const;
