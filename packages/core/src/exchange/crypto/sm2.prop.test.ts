import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { generateSm2KeyPair, Sm2SoftwareSigner, sm2Verifier } from './sm2';

const signer = new Sm2SoftwareSigner('prop-key', generateSm2KeyPair());
// SM2 is slow in JavaScript (~1 ms per operation); 60 runs keep the file around a second.
const runs = { numRuns: 60 };

test.prop([fc.uint8Array({ maxLength: 512 })], runs)('any message signs and verifies', async (message) => {
  const signature = await signer.sign(message);
  expect(sm2Verifier.verify(message, signature, signer.publicKey)).toBe(true);
});

test.prop([fc.uint8Array({ minLength: 1, maxLength: 512 }), fc.nat(), fc.integer({ min: 0, max: 7 })], runs)(
  'any single-bit change of the message fails',
  async (message, at, bit) => {
    const signature = await signer.sign(message);
    const changed = message.slice();
    changed[at % changed.length]! ^= 1 << bit;
    expect(sm2Verifier.verify(changed, signature, signer.publicKey)).toBe(false);
  },
);

test.prop([fc.uint8Array({ maxLength: 64 }), fc.integer({ min: 0, max: 511 })], runs)(
  'any single-bit change of the signature fails',
  async (message, bitIndex) => {
    const signature = await signer.sign(message);
    const value = signature.value.slice();
    value[bitIndex >> 3]! ^= 1 << (bitIndex & 7);
    expect(sm2Verifier.verify(message, { ...signature, value }, signer.publicKey)).toBe(false);
  },
);
