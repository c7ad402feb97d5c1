import type { ActionView } from '../../app/actions';
import type { ActionRecord } from '../../app/ports/action-repository.port';
import { pendingExtension } from '../../domain/action-update';
import { formatUkDate } from '../../domain/format';
import type { CardData } from '../cards/render';
import { errorSummary } from '../cards/error-summary';
import type { HandlerContext } from '../handler-context';
import { cardRendererFor } from '../handler-context';
import { coordinatorUserIds } from '../proactive/coordinators';
import { keptFacts } from './action.card';
import type { ActionBotDeps } from './deps';

const postKey = (actionId: string) => `action-extension:${actionId}`;
const LABELS = { dueDate: 'New due date to approve', reason: 'Reason, if you refuse' } as const;
type Typed = Record<keyof typeof LABELS, string>;

/** The latest extension decision on the action, if the latest request has one. */
function decisionOf(a: ActionRecord) {
  const last = [...a.history]
    .reverse()
    .find(
      (h) => h.event === 'extension_requested' || h.event === 'extension_approved' || h.event === 'extension_refused',
    );
  return last && last.event !== 'extension_requested' ? last : undefined;
}

/**
 * The extension card. The channel's copy shows the case reference, pillar, owner agency and dates
 * only (the action's text can name people); `showDetail` is the co-ordinators' own refreshed view,
 * rendered by the same function so the two cannot drift.
 */
export function extensionCardData(
  v: ActionView,
  opts: {
    showDetail: boolean;
    refreshUserIds?: readonly string[];
    lead?: string;
    values?: Typed;
    errors?: Partial<Typed>;
    formError?: string;
  },
): CardData<'action-extension'> {
  const a = v.action;
  const req = pendingExtension(a);
  const decision = req ? undefined : decisionOf(a);
  const errors = { dueDate: '', reason: '', ...opts.errors };
  const closedAs = a.status === 'done' || a.status === 'cancelled' ? a.status : undefined;
  const statusLine = req
    ? `Waiting for the co-ordinator's decision: asked for ${formatUkDate(req.dueDate)}`
    : closedAs
      ? `This action is ${closedAs}, so there is no extension to decide.`
      : decision?.event === 'extension_approved'
        ? `Approved by ${decision.by.displayName}, ${formatUkDate(decision.at)}: now due ${formatUkDate(a.dueDate)}`
        : decision
          ? `Refused by ${decision.by.displayName}, ${formatUkDate(decision.at)}: still due ${formatUkDate(a.dueDate)}`
          : `No extension is waiting: due ${formatUkDate(a.dueDate)}`;
  return {
    actionId: a.id,
    version: String(a.version),
    refreshUserIds: [...(opts.refreshUserIds ?? [])],
    lead: opts.lead ?? '',
    title: `Extension asked for an action on ${v.caseRef}`,
    statusLine,
    facts: [
      { title: 'Pillar', value: v.pillarLabel },
      { title: 'Owner agency', value: v.ownerAgencyName },
      { title: 'Due date', value: formatUkDate(a.dueDate) },
      ...(req
        ? [
            { title: 'Asked for', value: formatUkDate(req.dueDate) },
            { title: 'Asked on', value: formatUkDate(req.requestedAt) },
          ]
        : []),
    ],
    decided: !req,
    showDetail: opts.showDetail,
    detail: opts.showDetail
      ? [
          { title: 'Action', value: a.text },
          ...(req ? [{ title: 'Reason given', value: req.reason }] : []),
          ...(decision?.note ? [{ title: 'Reason for refusing', value: decision.note }] : []),
        ]
      : [],
    today: v.today,
    values: opts.values ?? { dueDate: req?.dueDate ?? '', reason: '' },
    errors,
    // Once decided the inputs are gone, so a refused field's own message is the one said.
    formError:
      opts.formError ??
      (req
        ? errorSummary(errors, LABELS)
        : Object.values(errors)
            .filter((x) => x !== '')
            .join(' ')),
    kept: req || !opts.values ? [] : keptFacts(opts.values, LABELS),
  };
}

/**
 * The lead for a click from an older extension card. When the extension has been decided since, the
 * generic "changed" line would hide the one fact the co-ordinator needs: who decided, and when.
 */
export function staleExtensionLead(v: ActionView, typed: Partial<Typed>): string {
  const decision = pendingExtension(v.action) ? undefined : decisionOf(v.action);
  const anyTyped = Object.values(typed).some((x) => x.trim() !== '');
  if (!decision)
    return anyTyped
      ? 'This action changed since that card was shown, so nothing was saved. Here it is as it stands; what you typed is kept below.'
      : 'This action changed since that card was shown, so nothing was saved. Here it is as it stands.';
  const how = decision.event === 'extension_approved' ? 'approved' : 'refused';
  return (
    `This extension was already ${how} by ${decision.by.displayName} on ${formatUkDate(decision.at)}: nothing was changed.` +
    (anyTyped ? ' What you typed is shown below.' : '')
  );
}

async function channelCard(deps: ActionBotDeps, marking: string, v: ActionView) {
  const refreshUserIds = await coordinatorUserIds(deps.members, deps.conversations, deps.run.areaId, deps.tenantId);
  return cardRendererFor(marking)('action-extension', extensionCardData(v, { showDetail: false, refreshUserIds }));
}

/** Posts the extension request to the co-ordinator channel; 'no_channel' when none is set. */
export async function postExtensionToChannel(h: HandlerContext, v: ActionView): Promise<'posted' | 'no_channel'> {
  const deps = h.deps.actions;
  const channel = await deps.conversations.coordinatorChannel(deps.run.areaId);
  if (!channel) return 'no_channel';
  const card = await channelCard(deps, h.deps.protectiveMarking, v);
  const posted = await deps.messenger.postCard(channel, card, 'the extension card');
  await deps.cardPosts.save({ key: postKey(v.action.id), ...posted, targetConversationId: channel.conversationId });
  return 'posted';
}

/** After a decision the channel's card changes for everyone, not only for the co-ordinator who clicked. */
export async function updateExtensionInChannel(h: HandlerContext, v: ActionView): Promise<void> {
  const deps = h.deps.actions;
  const post = await deps.cardPosts.get(postKey(v.action.id));
  if (!post) return;
  const target = await deps.conversations.byConversationId(post.targetConversationId);
  if (!target) return;
  await deps.messenger.updateCard(
    target,
    post,
    await channelCard(deps, h.deps.protectiveMarking, v),
    'the extension card',
  );
}

/** A message in someone's personal chat; people without one are skipped (the card says who decided). */
export async function tellPersonally(
  h: HandlerContext,
  aadObjectIds: readonly string[],
  card: Parameters<ActionBotDeps['messenger']['sendPersonal']>[1],
): Promise<void> {
  const deps = h.deps.actions;
  for (const aad of new Set(aadObjectIds)) {
    const chat = await deps.conversations.personalChatOf(deps.tenantId, aad);
    if (chat) await deps.messenger.sendPersonal(chat, card, 'the extension decision');
  }
}
