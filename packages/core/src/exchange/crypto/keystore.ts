import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { privateKeyFromPem, privateKeyToPem, publicKeyFromPem, publicKeyToPem } from './keyfile';
import { isValidKeyId, type PublicKeyHex, type Signer, type TrustedKeys } from './signer';
import {
  generateSm2KeyPair,
  isValidPublicKey,
  type Sm2KeyPair,
  Sm2SoftwareSigner,
  sm2KeyPairFromPrivateKey,
} from './sm2';

/**
 * Where a party's software keys live. A folder holds
 *   `<keyId>.key.pem`  our private keys (PKCS#8, mode 0600), one signer each;
 *   `<keyId>.pub.pem`  counterparts' public keys (SPKI), trusted for verification;
 *   `<keyId>.crt.pem`  optionally the certificate of one of our keys.
 * Our own public keys are trusted too: a receipt comes back carrying our signatures.
 * An HSM or signing server replaces the signers and keeps the same `KeyStore` shape.
 */
export interface KeyStore {
  readonly signers: ReadonlyMap<string, Signer>;
  readonly trusted: TrustedKeys;
  /** The signer for `keyId`; throws naming the missing key. */
  signer(keyId: string): Signer;
}

export interface OwnKey {
  readonly keyId: string;
  readonly keyPair: Sm2KeyPair;
  readonly certificate?: string;
}

export interface TrustedKey {
  readonly keyId: string;
  readonly publicKey: PublicKeyHex;
}

export function createKeyStore(own: readonly OwnKey[], counterparts: readonly TrustedKey[] = []): KeyStore {
  const signers = new Map<string, Signer>();
  const trusted = new Map<string, PublicKeyHex>();
  for (const { keyId, keyPair, certificate } of own) {
    if (signers.has(keyId)) throw new Error(`key ${keyId} given twice`);
    const signer = new Sm2SoftwareSigner(keyId, keyPair, certificate === undefined ? {} : { certificate });
    signers.set(keyId, signer);
    trusted.set(keyId, signer.publicKey);
  }
  for (const { keyId, publicKey } of counterparts) {
    if (!isValidKeyId(keyId)) throw new Error(`invalid key id ${JSON.stringify(keyId)}`);
    const key = publicKey.toLowerCase();
    if (!isValidPublicKey(key)) throw new Error(`public key of ${keyId} is not an SM2 point`);
    const known = trusted.get(keyId);
    // Two different keys under one id would let whichever loads last decide what verifies.
    if (known !== undefined && known !== key) throw new Error(`key ${keyId} has two different public keys`);
    trusted.set(keyId, key);
  }
  return {
    signers,
    trusted,
    signer(keyId) {
      const signer = signers.get(keyId);
      if (signer === undefined) throw new Error(`no private key for ${keyId} in the key store`);
      return signer;
    },
  };
}

const KEY_FILE = /^(.+)\.(key|pub|crt)\.pem$/;

export async function loadKeyStoreFromFolder(dir: string): Promise<KeyStore> {
  const own = new Map<string, { keyPair?: Sm2KeyPair; certificate?: string }>();
  const counterparts: TrustedKey[] = [];
  for (const name of (await readdir(dir)).sort()) {
    if (!name.endsWith('.pem')) continue;
    const m = KEY_FILE.exec(name);
    const keyId = m?.[1] ?? '';
    if (m === null || !isValidKeyId(keyId)) {
      throw new Error(`${name}: expected <keyId>.key.pem, .pub.pem or .crt.pem`);
    }
    const path = join(dir, name);
    const pem = await readFile(path, 'utf8');
    const entry = own.get(keyId) ?? {};
    if (m[2] === 'key') {
      // Like ssh: a private key others can read is treated as already leaked.
      if (process.platform !== 'win32' && ((await stat(path)).mode & 0o077) !== 0) {
        throw new Error(`${path}: private key is readable by others; chmod 600 it`);
      }
      own.set(keyId, { ...entry, keyPair: privateKeyFromPem(pem) });
    } else if (m[2] === 'crt') {
      own.set(keyId, { ...entry, certificate: pem });
    } else {
      counterparts.push({ keyId, publicKey: publicKeyFromPem(pem) });
    }
  }
  const ownKeys: OwnKey[] = [];
  for (const [keyId, { keyPair, certificate }] of own) {
    if (keyPair === undefined) throw new Error(`${keyId}.crt.pem has no ${keyId}.key.pem`);
    ownKeys.push(certificate === undefined ? { keyId, keyPair } : { keyId, keyPair, certificate });
  }
  return createKeyStore(ownKeys, counterparts);
}

/**
 * One key from the environment, for deployments that inject secrets rather than mount files:
 * `FISCUS_SM2_KEY_ID`, `FISCUS_SM2_PRIVATE_KEY` (PEM or 64 hex digits) and optionally
 * `FISCUS_SM2_TRUSTED_KEYS` = `keyId:04…,keyId:04…`. Null when no key id is set.
 */
export function keyStoreFromEnv(env: NodeJS.ProcessEnv = process.env): KeyStore | null {
  const keyId = env.FISCUS_SM2_KEY_ID;
  if (keyId === undefined || keyId === '') return null;
  const secret = env.FISCUS_SM2_PRIVATE_KEY?.trim() ?? '';
  if (secret === '') throw new Error('FISCUS_SM2_KEY_ID is set but FISCUS_SM2_PRIVATE_KEY is empty');
  const keyPair = secret.startsWith('-----BEGIN')
    ? privateKeyFromPem(secret)
    : sm2KeyPairFromPrivateKey(secret);
  const counterparts: TrustedKey[] = [];
  for (const item of (env.FISCUS_SM2_TRUSTED_KEYS ?? '').split(',')) {
    if (item.trim() === '') continue;
    const [id = '', publicKey = '', ...rest] = item.trim().split(':');
    if (rest.length > 0 || publicKey === '') throw new Error(`FISCUS_SM2_TRUSTED_KEYS: bad entry ${item}`);
    counterparts.push({ keyId: id, publicKey });
  }
  return createKeyStore([{ keyId, keyPair }], counterparts);
}

/**
 * Demo keys: creates `<keyId>.key.pem` and `<keyId>.pub.pem` for each missing id and loads the
 * folder. Existing keys are kept, so a restart signs with the same keys as before.
 */
export async function generateDemoKeys(dir: string, keyIds: readonly string[]): Promise<KeyStore> {
  await mkdir(dir, { recursive: true });
  const present = new Set(await readdir(dir));
  for (const keyId of keyIds) {
    if (!isValidKeyId(keyId)) throw new Error(`invalid key id ${JSON.stringify(keyId)}`);
    if (present.has(`${keyId}.key.pem`)) continue;
    const keyPair = generateSm2KeyPair();
    // 'wx' never overwrites a key that appeared meanwhile; the umask can only narrow 0600.
    await writeFile(join(dir, `${keyId}.key.pem`), privateKeyToPem(keyPair), { mode: 0o600, flag: 'wx' });
    await writeFile(join(dir, `${keyId}.pub.pem`), publicKeyToPem(keyPair.publicKey));
  }
  return loadKeyStoreFromFolder(dir);
}
