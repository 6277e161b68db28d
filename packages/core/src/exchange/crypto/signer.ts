/**
 * The signing seam of the voucher exchange (DOMAIN.md §4.4). Each region buys a certified signature
 * server or HSM; everything above this file talks to these interfaces only, so a vendor adapter can
 * replace the software implementation in `sm2.ts` without touching vouchers or the library.
 */

/** SM2 signature over SM3(Z_A ‖ M) with the default user id (GB/T 32918.2, GM/T 0009). */
export const SM2_SM3 = 'SM2-SM3' as const;
export type SignatureAlgorithm = typeof SM2_SM3;

/**
 * A signature as it travels: raw r ‖ s, 32 bytes each, big-endian. Raw rather than DER because it
 * has one encoding only, so equal signatures are equal bytes; adapters convert if a vendor wants DER.
 */
export interface Signature {
  readonly algorithm: SignatureAlgorithm;
  /** The key that made it; the verifier looks the public key up by this id. */
  readonly keyId: string;
  readonly value: Uint8Array;
}

/** Uncompressed SM2 public key as hex: `04` ‖ x ‖ y (130 hex digits). */
export type PublicKeyHex = string;

export interface Signer {
  /** Names the party and the key, e.g. `mof-530700000-1`; stable across restarts. */
  readonly keyId: string;
  readonly algorithm: SignatureAlgorithm;
  readonly publicKey: PublicKeyHex;
  /** PEM X.509 certificate when a CA issued one; software demo keys have none. */
  readonly certificate?: string;
  /** Asynchronous because a signing server answers over the network. */
  sign(bytes: Uint8Array): Promise<Signature>;
}

export interface Verifier {
  /** False for any malformed input: verification answers, it never throws. */
  verify(bytes: Uint8Array, signature: Signature, publicKey: PublicKeyHex): boolean;
}

/** Public keys we accept signatures from, by key id (our own keys included: receipts carry them). */
export type TrustedKeys = ReadonlyMap<string, PublicKeyHex>;

const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Key ids become file names and XML attributes, so they are restricted to a safe alphabet. */
export function isValidKeyId(keyId: string): boolean {
  return KEY_ID.test(keyId);
}
