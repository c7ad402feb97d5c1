import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import type { TransferSigner } from '../app/ports/transfer-signer.port';
import { type SignedTransfer, type SignedTransferReceipt, TransferPackage, TransferReceipt } from '../domain';
import { canonicalJson } from '../lib/canonical-json';
import { err, ok } from '../lib/result';

/*
 * Ed25519 over "mappa-transfer.v1." + canonicalJson(package). Asymmetric rather than an HMAC because
 * the other side is another deployment, often run by another organisation: it holds only our public
 * key, so it can check our packages but never make one that verifies as ours, and no shared secret
 * has to travel between the two. The context prefix keeps this signature from verifying anything else.
 */
const CONTEXT = 'mappa-transfer.v1.';
// A receipt has its own context, so no receipt can pass as a package or the other way round.
const RECEIPT_CONTEXT = 'mappa-transfer-receipt.v1.';

const message = (pkg: TransferPackage): Buffer => Buffer.from(CONTEXT + canonicalJson(pkg), 'utf8');
const receiptMessage = (r: TransferReceipt): Buffer => Buffer.from(RECEIPT_CONTEXT + canonicalJson(r), 'utf8');

export interface TransferKeys {
  readonly keyId: string;
  /** PKCS#8 PEM of this deployment's Ed25519 private key. */
  readonly privateKeyPem: string;
  /** Trusted senders' SPKI PEM public keys by key id (this deployment's own key is always trusted). */
  readonly trusted: Readonly<Record<string, string>>;
}

export function ed25519TransferSigner(keys: TransferKeys): TransferSigner {
  const privateKey = createPrivateKey(keys.privateKeyPem);
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new RangeError('transfer signing key must be Ed25519');
  const trusted = new Map<string, KeyObject>(
    Object.entries(keys.trusted).map(([id, pem]) => [id, createPublicKey(pem)] as const),
  );
  trusted.set(keys.keyId, createPublicKey(privateKey));
  const signature = (msg: Buffer) => ({
    alg: 'Ed25519' as const,
    keyId: keys.keyId,
    value: sign(null, msg, privateKey).toString('base64url'),
  });
  const check = (sig: SignedTransfer['signature'], msg: Buffer): 'UNKNOWN_KEY' | 'BAD_SIGNATURE' | null => {
    const key = trusted.get(sig.keyId);
    if (!key || key.asymmetricKeyType !== 'ed25519') return 'UNKNOWN_KEY';
    const bytes = Buffer.from(sig.value, 'base64url');
    return bytes.length === 64 && verify(null, msg, key, bytes) ? null : 'BAD_SIGNATURE';
  };
  return {
    sign(pkg): SignedTransfer {
      const clean = TransferPackage.parse(pkg);
      return { package: clean, signature: signature(message(clean)) };
    },
    verify(signed) {
      const failed = check(signed.signature, message(signed.package));
      return failed ? err({ code: failed }) : ok(signed.package);
    },
    signReceipt(receipt): SignedTransferReceipt {
      const clean = TransferReceipt.parse(receipt);
      return { receipt: clean, signature: signature(receiptMessage(clean)) };
    },
    verifyReceipt(signed) {
      const failed = check(signed.signature, receiptMessage(signed.receipt));
      return failed ? err({ code: failed }) : ok(signed.receipt);
    },
  };
}
