import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Database, loadDemo, openSystem } from '@fiscus/core';
import { startMonitorDaily } from '@fiscus/core/monitoring/daily';
import { startVoucherSender } from '@fiscus/core/payments/vouchers/sender';
import { startReconcileDaily } from '@fiscus/core/reconcile/daily';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';

export interface ServerOptions {
  port: number;
  host: string;
  home: string;
  databaseUrl?: string | undefined;
  webDist?: string | undefined;
  /** Load the demo region when the database has no region yet. */
  demoOnEmpty: boolean;
  logger?: boolean;
  log?: (line: string) => void;
  /**
   * The agent bank's voucher library (default $FISCUS_BANK_URL): when set, the outbox sender runs
   * in this process and sends signed vouchers there, retrying with backoff.
   */
  bankUrl?: string | undefined;
  /** The PBOC treasury's library for 5207 (default $FISCUS_PBOC_URL). */
  pbocUrl?: string | undefined;
}

export interface RunningServer {
  app: FastifyInstance;
  database: Database;
  url: string;
  close(): Promise<void>;
}

/** A cookie-signing secret kept in $FISCUS_HOME (or FISCUS_COOKIE_SECRET), stable across restarts. */
function cookieSecret(home: string): string {
  if (process.env.FISCUS_COOKIE_SECRET) return process.env.FISCUS_COOKIE_SECRET;
  mkdirSync(home, { recursive: true });
  const file = join(home, 'cookie-secret');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const log = opts.log ?? ((s: string) => console.error(`[fiscus] ${s}`));
  const home = resolve(opts.home);
  const database = await openSystem({ databaseUrl: opts.databaseUrl, home, log });
  try {
    if (opts.demoOnEmpty) {
      const any = await database.db
        .selectFrom('basedata.region')
        .select('region_code')
        .limit(1)
        .executeTakeFirst();
      if (!any) {
        log('empty database: loading the demo region (fiscus demo load)');
        const report = await loadDemo(database.db);
        if (report.rejected.length > 0) log(`demo: ${report.rejected.length} commands refused`);
      }
    }
    const app = await buildApp({
      db: database.db,
      databaseMode: database.mode,
      webDist: opts.webDist,
      cookieSecret: cookieSecret(home),
      secureCookies: process.env.FISCUS_SECURE_COOKIES === 'true',
      logger: opts.logger ?? false,
    });
    const address = await app.listen({ port: opts.port, host: opts.host });
    const bankUrl = opts.bankUrl ?? process.env.FISCUS_BANK_URL?.trim();
    const pbocUrl = opts.pbocUrl ?? process.env.FISCUS_PBOC_URL?.trim();
    const sender = bankUrl
      ? startVoucherSender(database.db, {
          bankUrl,
          ...(pbocUrl ? { pbocUrl } : {}),
          onError: (e) => log(`voucher sender: ${(e as Error).message}`),
        })
      : null;
    if (sender) log(`sending payment vouchers to ${bankUrl}`);
    // 每日监控 (scheduled rules + 督办) at FISCUS_MONITOR_DAILY_AT Beijing time, as FISCUS_MONITOR_ACTOR.
    const dailyAt = (process.env.FISCUS_MONITOR_DAILY_AT ?? '01:00').trim();
    const daily =
      dailyAt === 'off'
        ? null
        : startMonitorDaily(database.db, {
            at: /^\d\d:\d\d$/.test(dailyAt) ? dailyAt : '01:00',
            actor: process.env.FISCUS_MONITOR_ACTOR?.trim() || 'monitor',
            onResult: (rs) => {
              for (const r of rs)
                if (r.result.status !== 'accepted')
                  log(
                    `daily monitoring ${r.region} ${r.type}: ${r.result.error.code} ${r.result.error.message}`,
                  );
            },
            onError: (e) => log(`daily monitoring: ${(e as Error).message}`),
          });
    // 每日对账 of yesterday at FISCUS_RECONCILE_DAILY_AT Beijing time, as FISCUS_RECONCILE_ACTOR.
    const reconcileAt = (process.env.FISCUS_RECONCILE_DAILY_AT ?? '06:00').trim();
    const reconcileDaily =
      reconcileAt === 'off'
        ? null
        : startReconcileDaily(database.db, {
            at: /^\d\d:\d\d$/.test(reconcileAt) ? reconcileAt : '06:00',
            actor: process.env.FISCUS_RECONCILE_ACTOR?.trim() || 'exchange',
            onError: (e) => log(`daily reconciliation: ${(e as Error).message}`),
          });
    return {
      app,
      database,
      url: address,
      async close() {
        await sender?.stop();
        await daily?.stop();
        await reconcileDaily?.stop();
        await app.close();
        await database.close();
      },
    };
  } catch (e) {
    await database.close();
    throw e;
  }
}
