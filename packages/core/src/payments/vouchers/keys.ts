import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  createKeyStore,
  generateDemoKeys,
  type KeyStore,
  keyStoreFromEnv,
  loadKeyStoreFromFolder,
} from '../../exchange/crypto/keystore';
import type { Signer, TrustedKeys } from '../../exchange/crypto/signer';

/**
 * Where the finance bureau's voucher signing key comes from (ADR 0005):
 * - `FISCUS_SM2_KEY_ID` + `FISCUS_SM2_PRIVATE_KEY` (PEM or hex): that one key signs for every region;
 * - otherwise the key folder `FISCUS_KEYS` (default `${FISCUS_HOME ?? '.fiscus'}/keys`) with the key
 *   `finance-<region>`, generated there on first use (a demo key: a real deployment puts its own
 *   PEM files there or replaces this provider with its signing server).
 * Key stores are cached per folder; `setFinanceSignerForTests` overrides all of it.
 */

type Env = NodeJS.ProcessEnv;

let override: ((region: string) => Signer) | null = null;
const folders = new Map<string, Promise<KeyStore>>();
let fromEnv: { id: string; secret: string; store: KeyStore } | null = null;

/** The key id a region's finance bureau signs with when keys live in the folder. */
export const financeKeyId = (region: string): string => `finance-${region}`;

export function keyFolder(env: Env = process.env): string {
  const explicit = env.FISCUS_KEYS?.trim();
  if (explicit) return resolve(explicit);
  return resolve(join(env.FISCUS_HOME?.trim() || '.fiscus', 'keys'));
}

function envStore(env: Env): KeyStore | null {
  const id = env.FISCUS_SM2_KEY_ID ?? '';
  if (id === '') return null;
  const secret = env.FISCUS_SM2_PRIVATE_KEY ?? '';
  if (fromEnv?.id !== id || fromEnv.secret !== secret) {
    const store = keyStoreFromEnv(env);
    if (store === null) return null;
    fromEnv = { id, secret, store };
  }
  return fromEnv.store;
}

async function folderStore(dir: string, keyId: string): Promise<KeyStore> {
  const cached = folders.get(dir);
  if (cached) {
    const store = await cached;
    if (store.signers.has(keyId)) return store;
  }
  const loading = generateDemoKeys(dir, [keyId]).catch(async (e: unknown) => {
    // Another process created the same key meanwhile ('wx' refused to overwrite it): use theirs.
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return loadKeyStoreFromFolder(dir);
    throw e;
  });
  folders.set(dir, loading);
  try {
    return await loading;
  } catch (e) {
    folders.delete(dir);
    throw e;
  }
}

/** The signer of `region`'s finance bureau (国库支付中心) for payment vouchers. */
export async function financeSigner(region: string, env: Env = process.env): Promise<Signer> {
  if (override) return override(region);
  const store = envStore(env);
  if (store) return store.signer(env.FISCUS_SM2_KEY_ID!);
  const keyId = financeKeyId(region);
  return (await folderStore(keyFolder(env), keyId)).signer(keyId);
}

/** Tests: sign with this signer (or per region) instead; `null` restores the configured keys. */
export function setFinanceSignerForTests(signer: Signer | ((region: string) => Signer) | null): void {
  override = signer === null ? null : typeof signer === 'function' ? signer : () => signer;
  folders.clear();
  fromEnv = null;
}

let trustedOverride: TrustedKeys | null = null;

/**
 * The counterparts' public keys (agent banks, the PBOC) that inbound messages must be signed
 * with: `FISCUS_SM2_TRUSTED_KEYS`, and every `<keyId>.pub.pem` in the key folder.
 */
export async function trustedCounterpartKeys(env: Env = process.env): Promise<TrustedKeys> {
  if (trustedOverride) return trustedOverride;
  const out = new Map<string, string>();
  const listed = (env.FISCUS_SM2_TRUSTED_KEYS ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
    .map((x) => {
      const [keyId = '', publicKey = ''] = x.split(':');
      return { keyId, publicKey };
    });
  // createKeyStore checks every id and point.
  for (const [k, v] of createKeyStore([], listed).trusted) out.set(k, v);
  const dir = keyFolder(env);
  if (existsSync(dir)) {
    const store = await loadKeyStoreFromFolder(dir);
    // Our own keys are in the folder's trust list too; a counterpart's message must not pass
    // on a signature of ours, so only public-key-only entries count.
    for (const [k, v] of store.trusted) if (!store.signers.has(k)) out.set(k, v);
  }
  return out;
}

/** Tests: trust exactly these counterpart keys; `null` restores the configured ones. */
export function setTrustedKeysForTests(keys: TrustedKeys | null): void {
  trustedOverride = keys;
}
