import { dbOptions, type GlobalOptions } from '../context';

export interface BenchLedgerOptions {
  quick?: boolean;
  clients: string;
  seconds?: string;
}

function positive(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${v}`);
  return n;
}

/** `fiscus bench ledger`: figures as JSON lines on stdout, progress on stderr. */
export async function benchLedger(g: GlobalOptions, opts: BenchLedgerOptions): Promise<void> {
  const clients = Math.floor(positive('--clients', opts.clients));
  const seconds = opts.seconds === undefined ? undefined : positive('--seconds', opts.seconds);
  const { runLedgerBench } = await import('../../../../bench/ledger/main');
  const r = await runLedgerBench({
    ...dbOptions(g),
    quick: Boolean(opts.quick),
    clients,
    seconds,
    print: (line) => process.stdout.write(`${line}\n`),
  });
  if (r.failed > 0) process.exitCode = 1;
}

/** `fiscus bench payments`: the payment path against the bank simulator, vs SM2 pairs/s. */
export async function benchPayments(
  g: GlobalOptions,
  opts: { quick?: boolean; payments?: string },
): Promise<void> {
  const payments =
    opts.payments === undefined ? undefined : Math.floor(positive('--payments', opts.payments));
  const { runPaymentsBench } = await import('../../../../bench/payments/main');
  const r = await runPaymentsBench({
    ...dbOptions(g),
    quick: Boolean(opts.quick),
    payments,
    print: (line) => process.stdout.write(`${line}\n`),
  });
  if (r.failed > 0) process.exitCode = 1;
}

/** `fiscus bench monitoring`: the online payment path with all built-in monitoring rules vs none. */
export async function benchMonitoring(
  g: GlobalOptions,
  opts: { quick?: boolean; payments?: string; rules?: string },
): Promise<void> {
  const payments =
    opts.payments === undefined ? undefined : Math.floor(positive('--payments', opts.payments));
  const rules = opts.rules === undefined ? undefined : opts.rules.split(',').filter((c) => c !== '');
  const { runMonitoringBench } = await import('../../../../bench/monitoring/main');
  const r = await runMonitoringBench({
    ...dbOptions(g),
    quick: Boolean(opts.quick),
    payments,
    rules,
    print: (line) => process.stdout.write(`${line}\n`),
  });
  if (r.failed > 0) process.exitCode = 1;
}

/** `fiscus bench reconcile`: the full reconciliation of a day vs a plain GROUP BY scan of the same rows. */
export async function benchReconcile(
  g: GlobalOptions,
  opts: { quick?: boolean; vouchers?: string },
): Promise<void> {
  const vouchers =
    opts.vouchers === undefined ? undefined : Math.floor(positive('--vouchers', opts.vouchers));
  const { runReconcileBench } = await import('../../../../bench/reconcile/main');
  const r = await runReconcileBench({
    ...dbOptions(g),
    quick: Boolean(opts.quick),
    vouchers,
    print: (line) => process.stdout.write(`${line}\n`),
  });
  if (r.failed > 0) process.exitCode = 1;
}
