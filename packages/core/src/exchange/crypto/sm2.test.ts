import { sm2 as legacySm2 } from 'sm-crypto';
import { sm2, sm3 } from 'sm-crypto-v2';
import { describe, expect, it } from 'vitest';
import { sm3Hex } from '../../platform/gm/sm3';
import { type Signature, SM2_SM3 } from './signer';
import {
  bytesToHex,
  createSm2Verifier,
  DEFAULT_SM2_USER_ID,
  generateSm2KeyPair,
  hexToBytes,
  isValidPublicKey,
  Sm2SoftwareSigner,
  sm2KeyPairFromPrivateKey,
  sm2Verifier,
} from './sm2';

const utf8 = (s: string) => new TextEncoder().encode(s);

/**
 * The SM2 signature example on the recommended curve (GB/T 32918.2-2016, annex A): key d, message
 * "message digest", ID "1234567812345678", random k, and the published Z_A, e, r, s.
 */
const EXAMPLE = {
  d: '3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8',
  x: '09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020',
  y: 'ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13',
  message: 'message digest',
  za: 'b2e14c5c79c6df5b85f4fe7ed8db7a262b9da7e07ccb0ea9f4747b8ccda8a4f3',
  e: 'f0b43e94ba45accaace692ed534382eb17e6ab5a19ce7b31f4486fdfc0d28640',
  k: '59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21',
  r: 'f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3',
  s: 'b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa',
};
const examplePublicKey = `04${EXAMPLE.x}${EXAMPLE.y}`;

// Recommended curve parameters (GB/T 32918.5-2017), for computing Z_A without the library.
const CURVE = {
  a: 'fffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffc',
  b: '28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93',
  gx: '32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7',
  gy: 'bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0',
};

describe('SM3 inside SM2 agrees with node:crypto', () => {
  // GB/T 32905-2016 appendix A; platform/gm/sm3.test.ts checks node:crypto against the same values.
  it.each([
    ['abc', '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0'],
    ['abcd'.repeat(16), 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732'],
  ])('SM3(%s)', (input, digest) => {
    expect(sm3Hex(input)).toBe(digest);
    expect(sm3(utf8(input))).toBe(digest);
  });
});

describe('GB/T 32918.2 example', () => {
  it('derives the published public key from d', () => {
    expect(sm2KeyPairFromPrivateKey(EXAMPLE.d).publicKey).toBe(examplePublicKey);
  });

  it('computes Z_A and e as published, with SM3 from node:crypto', () => {
    const id = Buffer.from(DEFAULT_SM2_USER_ID);
    const entl = (id.length * 8).toString(16).padStart(4, '0');
    const za = sm3Hex(
      hexToBytes(entl + id.toString('hex') + CURVE.a + CURVE.b + CURVE.gx + CURVE.gy + EXAMPLE.x + EXAMPLE.y),
    );
    expect(za).toBe(EXAMPLE.za);
    expect(sm3Hex(Buffer.concat([hexToBytes(za), utf8(EXAMPLE.message)]))).toBe(EXAMPLE.e);
    expect(bytesToHex(sm2.getZ(examplePublicKey, DEFAULT_SM2_USER_ID))).toBe(EXAMPLE.za);
  });

  it('reproduces r and s with the published k', () => {
    const x1 = BigInt(`0x${sm2.getPublicKeyFromPrivateKey(EXAMPLE.k).slice(2, 66)}`);
    const rs = sm2.doSignature(EXAMPLE.message, EXAMPLE.d, {
      hash: true,
      userId: DEFAULT_SM2_USER_ID,
      pointPool: [{ k: BigInt(`0x${EXAMPLE.k}`), x1 }],
    });
    expect(rs).toBe(EXAMPLE.r + EXAMPLE.s);
  });

  it('verifies the published signature and nothing near it', () => {
    const signature: Signature = {
      algorithm: SM2_SM3,
      keyId: 'example',
      value: hexToBytes(EXAMPLE.r + EXAMPLE.s),
    };
    expect(sm2Verifier.verify(utf8(EXAMPLE.message), signature, examplePublicKey)).toBe(true);
    expect(sm2Verifier.verify(utf8('message digesT'), signature, examplePublicKey)).toBe(false);
    expect(legacySm2.doVerifySignature(EXAMPLE.message, EXAMPLE.r + EXAMPLE.s, examplePublicKey)).toBe(true);
  });
});

describe('software signer and verifier', () => {
  const keyPair = generateSm2KeyPair();
  const signer = new Sm2SoftwareSigner('mof-530700000-1', keyPair);
  const message = utf8('财政直接支付凭证 5201 PayAmt=1234.50');

  it('signs and verifies a round trip', async () => {
    const signature = await signer.sign(message);
    expect(signature.algorithm).toBe(SM2_SM3);
    expect(signature.keyId).toBe('mof-530700000-1');
    expect(signature.value).toHaveLength(64);
    expect(sm2Verifier.verify(message, signature, signer.publicKey)).toBe(true);
  });

  it('signs with a fresh k each time', async () => {
    const [a, b] = [await signer.sign(message), await signer.sign(message)];
    expect(bytesToHex(a.value)).not.toBe(bytesToHex(b.value));
    expect(sm2Verifier.verify(message, b, signer.publicKey)).toBe(true);
  });

  it('fails on a tampered byte, a tampered signature, another key or another algorithm', async () => {
    const signature = await signer.sign(message);
    const tampered = message.slice();
    tampered[3]! ^= 0x01;
    expect(sm2Verifier.verify(tampered, signature, signer.publicKey)).toBe(false);
    const badValue = signature.value.slice();
    badValue[40]! ^= 0x80;
    expect(sm2Verifier.verify(message, { ...signature, value: badValue }, signer.publicKey)).toBe(false);
    expect(sm2Verifier.verify(message, signature, generateSm2KeyPair().publicKey)).toBe(false);
    const other = { ...signature, algorithm: 'SM2' } as unknown as Signature;
    expect(sm2Verifier.verify(message, other, signer.publicKey)).toBe(false);
  });

  it('answers false, never throws, for malformed signatures and keys', async () => {
    const signature = await signer.sign(message);
    const n = 'fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123';
    const zero = '0'.repeat(64);
    const r = bytesToHex(signature.value).slice(0, 64);
    const s = bytesToHex(signature.value).slice(64);
    for (const value of [r + zero, zero + s, n + s, r + n, 'ff'.repeat(64)]) {
      expect(sm2Verifier.verify(message, { ...signature, value: hexToBytes(value) }, signer.publicKey)).toBe(
        false,
      );
    }
    expect(
      sm2Verifier.verify(message, { ...signature, value: signature.value.slice(1) }, signer.publicKey),
    ).toBe(false);
    expect(sm2Verifier.verify(message, signature, `04${'00'.repeat(64)}`)).toBe(false);
    expect(sm2Verifier.verify(message, signature, 'not a key')).toBe(false);
  });

  it('keeps verifying when the prepared-key cache evicts', async () => {
    const verifier = createSm2Verifier({ cacheSize: 1 });
    const other = new Sm2SoftwareSigner('bank-1', generateSm2KeyPair());
    for (let i = 0; i < 3; i++) {
      for (const s of [signer, other]) {
        expect(verifier.verify(message, await s.sign(message), s.publicKey)).toBe(true);
      }
    }
  });

  it('refuses a key pair whose halves do not match, bad key ids and out-of-range keys', () => {
    const other = generateSm2KeyPair();
    expect(() => new Sm2SoftwareSigner('k', { ...keyPair, publicKey: other.publicKey })).toThrow(
      /does not belong/,
    );
    expect(() => new Sm2SoftwareSigner('../etc/passwd', keyPair)).toThrow(/invalid key id/);
    expect(() => sm2KeyPairFromPrivateKey('0'.repeat(64))).toThrow(/out of range/);
    expect(() => sm2KeyPairFromPrivateKey('xyz')).toThrow(/64 hex/);
    expect(isValidPublicKey(keyPair.publicKey)).toBe(true);
    expect(isValidPublicKey(`04${'11'.repeat(64)}`)).toBe(false);
  });
});

describe('cross-check with the older sm-crypto', () => {
  const keyPair = generateSm2KeyPair();
  const message = utf8('<Voucher><PayAmt>1.00</PayAmt></Voucher>');

  it('verifies our signatures', async () => {
    const signature = await new Sm2SoftwareSigner('k1', keyPair).sign(message);
    expect(legacySm2.doVerifySignature(message, bytesToHex(signature.value), keyPair.publicKey)).toBe(true);
  });

  it('makes signatures we verify', () => {
    const rs = legacySm2.doSignature(message, keyPair.privateKey, {
      hash: true,
      userId: DEFAULT_SM2_USER_ID,
    });
    const signature: Signature = { algorithm: SM2_SM3, keyId: 'k1', value: hexToBytes(rs) };
    expect(sm2Verifier.verify(message, signature, keyPair.publicKey)).toBe(true);
  });
});
