import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import type { TransferSigner } from '../app/ports/transfer-signer.port';
import { type SignedTransfer, TransferPackage } from '../domain';
import { canonicalJson } from '../lib/canonical-json';
import { err, ok } from '../lib/result';

/*
 * Ed25519 over "mappa-transfer.v1." + canonicalJson(package). Asymmetric rather than an HMAC because
 * the other side is another deployment, often run by another organisation: it holds only our public
 * key, so it can check our packages but never make one that verifies as ours, and no shared secret
 * has to travel between the two. The context prefix keeps this signature from verifying anything else.
 */
const CONTEXT = 'mappa-transfer.v1.';

const message = (pkg: TransferPackage): Buffer => Buffer.from(CONTEXT + canonicalJson(pkg), 'utf8');

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
  return {
    sign(pkg): SignedTransfer {
      const clean = TransferPackage.parse(pkg);
      return {
        package: clean,
        signature: {
          alg: 'Ed25519',
          keyId: keys.keyId,
          value: sign(null, message(clean), privateKey).toString('base64url'),
        },
      };
    },
    verify(signed) {
      const key = trusted.get(signed.signature.keyId);
      if (!key || key.asymmetricKeyType !== 'ed25519') return err({ code: 'UNKNOWN_KEY' });
      const sig = Buffer.from(signed.signature.value, 'base64url');
      if (sig.length !== 64 || !verify(null, message(signed.package), key, sig)) return err({ code: 'BAD_SIGNATURE' });
      return ok(signed.package);
    },
  };
}
