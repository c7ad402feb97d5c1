/** Builders for the activities Teams sends, with invented ids. */
export const TENANT_ID = '7c0b2a55-1d2e-4f6a-9b8c-0d1e2f3a4b5c';
export const BOT_ID = '28:mappa-bot';

export interface UserRef {
  id: string;
  aadObjectId: string;
  name: string;
}

export const users = {
  coordinator: { id: '29:coord', aadObjectId: 'a1111111-1111-4111-8111-111111111111', name: 'Morgan Reyes' },
  police: { id: '29:police', aadObjectId: 'a2222222-2222-4222-8222-222222222222', name: 'Priya Okafor' },
  probation: { id: '29:probation', aadObjectId: 'a3333333-3333-4333-8333-333333333333', name: 'Tom Lindqvist' },
  health: { id: '29:health', aadObjectId: 'a4444444-4444-4444-8444-444444444444', name: 'Aisha Brennan' },
} satisfies Record<string, UserRef>;

export function personalConversation(user: UserRef) {
  return { id: `a:personal-${user.id}`, conversationType: 'personal', tenantId: TENANT_ID };
}

export function message(serviceUrl: string, user: UserRef, text: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'message',
    id: `m-${Math.random().toString(36).slice(2)}`,
    channelId: 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: user.id, aadObjectId: user.aadObjectId, name: user.name },
    recipient: { id: BOT_ID, name: 'MAPPA Assistant' },
    conversation: personalConversation(user),
    channelData: { tenant: { id: TENANT_ID } },
    text,
    ...extra,
  };
}

export function botInstalled(serviceUrl: string, user: UserRef) {
  return {
    type: 'conversationUpdate',
    id: `cu-${Math.random().toString(36).slice(2)}`,
    channelId: 'msteams',
    serviceUrl,
    from: { id: user.id, aadObjectId: user.aadObjectId },
    recipient: { id: BOT_ID, name: 'MAPPA Assistant' },
    conversation: personalConversation(user),
    membersAdded: [{ id: BOT_ID }],
    channelData: { tenant: { id: TENANT_ID } },
  };
}

export async function postActivity(botUrl: string, activity: object): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** An Action.Execute click as Teams sends it: an `adaptiveCard/action` invoke. */
export function cardAction(
  serviceUrl: string,
  user: UserRef,
  verb: string,
  data: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return {
    ...message(serviceUrl, user, '', extra),
    type: 'invoke',
    name: 'adaptiveCard/action',
    text: undefined,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}

/** The adaptive card an invoke answered with (the HTTP body of /api/messages). */
export function invokeCard(body: unknown): Record<string, unknown> {
  const b = body as { statusCode?: number; type?: string; value?: Record<string, unknown> };
  if (b?.type !== 'application/vnd.microsoft.card.adaptive' || !b.value)
    throw new Error(`not a card response: ${JSON.stringify(body)}`);
  return b.value;
}

export const FOREIGN_TENANT_ID = '9d9d9d9d-0000-4000-8000-000000000000';

/** The team channel the tests make the co-ordinator channel (invented ids). */
export const CHANNEL_ID = '19:coordinators@thread.tacv2';

/** A message @mentioning the bot in a thread of a team channel, as Teams delivers it. */
export function inChannel(serviceUrl: string, user: UserRef, text: string, channelId = CHANNEL_ID) {
  return message(serviceUrl, user, `<at>MAPPA Assistant</at> ${text}`, {
    conversation: { id: `${channelId};messageid=1`, conversationType: 'channel', isGroup: true, tenantId: TENANT_ID },
    channelData: { tenant: { id: TENANT_ID }, team: { id: '19:team@thread.tacv2' }, channel: { id: channelId } },
  });
}
