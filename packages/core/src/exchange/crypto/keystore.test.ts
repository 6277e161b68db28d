import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { privateKeyToPem } from './keyfile';
import { createKeyStore, generateDemoKeys, keyStoreFromEnv, loadKeyStoreFromFolder } from './keystore';
import { generateSm2KeyPair, sm2Verifier } from './sm2';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fiscus-keys-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const message = new TextEncoder().encode('5201');

describe('key store', () => {
  it('generates demo keys once, private files 0600, and reloads the same keys', async () => {
    const first = await generateDemoKeys(dir, ['mof-530700000', 'bank-ccb-5307']);
    expect((await readdir(dir)).sort()).toEqual([
      'bank-ccb-5307.key.pem',
      'bank-ccb-5307.pub.pem',
      'mof-530700000.key.pem',
      'mof-530700000.pub.pem',
    ]);
    if (process.platform !== 'win32') {
      expect((await stat(join(dir, 'mof-530700000.key.pem'))).mode & 0o777).toBe(0o600);
    }
    const again = await generateDemoKeys(dir, ['mof-530700000']);
    expect(again.signer('mof-530700000').publicKey).toBe(first.signer('mof-530700000').publicKey);
    const signer = again.signer('bank-ccb-5307');
    const key = again.trusted.get('bank-ccb-5307');
    expect(key).toBe(signer.publicKey);
    expect(sm2Verifier.verify(message, await signer.sign(message), key!)).toBe(true);
  });

  it('trusts counterparts from .pub.pem without being able to sign for them', async () => {
    const own = await generateDemoKeys(join(dir, 'bank'), ['bank-1']);
    await writeFile(join(dir, 'bank-1.pub.pem'), await readFile(join(dir, 'bank', 'bank-1.pub.pem')));
    await generateDemoKeys(dir, ['mof-1']);
    const store = await loadKeyStoreFromFolder(dir);
    expect([...store.signers.keys()]).toEqual(['mof-1']);
    expect(store.trusted.get('bank-1')).toBe(own.signer('bank-1').publicKey);
    expect(() => store.signer('bank-1')).toThrow(/no private key for bank-1/);
  });

  it('refuses a private key readable by others, stray PEM files and conflicting keys', async () => {
    if (process.platform !== 'win32') {
      await generateDemoKeys(dir, ['open']);
      await chmod(join(dir, 'open.key.pem'), 0o644);
      await expect(loadKeyStoreFromFolder(dir)).rejects.toThrow(/readable by others/);
      await chmod(join(dir, 'open.key.pem'), 0o600);
    }
    await writeFile(join(dir, 'stray.pem'), 'x');
    await expect(loadKeyStoreFromFolder(dir)).rejects.toThrow(/stray.pem: expected/);
    await rm(join(dir, 'stray.pem'));
    const a = generateSm2KeyPair();
    const b = generateSm2KeyPair();
    expect(() =>
      createKeyStore([{ keyId: 'k', keyPair: a }], [{ keyId: 'k', publicKey: b.publicKey }]),
    ).toThrow(/two different public keys/);
  });

  it('reads one key from the environment, PEM or hex, with trusted counterparts', async () => {
    expect(keyStoreFromEnv({})).toBeNull();
    const keyPair = generateSm2KeyPair();
    const bank = generateSm2KeyPair();
    for (const secret of [keyPair.privateKey, privateKeyToPem(keyPair)]) {
      const store = keyStoreFromEnv({
        FISCUS_SM2_KEY_ID: 'mof-1',
        FISCUS_SM2_PRIVATE_KEY: secret,
        FISCUS_SM2_TRUSTED_KEYS: `bank-1:${bank.publicKey}`,
      });
      expect(store?.signer('mof-1').publicKey).toBe(keyPair.publicKey);
      expect(store?.trusted.get('bank-1')).toBe(bank.publicKey);
    }
    expect(() => keyStoreFromEnv({ FISCUS_SM2_KEY_ID: 'mof-1' })).toThrow(/PRIVATE_KEY is empty/);
    expect(() =>
      keyStoreFromEnv({
        FISCUS_SM2_KEY_ID: 'mof-1',
        FISCUS_SM2_PRIVATE_KEY: keyPair.privateKey,
        FISCUS_SM2_TRUSTED_KEYS: 'bank-1',
      }),
    ).toThrow(/bad entry/);
  });
});
