import { pendingTransfers, requestTransfer, withdrawTransfer } from '../../app/transfer';
import { formatUkDate } from '../../domain/format';
import type { CommandHandler } from '../capability';

const USAGE =
  "Type **transfer**, the case reference, **to** and the receiving area's id, for example: transfer MAPPA-2026-0042 to area-north-east. To take back one nobody has answered: transfer withdraw MAPPA-2026-0042.";

/** `transfer <case ref> to <area id>`: records the transfer as pending and hands the package over. */
export const transferCommand: CommandHandler = async (h, args) => {
  const w = /^withdraw\s+(\S+)$/i.exec(args.trim());
  if (w) {
    await withdraw(h, w[1]!);
    return;
  }
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

/** `transfer withdraw <case ref>`: the sending co-ordinator takes back a hand-over nobody has answered. */
async function withdraw(h: Parameters<CommandHandler>[0], caseRef: string): Promise<void> {
  const bot = h.deps.transfer;
  if (!bot) {
    await h.turn.sendActivity('Transfers are not set up in this deployment.');
    return;
  }
  const res = await withdrawTransfer(bot.use, h.principal, { caseRef });
  if (!res.ok) {
    await h.turn.sendActivity(res.error.message);
    return;
  }
  const t = res.value;
  const to = (await bot.areaNames(t))[t.toAreaId] ?? t.toAreaId;
  await h.turn.sendActivity(
    t.mode === 'export'
      ? `The transfer of ${t.caseRef} to ${to} is withdrawn; your area stays responsible. Ask their administrator not to import the package: an answer from them will be refused here.`
      : `The transfer of ${t.caseRef} to ${to} is withdrawn; your area stays responsible. Both areas' co-ordinators' channels are told.`,
  );
}

/** `transfers`: pending hand-overs into and out of the co-ordinator's area, reference, area and date only. */
export const transfersCommand: CommandHandler = async (h) => {
  const bot = h.deps.transfer;
  if (!bot) {
    await h.turn.sendActivity('Transfers are not set up in this deployment.');
    return;
  }
  const res = await pendingTransfers(bot.use, h.principal);
  if (!res.ok) {
    await h.turn.sendActivity(res.error.message);
    return;
  }
  const own = h.principal?.member?.areaId;
  const lines = await Promise.all(
    res.value.map(async (t) => {
      const names = await bot.areaNames(t);
      const since = formatUkDate(t.requestedAt);
      const waiting = t.state === 'accepting' ? ' (being accepted)' : '';
      return t.fromAreaId === own
        ? `- Out: ${t.caseRef} to ${names[t.toAreaId] ?? t.toAreaId}, since ${since}${waiting}`
        : `- In: ${t.caseRef} from ${t.package.from.areaName}, since ${since}${waiting}`;
    }),
  );
  await h.turn.sendActivity(
    lines.length === 0
      ? 'No case hand-overs are waiting into or out of your area.'
      : `Case hand-overs waiting for an answer:\n\n${lines.join('\n')}\n\nThe receiving area answers on the hand-over card in its co-ordinators' channel; the sending area can type transfer withdraw and the reference.`,
  );
};
