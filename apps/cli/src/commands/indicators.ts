import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { type DocType, docTypes } from '@fiscus/contracts';
import type { ReceivedRecord } from '@fiscus/core';
import {
  type CommandSink,
  docTemplate,
  httpSink,
  importDocument,
  localSink,
  reconcileLevels,
  relayTransfers,
} from '@fiscus/core';
import type { Command } from 'commander';
import { type GlobalOptions, withSystem } from '../context';

/** `--peer REGION=URL` (repeatable): lower regions served by another Fiscus instance. */
function peers(list: string[] | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of list ?? []) {
    const [region, url] = p.split('=');
    if (!region || !/^\d{9}$/.test(region) || !url) throw new Error(`--peer wants REGION=URL, got ${p}`);
    out.set(region, url);
  }
  return out;
}

const collect = (v: string, acc: string[] = []) => [...acc, v];
const today = () => new Date().toISOString().slice(0, 10);

/** Sign-in for peers: the exchange agent account of the other instance. */
function peerCredentials() {
  return {
    user: process.env.FISCUS_PEER_USER ?? 'exchange',
    password: process.env.FISCUS_PEER_PASSWORD ?? 'Fiscus-Exc-2026',
  };
}

function docTypeOf(t: string): DocType {
  if (!(docTypes as readonly string[]).includes(t))
    throw new Error(`--type is one of ${docTypes.join(', ')}`);
  return t as DocType;
}

/** `fiscus indicators template|import`, `fiscus transfers relay` and `fiscus reconcile levels`. */
export function registerIndicatorCommands(program: Command, g: () => GlobalOptions): void {
  const ind = program.command('indicators').description('indicator documents (指标单) from spreadsheets');
  ind
    .command('template')
    .description('write the xlsx import template of a document type')
    .requiredOption('--type <docType>', docTypes.join(' | '))
    .requiredOption('--out <file>', 'xlsx file to write')
    .action(async (opts) => {
      writeFileSync(opts.out, await docTemplate(docTypeOf(opts.type)));
      console.log(`wrote ${opts.out}`);
    });
  ind
    .command('import')
    .description('import a spreadsheet of lines as one draft document: a preview unless --commit')
    .argument('<file>', 'xlsx or csv with the template columns')
    .requiredOption('--type <docType>', docTypes.join(' | '))
    .requiredOption('--region <code>', '9-digit region code')
    .requiredOption('--year <year>', 'fiscal year')
    .requiredOption('--doc-no <no>', '文号')
    .requiredOption('--title <title>', 'document title')
    .requiredOption('--actor <user>', 'the preparer')
    .option('--from <indicatorId>', 'source indicator (allocate, issue, advanceIssue)')
    .option('--commit', 'save the draft when the file is clean (default: preview only)')
    .action((file: string, opts) =>
      withSystem(g(), async (d) => {
        const report = await importDocument(d.db, {
          docType: docTypeOf(opts.type),
          bytes: readFileSync(file),
          fileName: basename(file),
          region: opts.region,
          year: Number(opts.year),
          docNo: opts.docNo,
          title: opts.title,
          fromIndicatorId: opts.from,
          actor: opts.actor,
          on: today(),
          dryRun: !opts.commit,
        });
        for (const e of report.errors)
          console.log(`第 ${e.row} 行 ${e.column ?? ''} [${e.code}] ${e.message['zh-CN']}`);
        console.log(JSON.stringify({ ...report, errors: report.errors.length }));
        if (!report.ok) process.exitCode = 1;
      }),
    );

  program
    .command('transfers')
    .description('transfer payments between government levels')
    .command('relay')
    .description(
      'deliver pending transfer messages to the lower regions and returns back up (same database, or --peer instances)',
    )
    .option('--peer <region=url>', 'a region served by another Fiscus instance (repeatable)', collect)
    .option('--actor <user>', 'the exchange agent user of this instance', 'exchange')
    .option('--on <date>', 'business date of the receipts (default today)')
    .action((opts) =>
      withSystem(g(), async (d) => {
        const remote = peers(opts.peer);
        const cred = peerCredentials();
        const home = localSink(d.db, opts.actor);
        const sinks = new Map<string, CommandSink>();
        const sinkFor = (region: string): CommandSink => {
          const url = remote.get(region);
          if (!url) return home;
          if (!sinks.has(url)) sinks.set(url, httpSink(url, cred.user, cred.password));
          return sinks.get(url)!;
        };
        const r = await relayTransfers(d.db, { home, sinkFor, on: opts.on ?? today() });
        console.log(JSON.stringify(r));
        if (r.failed.length > 0) process.exitCode = 1;
      }),
    );

  program
    .command('reconcile')
    .description('reconciliations')
    .command('levels')
    .description('match what a region issued to its lower levels with what each received, by document')
    .requiredOption('--region <code>', 'the issuing (upper) region')
    .requiredOption('--year <year>', 'fiscal year')
    .option('--peer <url>', 'lower levels served by another Fiscus instance (repeatable)', collect)
    .option('--format <format>', 'text | json', 'text')
    .action((opts) =>
      withSystem(g(), async (d) => {
        const year = Number(opts.year);
        let received: ReceivedRecord[] | undefined;
        if (opts.peer?.length) {
          received = [];
          for (const url of opts.peer as string[])
            received.push(...(await fetchReceived(url, opts.region, year)));
        }
        const r = await reconcileLevels(d.db, opts.region, year, received);
        if (opts.format === 'json')
          console.log(JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
        else {
          console.log(`上下级对账 ${r.region} ${r.year}: 下达 ${r.issued} 笔，下级收到 ${r.received} 笔`);
          for (const x of r.differences)
            console.log(`  [${x.kind}] ${x.region} ${x.docNo} ${x.messageId}: ${x.detail}`);
          console.log(r.ok ? 'OK — 无差异 no differences' : `${r.differences.length} 处差异 differences`);
        }
        if (!r.ok) process.exitCode = 1;
      }),
    );
}

/** A lower instance's received transfers, over its API (signed in as its exchange agent). */
async function fetchReceived(baseUrl: string, fromRegion: string, year: number): Promise<ReceivedRecord[]> {
  const cred = peerCredentials();
  const login = await fetch(new URL('/api/v1/sessions', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: cred.user, password: cred.password }),
  });
  if (login.status !== 201) throw new Error(`sign-in to ${baseUrl} failed: HTTP ${login.status}`);
  const cookie = (login.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  const u = new URL('/api/v1/transfers/received', baseUrl);
  u.searchParams.set('from', fromRegion);
  u.searchParams.set('year', String(year));
  const r = await fetch(u, { headers: { cookie } });
  if (r.status !== 200) throw new Error(`${u} answered HTTP ${r.status}`);
  const body = (await r.json()) as {
    rows: (Omit<ReceivedRecord, 'amountFen' | 'ledgerFen'> & { amountFen: string; ledgerFen: string })[];
  };
  return body.rows.map((x) => ({ ...x, amountFen: BigInt(x.amountFen), ledgerFen: BigInt(x.ledgerFen) }));
}
