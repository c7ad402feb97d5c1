import type { OutboundWorker } from '../../app/outbound';
import type { ConversationDirectory } from '../../app/ports/conversations.port';
import type { MemberRepository } from '../../app/ports/member-repository.port';
import { conversationKeyOf, type FailureReason, type OutboundMessage } from '../../app/ports/outbound-queue.port';
import { formatUkDateTime } from '../../domain/format';
import type { CardRenderer } from '../handler-context';

const REASON: Readonly<Record<FailureReason, string>> = {
  gone: 'the conversation no longer exists in Teams (the person may have left, or the chat or thread was deleted)',
  forbidden: 'the MAPPA Assistant was removed from there or blocked',
  rejected: 'Teams refused it',
  exhausted: 'Teams kept failing or throttling it, and retries ran out',
};

const WHERE = { personal: 'a personal chat', groupChat: 'a group chat', channel: 'a channel' } as const;

/** The report says what and where in general terms, and the case reference if given: never a person. */
export function undeliverableNotice(card: CardRenderer, m: OutboundMessage) {
  const reason = m.failure ? REASON[m.failure.reason] : REASON.exhausted;
  const what = m.what.charAt(0).toUpperCase() + m.what.slice(1);
  return card('notice', {
    title: 'A message could not be delivered',
    message: `${what} to ${WHERE[m.target.conversationType]} could not be delivered: ${reason}. Please reach the recipient another way.`,
    facts: [
      ...(m.about ? [{ title: 'About', value: m.about }] : []),
      { title: 'Queued', value: formatUkDateTime(m.createdAt.toISOString()) },
      ...(m.failure?.status ? [{ title: 'Teams status', value: String(m.failure.status) }] : []),
      { title: 'Message reference', value: m.id },
    ],
  });
}

/**
 * Tells the co-ordinators about a message given up: in their channel, or, when the channel is what
 * failed (or none is set), in each co-ordinator's personal chat. Throws when nobody can be reached,
 * so the failure stays unreported and is tried again.
 */
export function undeliverableReporter(deps: {
  readonly outbound: Pick<OutboundWorker, 'enqueue'>;
  readonly conversations: Pick<ConversationDirectory, 'coordinatorChannel' | 'personalChatOf'>;
  readonly members: Pick<MemberRepository, 'listMembers'>;
  readonly areaId: string;
  readonly tenantId: string;
  readonly card: CardRenderer;
}): (m: OutboundMessage) => Promise<void> {
  return async (m) => {
    const content = {
      type: 'card' as const,
      card: undeliverableNotice(deps.card, m) as unknown as Record<string, unknown>,
    };
    const what = 'an undelivered-message report';
    const channel = await deps.conversations.coordinatorChannel(deps.areaId);
    if (channel && conversationKeyOf(m) !== conversationKeyOf({ target: channel, operation: 'post' })) {
      await deps.outbound.enqueue({
        dedupeKey: `report:${m.id}`,
        target: channel,
        operation: 'post',
        content,
        what,
        reportFailure: false,
      });
      return;
    }
    let reached = 0;
    for (const c of await deps.members.listMembers(deps.areaId, { role: 'coordinator' })) {
      const chat = await deps.conversations.personalChatOf(deps.tenantId, c.aadObjectId);
      if (!chat) continue;
      await deps.outbound.enqueue({
        dedupeKey: `report:${m.id}:${c.aadObjectId}`,
        target: chat,
        operation: 'personal',
        content,
        what,
        reportFailure: false,
      });
      reached += 1;
    }
    if (reached === 0) throw new Error('no co-ordinator can be reached to report an undelivered message');
  };
}
