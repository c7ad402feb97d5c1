// Transfer between areas: request (build and sign the hand-over), accept (crash-safe move),
// decline (with a reason), withdraw (the sender takes it back), view (need-to-know), import (another deployment's signed package), list (both sides' view).
export { requestTransfer, type RequestTransferError, type TransferRequested } from './request-transfer';
export { acceptTransfer, type AcceptTransferError } from './accept-transfer';
export { declineTransfer, type DeclineTransferError } from './decline-transfer';
export { importTransfer, type ImportTransferError } from './import-transfer';
export { listTransfers, pendingTransfers } from './list-transfers';
export { withdrawTransfer, type WithdrawTransferError } from './withdraw-transfer';
export { viewTransfer } from './view-transfer';
export { answeredMessage, checkReceiver, coordinatorArea, type TransferDeps } from './shared';
export { transferLink, withTransferDownloads, type TransferExportDeps } from './export';
export { acceptImported, checkImported } from './imported';
export { importTransferReceipt, transferReceipt, type ImportReceiptError } from './receipt';
