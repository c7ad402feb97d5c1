import { acceptTransfer, declineTransfer, viewTransfer } from '../../app/transfer';
import type { Transfer } from '../../domain';
import type { ExecuteHandler, ViewHandler } from '../capability';
import type { AdaptiveCardJson } from '../cards/render';
import type { HandlerContext, OpenHandlerContext } from '../handler-context';
import type { DeclinePayload, TransferPayload } from './catalogue';
import type { z } from 'zod';
import { transferCard } from './transfer.card';

const notice = (h: OpenHandlerContext, message: string): AdaptiveCardJson =>
  h.card('notice', { title: 'Case transfer', message, facts: [], nextSteps: [] });

async function cardFor(
  h: OpenHandlerContext,
  t: Transfer,
  extra: { formError?: string; reason?: string } = {},
): Promise<AdaptiveCardJson> {
  const bot = h.deps.transfer;
  const ids = (await bot?.refreshUserIds(t.toAreaId)) ?? [];
  const areaNames = (await bot?.areaNames(t)) ?? {};
  return transferCard(h.card, t, { viewer: h.principal, refreshUserIds: ids, areaNames, ...extra });
}

export const acceptVerb: ExecuteHandler<z.output<typeof TransferPayload>> = async (h, p) => {
  const bot = h.deps.transfer;
  if (!bot) return notice(h, 'Transfers are not set up in this deployment.');
  const res = await acceptTransfer(bot.use, h.principal, p.transferId);
  if (!res.ok) return notice(h, res.error.message);
  return cardFor(h, res.value);
};

export const declineVerb: ExecuteHandler<z.output<typeof DeclinePayload>> = async (h, p) => {
  const bot = h.deps.transfer;
  if (!bot) return notice(h, 'Transfers are not set up in this deployment.');
  const res = await declineTransfer(bot.use, h.principal, { transferId: p.transferId, reason: p.reason });
  if (res.ok) return cardFor(h, res.value);
  if (res.error.code === 'VALIDATION_FAILED') {
    // Keep what was typed, and say which field needs it.
    const current = await bot.use.transfers.get(p.transferId);
    if (current.ok) return cardFor(h, current.value, { formError: res.error.message, reason: p.reason });
  }
  return notice(h, res.error.message);
};

/**
 * A refresh shows the details to the receiving area's co-ordinators only; the counts to whoever may
 * see the case (`viewTransfer`); everyone else the answer an unknown id gets.
 */
export const refreshVerb: ExecuteHandler<z.output<typeof TransferPayload>> = async (h: HandlerContext, p) =>
  refreshView(h, p);

export const refreshView: ViewHandler<z.output<typeof TransferPayload>> = async (h, p) => {
  const bot = h.deps.transfer;
  if (!bot || !p) return notice(h, 'This transfer card can no longer be shown.');
  if (!h.principal) return notice(h, 'There is no such transfer for your area.');
  const got = await viewTransfer(bot.use, h.principal, p.transferId);
  if (!got.ok) return notice(h, got.error.message);
  return cardFor(h, got.value);
};
