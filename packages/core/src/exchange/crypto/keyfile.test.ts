import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { privateKeyFromPem, privateKeyToPem, publicKeyFromPem, publicKeyToPem } from './keyfile';
import { generateSm2KeyPair, Sm2SoftwareSigner, sm2Verifier } from './sm2';

describe('SM2 key PEM files', () => {
  it('round-trips a key pair through PKCS#8 and SPKI PEM', () => {
    const keyPair = generateSm2KeyPair();
    const pem = privateKeyToPem(keyPair);
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(privateKeyFromPem(pem)).toEqual(keyPair);
    const pub = publicKeyToPem(keyPair.publicKey);
    expect(pub).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(publicKeyFromPem(pub)).toBe(keyPair.publicKey);
    expect(publicKeyFromPem(pem)).toBe(keyPair.publicKey);
  });

  it('writes what OpenSSL reads back as the same key', () => {
    const keyPair = generateSm2KeyPair();
    const der = createPrivateKey(privateKeyToPem(keyPair)).export({ type: 'pkcs8', format: 'der' });
    // The sm2 curve OID 1.2.156.10197.1.301, then d.
    expect(der.toString('hex')).toContain(`06082a811ccf5501822d`);
    expect(der.toString('hex')).toContain(`0420${keyPair.privateKey}`);
  });

  it('reads keys made by OpenSSL, in PKCS#8 and SEC1 form, and signs with them', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'SM2' });
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const sec1 = privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    const keyPair = privateKeyFromPem(pkcs8);
    expect(privateKeyFromPem(sec1)).toEqual(keyPair);
    const signer = new Sm2SoftwareSigner('openssl-made', keyPair);
    const message = new TextEncoder().encode('hello');
    expect(sm2Verifier.verify(message, await signer.sign(message), signer.publicKey)).toBe(true);
  });

  it('refuses keys of other curves', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    expect(() => privateKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString())).toThrow(
      /not an SM2 key/,
    );
    expect(() => publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString())).toThrow(
      /not an SM2 key/,
    );
    expect(() => publicKeyToPem(`04${'11'.repeat(64)}`)).toThrow(/not an SM2 public key/);
  });
});
