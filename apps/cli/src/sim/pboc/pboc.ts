import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { publicKeyFromPem } from '@fiscus/core/exchange/crypto/keyfile';
import { generateDemoKeys } from '@fiscus/core/exchange/crypto/keystore';
import type { PublicKeyHex } from '@fiscus/core/exchange/crypto/signer';
import { formatYuan } from '@fiscus/core/kernel/money';
import { createSimServer } from '../shared/server';
import { FaultPlan } from './faults';
import { receiveMessage } from './inbound';
import { CRASH_EXIT_CODE, type PbocSimConfig, toYmd } from './options';
import { Delivery } from './outbound';
import type { PbocIdentity } from './receipts';
import { buildDayReports, signReports, totalsView } from './reports';
import { businessDate, reportItem, stateView, ymd } from './state';
import { EventStore } from './store';

export interface PbocHooks {
  readonly now: () => Date;
  readonly random: () => number;
  readonly log: (event: Record<string, unknown>) => void;
  /** After the crash is recorded; by default `process.exit(86)`, abrupt, no cleanup. */
  readonly crash: () => void;
}

export interface DayEndAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export interface RunningPboc {
  readonly port: number;
  readonly keyId: string;
  readonly publicKey: PublicKeyHex;
  readonly store: EventStore;
  readonly delivery: Delivery;
  /** The business date a clearing arriving now is booked on. */
  businessDate(): string;
  /** `POST /sim/day-end` without HTTP. */
  dayEnd(body: unknown): Promise<DayEndAnswer>;
  /** `GET /sim/state` without HTTP. */
  state(): ReturnType<typeof stateView>;
  /** Stop accepting, let the current step finish, close the store. */
  close(): Promise<void>;
}

/** Trusted keys (finance's and the banks'): `*.pub.pem` of the given folders, then `--trust-key` pairs. */
export async function loadTrusted(config: Pick<PbocSimConfig, 'trustDirs' | 'trustKeys'>) {
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

/** How long `POST /sim/day-end` waits for the reports' first delivery attempt before answering. */
const DAY_END_WAIT_MS = 10_000;

/** Starts the simulated treasury: keys, store replay, HTTP server and the outbox loop. */
export async function startPboc(
  config: PbocSimConfig,
  overrides: Partial<PbocHooks> = {},
): Promise<RunningPboc> {
  const hooks: PbocHooks = {
    now: () => new Date(),
    random: Math.random,
    log: (e) => console.error(JSON.stringify(e)),
    crash: () => process.exit(CRASH_EXIT_CODE),
    ...overrides,
  };
  const keyId = `pboc-${config.pbocCode}`;
  const keys = await generateDemoKeys(config.keysDir, [keyId]);
  const signer = keys.signer(keyId);
  const trusted = await loadTrusted(config);
  // Our own key too: a receipt or report of ours coming back verifies.
  trusted.set(keyId, signer.publicKey);
  const pboc: PbocIdentity = { code: config.pbocCode, name: config.pbocName, signer };
  const store = EventStore.open(config.dataDir);
  if (store.state.tsa === null) {
    store.append({
      type: 'opened',
      at: hooks.now().toISOString(),
      tsaAcctNo: config.tsaAcctNo,
      tsaAcctName: config.tsaAcctName,
      opening: formatYuan(config.tsaOpening),
    });
  }
  const faults = new FaultPlan(config.seed, config.faults);
  const delivery = new Delivery(store, pboc, faults, config, {
    now: () => hooks.now().getTime(),
    random: hooks.random,
    log: hooks.log,
  });
  const closing = new Set<string>();
  const today = () => businessDate(store.state, config.clearDate ?? ymd(hooks.now()), closing);

  let running = true;
  // After a crash (a test's hook that does not exit) nothing more is delivered.
  let crashed = false;
  const waker: { wake?: () => void } = {};
  const loop = async () => {
    while (running) {
      let wait: number | null = 50;
      try {
        if (!crashed) wait = await delivery.step();
      } catch (e) {
        hooks.log({ event: 'error', error: e instanceof Error ? e.message : String(e) });
      }
      if (!running) break;
      await sleep(Math.min(wait ?? 50, 50), waker);
    }
  };

  const view = () =>
    stateView(store.state, { businessDate: today(), lost: delivery.lost, pending: delivery.pending() });

  async function dayEnd(body: unknown): Promise<DayEndAnswer> {
    const raw = typeof body === 'object' && body !== null ? (body as { date?: unknown }).date : undefined;
    const date = typeof raw === 'string' ? toYmd(raw) : null;
    if (date === null) return { status: 400, body: { ok: false, error: 'expected {"date":"YYYY-MM-DD"}' } };
    const again = store.state.closedDays.has(date) || closing.has(date);
    if (!again) {
      // From here on nothing more is booked on `date`, even while the reports are being signed.
      closing.add(date);
      try {
        const built = buildDayReports(store.state, date, {
          admDivCode: config.admDivCode,
          pboc,
          alter: (lineKey) => faults.planned('alter', lineKey),
        });
        const reports = await signReports(built, pboc);
        store.append({
          type: 'dayClosed',
          at: hooks.now().toISOString(),
          date,
          reports,
          altered: built.altered,
        });
        if (built.altered.length > 0) hooks.log({ event: 'fault', date, alter: built.altered });
      } finally {
        closing.delete(date);
      }
    }
    const day = store.state.closedDays.get(date);
    if (day === undefined) return { status: 409, body: { ok: false, error: `day ${date} is being closed` } };
    const items = day.reports.map((r) => reportItem(date, r.vtCode, r.voucherNo));
    if (again) {
      // The receiver dedupes by VoucherNo; send what it already has once more.
      const done = items.filter((i) => store.state.delivered.has(i));
      if (done.length > 0) await delivery.resend(done);
    }
    waker.wake?.();
    const end = Date.now() + DAY_END_WAIT_MS;
    const settled = () =>
      items.every((i) => store.state.delivered.has(i) || delivery.attemptsOf(i) > 0 || !running);
    while (!settled() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    const queued = day.reports.filter(
      (r) => !store.state.delivered.has(reportItem(date, r.vtCode, r.voucherNo)),
    );
    const sent: Record<string, string[]> = {};
    for (const r of day.reports) sent[r.vtCode] = [...(sent[r.vtCode] ?? []), r.voucherNo];
    const totals = buildDayReports(store.state, date, {
      admDivCode: config.admDivCode,
      pboc,
      alter: () => false,
    }).totals;
    hooks.log({ event: 'day-end', date, again, queued: queued.map((r) => r.voucherNo) });
    return {
      status: 200,
      body: {
        ok: true,
        date,
        again,
        sent,
        delivered: queued.length === 0,
        queued: queued.map((r) => r.voucherNo),
        totals: totalsView(totals),
        altered: day.altered,
        businessDate: today(),
      },
    };
  }

  const server = createSimServer({
    state: view,
    actions: { '/sim/day-end': dayEnd },
    message(bytes) {
      const at = hooks.now().toISOString();
      // Dropped on the first attempt: read, then nothing stored and no answer (the sender retries).
      const messageKey = createHash('sha256').update(bytes).digest('hex');
      if (faults.take('drop', messageKey)) {
        hooks.log({ event: 'fault', drop: messageKey });
        return 'drop';
      }
      const answer = receiveMessage(bytes, {
        state: store.state,
        trusted,
        tsaAcctNo: config.tsaAcctNo,
        businessDate: today,
        at,
        append: (...events) => store.append(...events),
      });
      if (answer.kind === 'refused') return { status: 400, body: { error: answer.error } };
      const crashAt = config.crashAfter;
      if (crashAt !== null && !store.state.crashed && store.state.decided >= crashAt) {
        // Decided and recorded, neither answered nor its receipt sent: the worst moment to die.
        store.append({ type: 'crashed', at, afterDecided: store.state.decided });
        hooks.log({ event: 'fault', crash: store.state.decided });
        crashed = true;
        hooks.crash();
        return 'drop';
      }
      if (answer.stored > 0) waker.wake?.();
      const lost = answer.results
        .filter((r) => r.outcome !== undefined)
        .map((r) => `${r.admDivCode}|${r.stYear}|${r.vtCode}|${r.voucherNo}`)
        .filter((k) => delivery.lost(k));
      hooks.log({ event: 'received', results: answer.results });
      if (lost.length > 0) hooks.log({ event: 'fault', loseReceipt: lost });
      return { status: 200, body: { results: answer.results } };
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const loops = [loop()];

  return {
    port,
    keyId,
    publicKey: signer.publicKey,
    store,
    delivery,
    businessDate: today,
    dayEnd,
    state: view,
    async close() {
      if (!running) return;
      running = false;
      delivery.stop();
      waker.wake?.();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await Promise.all(loops);
      store.close();
    },
  };
}
