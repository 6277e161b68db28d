import type { Kysely } from 'kysely';
import type { DB } from '../platform/db/schema';

/** What a monitoring rule sees of a payment about to be approved. */
export interface PaymentUnderReview {
  region: string;
  year: number;
  applicationId: string;
  agencyCode: string;
  indicatorId: string;
  amountFen: bigint;
  payeeAccountNo: string;
  payeeName: string;
  purpose: string;
}

export interface MonitorFinding {
  rule: string;
  action: 'block' | 'warn';
  message: { 'zh-CN': string; en: string };
}

/**
 * 事中动态监控: checks run on every payment before the payment center approves it. The rules are
 * their own module (monitoring); this is the seam, with no rule by default.
 */
export type PaymentMonitor = (trx: Kysely<DB>, p: PaymentUnderReview) => Promise<MonitorFinding[]>;

const monitors: PaymentMonitor[] = [];

/** Install a monitor; returns its removal. */
export function registerPaymentMonitor(m: PaymentMonitor): () => void {
  monitors.push(m);
  return () => {
    const i = monitors.indexOf(m);
    if (i >= 0) monitors.splice(i, 1);
  };
}

export async function runPaymentMonitors(trx: Kysely<DB>, p: PaymentUnderReview): Promise<MonitorFinding[]> {
  const out: MonitorFinding[] = [];
  for (const m of monitors) out.push(...(await m(trx, p)));
  return out;
}
