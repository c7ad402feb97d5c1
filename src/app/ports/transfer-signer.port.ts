import type { SignedTransfer, SignedTransferReceipt, TransferPackage, TransferReceipt } from '../../domain';
import type { Result } from '../../lib/result';

export type TransferSignatureError = { readonly code: 'UNKNOWN_KEY' | 'BAD_SIGNATURE' };

/**
 * Signs hand-over packages (and the receipts that answer them) for another deployment and checks the
 * ones it sends. A port so the use cases never hold a key or a crypto library; src/documents
 * implements it with Ed25519.
 */
export interface TransferSigner {
  sign(pkg: TransferPackage): SignedTransfer;
  verify(signed: SignedTransfer): Result<TransferPackage, TransferSignatureError>;
  signReceipt(receipt: TransferReceipt): SignedTransferReceipt;
  verifyReceipt(signed: SignedTransferReceipt): Result<TransferReceipt, TransferSignatureError>;
}

/** Tells the sending area's co-ordinators what became of their transfer (the bot posts to their channel). */
export interface TransferNotifier {
  transferDecided(transfer: import('../../domain').Transfer): Promise<void>;
  /** Tells both areas' co-ordinators that the sender took a pending hand-over back. */
  transferWithdrawn(transfer: import('../../domain').Transfer): Promise<void>;
}
