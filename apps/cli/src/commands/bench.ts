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
