import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSm2KeyPair, Sm2SoftwareSigner } from '../../exchange/crypto/sm2';
import { financeSigner, keyFolder, setFinanceSignerForTests } from './keys';

const dirs: string[] = [];
afterEach(async () => {
  setFinanceSignerForTests(null);
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('finance signer keys', () => {
  it('generates finance-<region> in the key folder on first use and keeps it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fiscus-fk-'));
    dirs.push(dir);
    const env = { FISCUS_KEYS: dir };
    const a = await financeSigner('530700000', env);
    expect(a.keyId).toBe('finance-530700000');
    expect((await readdir(dir)).sort()).toEqual(['finance-530700000.key.pem', 'finance-530700000.pub.pem']);
    setFinanceSignerForTests(null); // drops the cache: the key is read back from the files
    expect((await financeSigner('530700000', env)).publicKey).toBe(a.publicKey);
    const b = await financeSigner('530702000', env);
    expect(b.keyId).toBe('finance-530702000');
    expect(b.publicKey).not.toBe(a.publicKey);
  });

  it('uses the key from the environment for every region when one is set', async () => {
    const pair = generateSm2KeyPair();
    const env = { FISCUS_SM2_KEY_ID: 'mof-530700000-1', FISCUS_SM2_PRIVATE_KEY: pair.privateKey };
    const s = await financeSigner('530700000', env);
    expect(s).toMatchObject({ keyId: 'mof-530700000-1', publicKey: pair.publicKey });
    expect((await financeSigner('530702000', env)).keyId).toBe('mof-530700000-1');
  });

  it('defaults the folder to FISCUS_HOME/keys, and tests can inject a signer', async () => {
    expect(keyFolder({ FISCUS_HOME: '/srv/fiscus' })).toBe('/srv/fiscus/keys');
    expect(keyFolder({})).toBe(resolve('.fiscus', 'keys'));
    const signer = new Sm2SoftwareSigner('test-key', generateSm2KeyPair());
    setFinanceSignerForTests(signer);
    expect(await financeSigner('530700000', {})).toBe(signer);
  });
});
