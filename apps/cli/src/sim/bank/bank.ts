import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { publicKeyFromPem } from '@fiscus/core/exchange/crypto/keyfile';
import { generateDemoKeys } from '@fiscus/core/exchange/crypto/keystore';
import type { PublicKeyHex } from '@fiscus/core/exchange/crypto/signer';
import { createSimServer } from '../shared/server';
import { DayEnd } from './clearing';
import { FaultPlan } from './faults';
import { receiveMessage } from './inbound';
import { type BankSimConfig, CRASH_EXIT_CODE, normalizeDate } from './options';
import { Delivery } from './outbound';
import { PbocDelivery } from './pboc';
import { Processor } from './processor';
import type { BankIdentity } from './receipts';
import { stateView } from './state';
import { EventStore } from './store';

export interface BankHooks {
  readonly now: () => Date;
  readonly random: () => number;
  readonly log: (event: Record<string, unknown>) => void;
  /** After the crash is recorded; by default `process.exit(86)`, abrupt, no cleanup. */
  readonly crash: () => void;
}

export interface RunningBank {
  readonly port: number;
  readonly keyId: string;
  readonly publicKey: PublicKeyHex;
  readonly store: EventStore;
  readonly delivery: Delivery;
  readonly pboc: PbocDelivery;
  readonly dayEnd: DayEnd;
  /** Stop accepting, let the current step finish, close the store. */
  close(): Promise<void>;
}

/** Trusted finance keys: `*.pub.pem` files of the given folders, then `--trust-key` pairs. */
export async function loadTrusted(config: BankSimConfig): Promise<Map<string, PublicKeyHex>> {
  const trusted = new Map<string, PublicKeyHex>();
  for (const dir of config.trustDirs) {
    for (const name of (await readdir(dir)).sort()) {
      const m = /^(.+)\.pub\.pem$/.exec(name);
      if (m?.[1] !== undefined) trusted.set(m[1], publicKeyFromPem(await readFile(join(dir, name), 'utf8')));
    }
  }
  for (const { keyId, publicKey } of config.trustKeys) trusted.set(keyId, publicKey);
  return trusted;
}

const sleep = (ms: number, signal: { wake?: () => void }) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.wake = () => {
      clearTimeout(t);
      resolve();
    };
  });

/** Starts the simulated bank: keys, store replay, HTTP server, teller and outbox loops. */
export async function startBank(
  config: BankSimConfig,
  overrides: Partial<BankHooks> = {},
): Promise<RunningBank> {
  const hooks: BankHooks = {
    now: () => new Date(),
    random: Math.random,
    log: (e) => console.error(JSON.stringify(e)),
    crash: () => process.exit(CRASH_EXIT_CODE),
    ...overrides,
  };
  const keyId = `bank-${config.bankCode}`;
  const keys = await generateDemoKeys(config.keysDir, [keyId]);
  const signer = keys.signer(keyId);
  const trusted = await loadTrusted(config);
  const bank: BankIdentity = { code: config.bankCode, name: config.bankName, signer };
  const store = EventStore.open(config.dataDir);
  const faults = new FaultPlan(config.seed, config.faults);
  const processor = new Processor(store, { ...config }, { now: hooks.now, crash: hooks.crash });
  const delivery = new Delivery(store, bank, faults, config, {
    now: () => hooks.now().getTime(),
    random: hooks.random,
    log: hooks.log,
  });
  const pboc = new PbocDelivery(store, config.pbocUrl, {
    now: () => hooks.now().getTime(),
    random: hooks.random,
    log: hooks.log,
  });
  const dayEnd = new DayEnd(store, bank, config, faults, { now: hooks.now, log: hooks.log });
  // A PBOC receipt carries our own signature too: verify it with our key besides the trusted ones.
  const receiptTrust = new Map([...trusted, [keyId, signer.publicKey]]);

  let running = true;
  const wakers: { wake?: () => void }[] = [{}, {}, {}];
  const wakeAll = () => {
    for (const w of wakers) w.wake?.();
  };
  const loop = async (i: number, step: () => Promise<number | null> | number | null) => {
    while (running) {
      let wait: number | null = 50;
      try {
        wait = await step();
      } catch (e) {
        hooks.log({ event: 'error', error: e instanceof Error ? e.message : String(e) });
      }
      if (!running) break;
      await sleep(Math.min(wait ?? 50, 50), wakers[i] ?? {});
    }
  };

  const server = createSimServer({
    state: () =>
      stateView(store.state, {
        bank: {
          code: config.bankCode,
          agentAcctNo: config.agentAcct,
          tsaAcctNo: config.tsaAcct,
          pboc: config.pbocUrl,
        },
      }),
    actions: {
      async '/sim/day-end'(body) {
        const b = (body ?? {}) as { date?: unknown; final?: unknown };
        if (typeof b.date !== 'string')
          return { status: 400, body: { error: 'expected {"date": "YYYY-MM-DD"}' } };
        let date: string;
        try {
          date = normalizeDate(b.date, 'date');
        } catch (e) {
          return { status: 400, body: { error: e instanceof Error ? e.message : String(e) } };
        }
        const answer = await dayEnd.run(date, b.final === true);
        wakeAll();
        return { status: 200, body: answer };
      },
      async '/sim/bounce'(body) {
        const b = (body ?? {}) as { key?: unknown; voucherNo?: unknown; reason?: unknown; vtCode?: unknown };
        if (b.vtCode !== undefined && b.vtCode !== '2203' && b.vtCode !== '2252')
          return { status: 400, body: { error: 'vtCode: 2203 (default) or 2252' } };
        const key =
          typeof b.key === 'string'
            ? b.key
            : [...store.state.vouchers.keys()].find((k) => k.split('|')[3] === b.voucherNo);
        if (key === undefined)
          return { status: 404, body: { error: 'no such voucher (give key or voucherNo)' } };
        const r = processor.bounceNow(
          key,
          typeof b.reason === 'string' ? b.reason : '收款行退票（手工模拟）',
          b.vtCode === '2252' ? '2252' : '2203',
        );
        if ('error' in r) return { status: r.status, body: { error: r.error } };
        wakeAll();
        return { status: 200, body: { ok: true, key, refundVoucherNo: r.refundVoucherNo } };
      },
    },
    message(bytes) {
      const answer = receiveMessage(bytes, store.state, trusted, hooks.now().toISOString(), { receiptTrust });
      if (answer.kind === 'refused') return { status: 400, body: { error: answer.error } };
      const messageKey =
        answer.keys.length > 0 ? answer.keys.join(',') : createHash('sha256').update(bytes).digest('hex');
      if (faults.take('drop', messageKey)) {
        hooks.log({ event: 'fault', drop: answer.keys });
        return 'drop';
      }
      store.append(...answer.events);
      if (answer.events.length > 0) wakeAll();
      hooks.log({ event: 'received', results: answer.results });
      return { status: 200, body: { results: answer.results } };
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const loops = [
    loop(0, () => processor.step()),
    loop(1, () => delivery.step()),
    loop(2, async () => {
      await dayEnd.check();
      return pboc.step();
    }),
  ];

  return {
    port,
    keyId,
    publicKey: signer.publicKey,
    store,
    delivery,
    pboc,
    dayEnd,
    async close() {
      if (!running) return;
      running = false;
      delivery.stop();
      pboc.stop();
      wakeAll();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await Promise.all(loops);
      store.close();
    },
  };
}
