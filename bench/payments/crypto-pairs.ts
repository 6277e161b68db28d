import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  generateSm2KeyPair,
  Sm2SoftwareSigner,
  sm2Verifier,
} from '../../packages/core/src/exchange/crypto/sm2';

/** (sign + verify) pairs one thread does in `ms`, with the signer and verifier Fiscus uses. */
export async function pairsFor(ms: number, bytes: number): Promise<number> {
  const signer = new Sm2SoftwareSigner('bench-key', generateSm2KeyPair());
  const message = new Uint8Array(bytes).map((_, i) => (i * 31) & 0xff);
  let n = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    const sig = await signer.sign(message);
    if (!sm2Verifier.verify(message, sig, signer.publicKey)) throw new Error('SM2 pair did not verify');
    n++;
  }
  return n;
}

/**
 * The physical cost of the payment path: SM2 (sign + verify) pairs per second with every core
 * busy (one worker thread per core), over a message the size of a signed voucher.
 */
export async function sm2PairsPerSecond(
  seconds: number,
  bytes: number,
): Promise<{ perSecond: number; threads: number }> {
  const threads = availableParallelism();
  const counts = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<number>((resolve, reject) => {
          const w = new Worker(join(import.meta.dirname, 'crypto-worker.mjs'), {
            workerData: { ms: seconds * 1000, bytes },
          });
          w.once('message', (n: number) => resolve(n));
          w.once('error', reject);
        }),
    ),
  );
  return { perSecond: counts.reduce((a, b) => a + b, 0) / seconds, threads };
}
