import { randomUUID } from 'node:crypto';
import type { ReminderRepository, Repositories } from '../../app/ports';
import type { ConversationDirectory } from '../../app/ports/conversations.port';
import type { TransferSigner } from '../../app/ports/transfer-signer.port';
import type { ExportDeps } from '../../app/referral-export';
import { systemActor } from '../../app/shared/actor';
import {
  importTransfer,
  importTransferReceipt,
  transferLink,
  transferReceipt,
  type TransferDeps,
  type TransferExportDeps,
} from '../../app/transfer';
import type { AppError, ErrorCode } from '../../lib/errors';
import type { Transfer } from '../../domain';
import { describeError, type Logger } from '../../config/logger';
import { cardRendererFor } from '../handler-context';
import { coordinatorUserIds } from '../proactive/coordinators';
import type { TeamsMessenger } from '../proactive/messenger';
import type { AreaNames, TransferBotDeps } from './deps';
import { transferAnsweredCard, transferCard, transferWithdrawnCard } from './transfer.card';

/** Everything `transfer` needs, built once by the composition root. */
export function buildTransferBot(input: {
  readonly repos: Repositories;
  readonly reminders: ReminderRepository;
  readonly conversations: ConversationDirectory;
  readonly messenger: TeamsMessenger;
  readonly marking: string;
  readonly tenantId: string;
  readonly signer: TransferSigner;
  readonly packageTtlDays: number;
  readonly partnerAreas: readonly string[];
  readonly exportDeps: Pick<ExportDeps, 'signer' | 'claims' | 'clock' | 'baseUrl' | 'ttlSeconds' | 'principalOf'>;
  readonly logger: Logger;
}): {
  readonly bot: TransferBotDeps;
  readonly exportDeps: TransferExportDeps;
  readonly importPackage: (body: unknown) => Promise<{ status: number; body: Record<string, unknown> }>;
  readonly importReceipt: (body: unknown) => Promise<{ status: number; body: Record<string, unknown> }>;
  readonly receipt: (transferId: string) => Promise<{ status: number; body: Record<string, unknown> }>;
} {
  const { repos, conversations, messenger, tenantId, logger } = input;
  const card = cardRendererFor(input.marking);
  const refreshUserIds = (areaId: string) => coordinatorUserIds(repos.members, conversations, areaId, tenantId);

  // The receiving area's name when it is served here; another deployment's area shows as its id.
  const areaNames = async (t: Transfer): Promise<AreaNames> => {
    const a = await repos.members.getArea(t.toAreaId);
    return a.ok ? { [a.value.id]: a.value.name } : {};
  };

  const postHandover = async (t: Transfer): Promise<boolean> => {
    const channel = await conversations.coordinatorChannel(t.toAreaId);
    if (!channel) return false;
    const c = transferCard(card, t, {
      viewer: null,
      refreshUserIds: await refreshUserIds(t.toAreaId),
      areaNames: await areaNames(t),
    });
    await messenger.postCard(channel, c, 'the transfer hand-over card');
    return true;
  };

  const use: TransferDeps = {
    clock: input.exportDeps.clock,
    members: repos.members,
    cases: repos.cases,
    actions: repos.actions,
    minutes: repos.minutes,
    meetings: repos.meetings,
    transfers: repos.transfers,
    reminders: input.reminders,
    signer: input.signer,
    newId: randomUUID,
    packageTtlDays: input.packageTtlDays,
    remoteAreas: input.partnerAreas,
    notifier: {
      // The answer stands whether or not Teams takes the message: a failed post is logged, not thrown.
      async transferDecided(t) {
        // An import's sender is another deployment: it learns the answer from the signed receipt.
        if (t.mode === 'import') return;
        try {
          const channel = await conversations.coordinatorChannel(t.fromAreaId);
          if (!channel) return;
          await messenger.postCard(channel, transferAnsweredCard(card, t, await areaNames(t)), 'the transfer answer');
        } catch (e) {
          logger.warn({ error: describeError(e) }, 'transfer answer not delivered');
        }
      },
      // Both areas' co-ordinators: the sender's, who may not all know a colleague took it back, and
      // the receiver's, whose channel card would otherwise still invite an answer.
      async transferWithdrawn(t) {
        const areas = t.mode === 'local' ? [t.fromAreaId, t.toAreaId] : [t.fromAreaId];
        for (const areaId of areas) {
          try {
            const channel = await conversations.coordinatorChannel(areaId);
            if (!channel) continue;
            const c = transferWithdrawnCard(card, t, await areaNames(t));
            await messenger.postCard(channel, c, 'the transfer withdrawal');
          } catch (e) {
            logger.warn({ error: describeError(e) }, 'transfer withdrawal not delivered');
          }
        }
      },
    },
  };

  const exportDeps: TransferExportDeps = { ...input.exportDeps, transfer: use };

  return {
    bot: {
      use,
      refreshUserIds,
      areaNames,
      postHandover,
      exportLink: (transferId, reader) => Promise.resolve(transferLink(exportDeps, reader, transferId)),
    },
    exportDeps,
    async importPackage(body) {
      const res = await importTransfer(use, systemActor(tenantId), body);
      if (!res.ok) return refusal(res.error);
      const { transfer: t, created } = res.value;
      const posted = created ? await postHandover(t).catch(() => false) : false;
      return {
        status: created ? 201 : 200,
        body: {
          transferId: t.id,
          caseRef: t.caseRef,
          toAreaId: t.toAreaId,
          state: t.state,
          created,
          cardPosted: posted,
        },
      };
    },
    async importReceipt(body) {
      const res = await importTransferReceipt(use, systemActor(tenantId), body);
      if (!res.ok) return refusal(res.error);
      const { transfer: t, created } = res.value;
      return {
        status: created ? 201 : 200,
        body: { transferId: t.id, caseRef: t.caseRef, state: t.state, created },
      };
    },
    async receipt(transferId) {
      const res = await transferReceipt(use, transferId);
      return res.ok ? { status: 200, body: res.value } : refusal(res.error);
    },
  };
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  NOT_FOUND: 404,
  SIGNATURE_INVALID: 422,
  EXPIRED: 422,
  REPLAYED: 409,
  ILLEGAL_TRANSITION: 409,
};

/** An admin endpoint's answer to a refused package or receipt: the code and a message that names the problem. */
const refusal = (e: AppError): { status: number; body: Record<string, unknown> } => ({
  status: STATUS[e.code] ?? 400,
  body: { error: e.code, message: e.message },
});
