import { requestTransfer } from '../../app/transfer';
import type { CommandHandler } from '../capability';

const USAGE =
  "Type **transfer**, the case reference, **to** and the receiving area's id, for example: transfer MAPPA-2026-0042 to area-north-east.";

/** `transfer <case ref> to <area id>`: records the transfer as pending and hands the package over. */
export const transferCommand: CommandHandler = async (h, args) => {
  const m = /^(\S+)\s+to\s+(\S+)$/i.exec(args.trim());
  if (!m) {
    await h.turn.sendActivity(`The case reference or the area is missing. ${USAGE}`);
    return;
  }
  const bot = h.deps.transfer;
  if (!bot) {
    await h.turn.sendActivity('Transfers are not set up in this deployment.');
    return;
  }
  const res = await requestTransfer(bot.use, h.principal, { caseRef: m[1]!, toAreaId: m[2]! });
  if (!res.ok) {
    await h.turn.sendActivity(res.error.message);
    return;
  }
  const { transfer: t, destination } = res.value;
  if (destination === 'local') {
    const posted = await bot.postHandover(t);
    await h.turn.sendActivity(
      posted
        ? `The transfer of ${t.caseRef} to ${t.toAreaId} is pending: the hand-over card is in their co-ordinators' channel. Your area stays responsible until they accept.`
        : `The transfer of ${t.caseRef} to ${t.toAreaId} is pending, but that area has no co-ordinator channel set, so nobody there has been told yet. Your area stays responsible.`,
    );
    return;
  }
  const link = await bot.exportLink(t.id, h.principal);
  await h.turn.sendActivity(
    link
      ? `${t.toAreaId} is served by another deployment. Download the signed hand-over package (the link works once and expires soon) and send it to their administrator to import: ${link}\n\nThe transfer is pending; your area stays responsible.`
      : `${t.toAreaId} is served by another deployment, but download links are not set up here. The transfer is pending; your area stays responsible.`,
  );
};
