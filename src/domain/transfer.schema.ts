import { z } from 'zod';
import { Pillar, ActionStatus } from './action.schema';
import { CaseKeyDates, CaseStatus, DecisionRecord } from './case.schema';
import { Actor, AgencyId, Category, Id, Jurisdiction, Level, Version } from './common.schema';
import { IsoDate, IsoDateTime } from './dates';

/**
 * The hand-over package a sending area gives the receiving one, in this deployment or another.
 * It is also the cross-deployment wire format (docs/transfer.md), so it is strict and versioned:
 * a field added later is a new `version`, never a silent extra key.
 */
export const TRANSFER_FORMAT = 'mappa-transfer';

export const TransferAction = z.strictObject({
  id: Id,
  text: z.string().trim().min(1).max(2000),
  ownerName: z.string().trim().min(1).max(200),
  ownerAgencyId: AgencyId,
  dueDate: IsoDate,
  pillar: Pillar,
  status: ActionStatus,
});
export type TransferAction = z.infer<typeof TransferAction>;

export const TransferPackage = z.strictObject({
  format: z.literal(TRANSFER_FORMAT),
  /** 2 added `expiresAt`; a version 1 package carries no expiry and is refused. */
  version: z.literal(2),
  transferId: Id,
  createdAt: IsoDateTime,
  /** Signed with the rest, so a package found in an inbox months later cannot be replayed. */
  expiresAt: IsoDateTime,
  from: z.strictObject({ areaId: Id, areaName: z.string().trim().min(1).max(200) }),
  to: z.strictObject({ areaId: Id }),
  case: z.strictObject({
    id: Id,
    ref: z.string().trim().min(1).max(64),
    jurisdiction: Jurisdiction,
    status: CaseStatus,
    level: Level.nullable(),
    category: Category.nullable(),
    leadAgencyId: AgencyId,
    keyDates: CaseKeyDates,
  }),
  openActions: z.array(TransferAction).max(500),
  /** Identifies the record the receiving chair can ask for; the minutes' text stays with the sender. */
  latestApprovedMinutes: z
    .strictObject({
      minutesId: Id,
      meetingId: Id,
      version: Version,
      contentHash: z.string().regex(/^[0-9a-f]{64}$/),
      approvedAt: IsoDateTime.optional(),
    })
    .nullable(),
  decisions: z.array(DecisionRecord).max(1000),
});
export type TransferPackage = z.infer<typeof TransferPackage>;

/** A package with its signature, as it crosses between deployments. */
export const SignedTransfer = z.strictObject({
  package: TransferPackage,
  signature: z.strictObject({
    alg: z.literal('Ed25519'),
    /** Which of the sender's keys signed, so the receiver picks the right trusted public key. */
    keyId: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/),
    value: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .max(200),
  }),
});
export type SignedTransfer = z.infer<typeof SignedTransfer>;

const TransferSignature = SignedTransfer.shape.signature;

export const TRANSFER_RECEIPT_FORMAT = 'mappa-transfer-receipt';

const receiptBase = {
  format: z.literal(TRANSFER_RECEIPT_FORMAT),
  version: z.literal(1),
  transferId: Id,
  /** The answering (receiving) area and the area the package came from. */
  from: z.strictObject({ areaId: Id }),
  to: z.strictObject({ areaId: Id }),
  /** The sender's reference of the case, as in the package. */
  caseRef: z.string().trim().min(1).max(64),
  /** When the receiving co-ordinator declined, or began accepting (the move is done by the time it is signed). */
  decidedAt: IsoDateTime,
  expiresAt: IsoDateTime,
};

/**
 * The receiving deployment's answer to a package it imported, signed like the package, for the
 * sending deployment's admin to import so its record of the export stops being pending. A decline
 * carries the reason (the sender keeps the case and must know why); an acceptance carries the case's
 * new reference in the receiving area (the sender closes its case as transferred out).
 */
export const TransferReceipt = z.discriminatedUnion('outcome', [
  z.strictObject({
    ...receiptBase,
    outcome: z.literal('declined'),
    reason: z.string().trim().min(1).max(2000),
  }),
  z.strictObject({
    ...receiptBase,
    outcome: z.literal('accepted'),
    receivingRef: z.string().trim().min(1).max(64),
  }),
]);
export type TransferReceipt = z.infer<typeof TransferReceipt>;

export const SignedTransferReceipt = z.strictObject({ receipt: TransferReceipt, signature: TransferSignature });
export type SignedTransferReceipt = z.infer<typeof SignedTransferReceipt>;

/** Whether a signed package or receipt is past its expiry at `now`. */
export const isExpired = (signed: { readonly expiresAt: string }, now: Date): boolean =>
  Date.parse(signed.expiresAt) <= now.getTime();

/**
 * pending → accepting → accepted, pending → declined, or pending → withdrawn (the sender took it
 * back before anyone answered). `accepting` is the crash-safe middle: the records move one
 * conditional write at a time, and a retry from `accepting` finishes the move.
 */
export const TransferState = z.enum(['pending', 'accepting', 'accepted', 'declined', 'withdrawn']);
export type TransferState = z.infer<typeof TransferState>;

export const Transfer = z.object({
  id: Id,
  /**
   * `local`: both areas in this database; `export`: the sender's record of a package handed to
   * another deployment; `import`: the receiver's record of a package that came from one.
   */
  mode: z.enum(['local', 'export', 'import']),
  caseId: Id,
  caseRef: z.string().trim().min(1).max(64),
  fromAreaId: Id,
  toAreaId: Id,
  state: TransferState,
  package: TransferPackage,
  /** An import keeps the sender's signature, so the package is checked again when it is accepted. */
  signature: TransferSignature.optional(),
  requestedBy: Actor,
  requestedAt: IsoDateTime,
  /** Who answered (accepted or declined), or, for `withdrawn`, the sending co-ordinator who took it back. */
  decidedBy: Actor.optional(),
  decidedAt: IsoDateTime.optional(),
  declineReason: z.string().trim().min(1).max(2000).optional(),
  /** The case's reference in the receiving area, fixed when accepting starts so a retry reuses it. */
  receivingRef: z.string().trim().min(1).max(64).optional(),
  version: Version,
});
export type Transfer = z.infer<typeof Transfer>;

const NEXT: Readonly<Record<TransferState, readonly TransferState[]>> = {
  pending: ['accepting', 'declined', 'withdrawn'],
  // accepting → accepting is the retry after a crash.
  accepting: ['accepting', 'accepted'],
  accepted: [],
  declined: [],
  withdrawn: [],
};

export function canMoveTransfer(from: TransferState, to: TransferState): boolean {
  return NEXT[from].includes(to);
}

/**
 * Which area answers for a case while a transfer is open: the sender until the transfer is
 * `accepted`, whatever records have already moved.
 */
export function responsibleArea(transfer: Pick<Transfer, 'state' | 'fromAreaId' | 'toAreaId'>): string {
  return transfer.state === 'accepted' ? transfer.toAreaId : transfer.fromAreaId;
}
