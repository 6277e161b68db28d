import { sm2 } from 'sm-crypto-v2';
import {
  isValidKeyId,
  type PublicKeyHex,
  type Signature,
  type Signer,
  SM2_SM3,
  type Verifier,
} from './signer';

/**
 * Software SM2 through sm-crypto-v2. Node's own "SM2" key type signs plain ECDSA on the SM2 curve,
 * which no bank verifies; sm-crypto-v2 computes e = SM3(Z_A ‖ M) as GB/T 32918.2 requires.
 */

/** The user id every counterpart assumes when none is agreed (GM/T 0009 default). */
export const DEFAULT_SM2_USER_ID = '1234567812345678';

/** Order n of the base point of the recommended curve (GB/T 32918.5). */
const N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
const PRIVATE_HEX = /^[0-9a-f]{64}$/;
const PUBLIC_HEX = /^04[0-9a-f]{128}$/;

export interface Sm2KeyPair {
  /** d as 64 lowercase hex digits. */
  readonly privateKey: string;
  readonly publicKey: PublicKeyHex;
}

export function generateSm2KeyPair(): Sm2KeyPair {
  const { privateKey, publicKey } = sm2.generateKeyPairHex();
  return { privateKey, publicKey };
}

/** Derives the public key; refuses d outside [1, n-2], the range GB/T 32918.1 allows. */
export function sm2KeyPairFromPrivateKey(privateKeyHex: string): Sm2KeyPair {
  const privateKey = privateKeyHex.toLowerCase();
  if (!PRIVATE_HEX.test(privateKey)) throw new Error('SM2 private key must be 64 hex digits');
  const d = BigInt(`0x${privateKey}`);
  if (d < 1n || d > N - 2n) throw new Error('SM2 private key out of range [1, n-2]');
  return { privateKey, publicKey: sm2.getPublicKeyFromPrivateKey(privateKey) };
}

/** Uncompressed form and a point on the curve: a malformed trusted key is refused at load time. */
export function isValidPublicKey(publicKey: string): boolean {
  if (!PUBLIC_HEX.test(publicKey)) return false;
  try {
    return sm2.verifyPublicKey(publicKey);
  } catch {
    return false;
  }
}

export function hexToBytes(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export interface Sm2SignerOptions {
  readonly certificate?: string;
  readonly userId?: string;
}

export class Sm2SoftwareSigner implements Signer {
  readonly algorithm = SM2_SM3;
  readonly keyId: string;
  readonly publicKey: PublicKeyHex;
  readonly certificate?: string;
  readonly #privateKey: string;
  readonly #userId: string;

  constructor(keyId: string, keyPair: Sm2KeyPair, options: Sm2SignerOptions = {}) {
    if (!isValidKeyId(keyId)) throw new Error(`invalid key id ${JSON.stringify(keyId)}`);
    const derived = sm2KeyPairFromPrivateKey(keyPair.privateKey);
    // A mismatched pair would sign with one key and advertise another: every signature would fail.
    if (derived.publicKey !== keyPair.publicKey.toLowerCase()) {
      throw new Error(`public key does not belong to the private key of ${keyId}`);
    }
    this.keyId = keyId;
    this.publicKey = derived.publicKey;
    this.#privateKey = derived.privateKey;
    this.#userId = options.userId ?? DEFAULT_SM2_USER_ID;
    if (options.certificate !== undefined) this.certificate = options.certificate;
  }

  async sign(bytes: Uint8Array): Promise<Signature> {
    const rs = sm2.doSignature(bytes, this.#privateKey, {
      hash: true,
      der: false,
      publicKey: this.publicKey,
      userId: this.#userId,
    });
    return { algorithm: SM2_SM3, keyId: this.keyId, value: hexToBytes(rs) };
  }
}

type PreparedKey = ReturnType<typeof sm2.precomputePublicKey>;

export interface Sm2VerifierOptions {
  readonly userId?: string;
  /** Prepared counterpart keys kept; preparing makes verification about five times faster. */
  readonly cacheSize?: number;
}

export function createSm2Verifier(options: Sm2VerifierOptions = {}): Verifier {
  const userId = options.userId ?? DEFAULT_SM2_USER_ID;
  const cacheSize = options.cacheSize ?? 256;
  const prepared = new Map<string, PreparedKey>();

  function prepare(publicKey: string): PreparedKey | null {
    const key = publicKey.toLowerCase();
    const hit = prepared.get(key);
    if (hit !== undefined) {
      // Re-insert so the Map's insertion order doubles as least-recently-used order.
      prepared.delete(key);
      prepared.set(key, hit);
      return hit;
    }
    if (!isValidPublicKey(key)) return null;
    const point = sm2.precomputePublicKey(key);
    if (prepared.size >= cacheSize) {
      const oldest = prepared.keys().next();
      if (oldest.done !== true) prepared.delete(oldest.value);
    }
    prepared.set(key, point);
    return point;
  }

  return {
    verify(bytes, signature, publicKey) {
      if (signature.algorithm !== SM2_SM3 || signature.value.length !== 64) return false;
      const hex = bytesToHex(signature.value);
      const r = BigInt(`0x${hex.slice(0, 64)}`);
      const s = BigInt(`0x${hex.slice(64)}`);
      // GB/T 32918.2 §7.1 B1–B2; sm-crypto-v2 does not check the ranges itself.
      if (r < 1n || r >= N || s < 1n || s >= N) return false;
      const point = prepare(publicKey);
      if (point === null) return false;
      try {
        return sm2.doVerifySignature(bytes, hex, point, { hash: true, der: false, userId });
      } catch {
        return false;
      }
    },
  };
}

/** A shared verifier with the default user id. */
export const sm2Verifier: Verifier = createSm2Verifier();
