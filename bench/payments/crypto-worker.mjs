// One core's share of the SM2 baseline: sign + verify pairs over a voucher-sized message for the
// given time. A plain .mjs so a worker thread can load the TypeScript sources through tsx.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { pairsFor } = await import('./crypto-pairs.ts');
parentPort.postMessage(await pairsFor(workerData.ms, workerData.bytes));
