import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { PublicKeyHex } from './signer';
import { bytesToHex, hexToBytes, isValidPublicKey, type Sm2KeyPair, sm2KeyPairFromPrivateKey } from './sm2';

/**
 * SM2 keys on disk as standard PEM (PKCS#8 private, SubjectPublicKeyInfo public) with the curve OID
 * 1.2.156.10197.1.301, so `openssl pkey` and other vendors' tools read the same files. Node's
 * OpenSSL parses and normalises the PEM (it also accepts SEC1 "EC PRIVATE KEY"); the key material
 * is then cut from the normalised DER at fixed offsets — the layout is fixed for this curve.
 */

// DER prefixes as OpenSSL writes them for an SM2 key: ecPublicKey + sm2 curve OIDs.
const PKCS8_HEAD = '308187020100301306072a8648ce3d020106082a811ccf5501822d046d306b0201010420';
const PKCS8_MIDDLE = 'a144034200';
const SPKI_HEAD = '3059301306072a8648ce3d020106082a811ccf5501822d034200';

// Node 20 reports a parsed SM2 key with no asymmetricKeyType (OpenSSL loads it as its own SM2
// type), so the curve is checked on the DER instead: both prefixes contain the sm2 curve OID.
function notSm2(key: KeyObject): Error {
  const details = key.asymmetricKeyDetails?.namedCurve;
  return new Error(
    `not an SM2 key (${[key.asymmetricKeyType, details].filter(Boolean).join(' ') || 'sm2 layout'})`,
  );
}

export function privateKeyToPem(keyPair: Sm2KeyPair): string {
  const { privateKey, publicKey } = sm2KeyPairFromPrivateKey(keyPair.privateKey);
  const der = hexToBytes(PKCS8_HEAD + privateKey + PKCS8_MIDDLE + publicKey);
  // Round-tripping through OpenSSL proves the hand-built DER is a key OpenSSL accepts.
  return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' })
    .export({ type: 'pkcs8', format: 'pem' })
    .toString();
}

export function privateKeyFromPem(pem: string): Sm2KeyPair {
  const key = createPrivateKey(pem);
  const der = bytesToHex(key.export({ type: 'pkcs8', format: 'der' }));
  const at = PKCS8_HEAD.length;
  if (!der.startsWith(PKCS8_HEAD) || der.slice(at + 64, at + 64 + PKCS8_MIDDLE.length) !== PKCS8_MIDDLE) {
    throw notSm2(key);
  }
  const pair = sm2KeyPairFromPrivateKey(der.slice(at, at + 64));
  if (der.slice(at + 64 + PKCS8_MIDDLE.length) !== pair.publicKey) {
    throw new Error('PKCS#8 public key does not match its private key');
  }
  return pair;
}

export function publicKeyToPem(publicKey: PublicKeyHex): string {
  if (!isValidPublicKey(publicKey.toLowerCase())) throw new Error('not an SM2 public key');
  const der = hexToBytes(SPKI_HEAD + publicKey.toLowerCase());
  return createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' })
    .export({ type: 'spki', format: 'pem' })
    .toString();
}

/** Accepts a public key PEM, or a private key PEM (its public half). */
export function publicKeyFromPem(pem: string): PublicKeyHex {
  const key = createPublicKey(pem);
  const der = bytesToHex(key.export({ type: 'spki', format: 'der' }));
  const publicKey = der.slice(SPKI_HEAD.length);
  if (!der.startsWith(SPKI_HEAD) || !isValidPublicKey(publicKey)) throw notSm2(key);
  return publicKey;
}
