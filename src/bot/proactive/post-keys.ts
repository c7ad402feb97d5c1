/**
 * Keys under which posted cards are remembered (see CardPostRepository), shared so one capability can
 * find another's post: a referral card is posted in the thread of its person's notification card.
 */
export const postKeys = {
  notification: (notificationId: string) => `notification:${notificationId}`,
  referral: (referralId: string) => `referral:${referralId}`,
  /** The one shared card of a running meeting, in the conversation it was started in. */
  meeting: (meetingId: string) => `meeting:${meetingId}`,
} as const;
