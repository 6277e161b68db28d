import type { CommandResult, TransferMessage } from '@fiscus/contracts';
import type { Kysely } from 'kysely';
import { executeCommands } from '../commands/pipeline';
import type { DB } from '../platform/db/schema';
import { sm3Hex } from '../platform/gm/sm3';

/** Where commands for a region are executed: this database, or another Fiscus instance. */
export interface CommandSink {
  run(commands: readonly unknown[]): Promise<CommandResult[]>;
}

/** This database, as the exchange agent user. */
export function localSink(db: Kysely<DB>, actor = 'exchange'): CommandSink {
  return { run: (commands) => executeCommands(db, commands, { defaultActor: actor }) };
}

/** Another Fiscus instance over its HTTP API, signed in as its exchange agent user. */
export function httpSink(baseUrl: string, username: string, password: string): CommandSink {
  let cookie: string | null = null;
  const login = async () => {
    const r = await fetch(new URL('/api/v1/sessions', baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    if (r.status !== 201) throw new Error(`sign-in to ${baseUrl} as ${username} failed: HTTP ${r.status}`);
    cookie = (r.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  };
  return {
    async run(commands) {
      if (!cookie) await login();
      const post = () =>
        fetch(new URL('/api/v1/commands', baseUrl), {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie: cookie ?? '' },
          body: JSON.stringify(commands),
        });
      let r = await post();
      if (r.status === 401) {
        await login();
        r = await post();
      }
      if (r.status !== 200)
        throw new Error(`${baseUrl} answered HTTP ${r.status}: ${(await r.text()).slice(0, 300)}`);
      return (await r.json()) as CommandResult[];
    },
  };
}

export interface RelayOptions {
  /** The sink for a region (its own instance); defaults to this database. */
  sinkFor?: (region: string) => CommandSink;
  /** Where this database's own bookkeeping runs (marking messages delivered). */
  home: CommandSink;
  /** The business date of the receipts. */
  on: string;
  limit?: number;
}

export interface RelayReport {
  delivered: number;
  failed: { messageId: string; error: string }[];
  returnsCarried: number;
}

/** A command id derived from the message: a redelivery is a repeat, never a second booking. */
const idFor = (prefix: string, messageId: string) => `${prefix}-${sm3Hex(messageId).slice(0, 40)}`;

const envelope = (id: string, type: string, region: string, year: number, on: string, payload: unknown) => ({
  id,
  type,
  region,
  year,
  on,
  payload,
});

function outcome(r: CommandResult | undefined): { ok: boolean; error: string } {
  if (!r) return { ok: false, error: 'no result' };
  if (r.status === 'accepted') return { ok: true, error: '' };
  return { ok: false, error: `${r.error.code}: ${r.error.message['zh-CN'] ?? ''}`.slice(0, 500) };
}

/**
 * Carry pending transfer messages from this database's upper regions to the lower regions
 * (wherever they run), and returns back up. Each region books in its own transaction; a crash
 * between booking below and marking above is healed by the next run, whose receipt is a repeat.
 */
export async function relayTransfers(db: Kysely<DB>, opts: RelayOptions): Promise<RelayReport> {
  const report: RelayReport = { delivered: 0, failed: [], returnsCarried: 0 };
  const sinkFor = opts.sinkFor ?? (() => opts.home);
  const pending = await db
    .selectFrom('indicators.transfer_out')
    .select(['region_code', 'message_id', 'fiscal_year', 'to_region', 'message'])
    .where('state', '=', 'pending')
    .orderBy('created_at')
    .limit(opts.limit ?? 1000)
    .execute();
  for (const m of pending) {
    const msg = m.message as TransferMessage;
    const [r] = await sinkFor(m.to_region).run([
      envelope(idFor('rcv', m.message_id), 'transfer.receive', m.to_region, m.fiscal_year, opts.on, msg),
    ]);
    const o = outcome(r);
    const payload = o.ok
      ? { messageId: m.message_id, delivered: true }
      : { messageId: m.message_id, delivered: false, error: o.error };
    const [marked] = await opts.home.run([
      envelope(
        idFor(o.ok ? 'dlv' : `err${Date.now().toString(36)}`, m.message_id),
        'transfer.markDelivered',
        m.region_code,
        m.fiscal_year,
        opts.on,
        payload,
      ),
    ]);
    if (!outcome(marked).ok)
      throw new Error(`could not record delivery of ${m.message_id}: ${outcome(marked).error}`);
    if (o.ok) report.delivered++;
    else report.failed.push({ messageId: m.message_id, error: o.error });
  }
  const returns = await db
    .selectFrom('indicators.transfer_in')
    .select(['region_code', 'message_id', 'fiscal_year', 'from_region', 'reason'])
    .where('state', '=', 'returned')
    .where('return_delivered_at', 'is', null)
    .orderBy('received_at')
    .limit(opts.limit ?? 1000)
    .execute();
  for (const t of returns) {
    const [r] = await sinkFor(t.from_region).run([
      envelope(idFor('ret', t.message_id), 'transfer.receiveReturn', t.from_region, t.fiscal_year, opts.on, {
        messageId: t.message_id,
        returnedBy: t.region_code,
        reason: t.reason ?? '退回',
      }),
    ]);
    const o = outcome(r);
    if (!o.ok) {
      report.failed.push({ messageId: t.message_id, error: o.error });
      continue;
    }
    const [marked] = await opts.home.run([
      envelope(
        idFor('rtd', t.message_id),
        'transfer.markReturnDelivered',
        t.region_code,
        t.fiscal_year,
        opts.on,
        {
          messageId: t.message_id,
        },
      ),
    ]);
    if (!outcome(marked).ok)
      throw new Error(`could not record return of ${t.message_id}: ${outcome(marked).error}`);
    report.returnsCarried++;
  }
  return report;
}
