import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  allRows,
  importList,
  listDefs,
  listsByKey,
  loadDemo,
  migrateToLatest,
  verifyAudit,
  writeXlsx,
} from '@fiscus/core';
import { Command, Option } from 'commander';
import { commandsMarkdown } from './commands/docs';
import { registerIndicatorCommands } from './commands/indicators';
import { registerLedgerCommands } from './commands/ledger';
import { registerMonitorCommands } from './commands/monitor';
import { registerReconcileCommands } from './commands/reconcile';
import { runFile } from './commands/run';
import { REPO_ROOT, start } from './commands/start';
import { registerVoucherCommands } from './commands/vouchers';
import { registerYearendCommands } from './commands/yearend';
import { type GlobalOptions, withSystem } from './context';

function listOf(key: string) {
  const def = listsByKey.get(key);
  if (!def) throw new Error(`unknown list ${key}; one of: ${listDefs.map((d) => d.key).join(', ')}`);
  return def;
}

export function buildProgram(): Command {
  const program = new Command('fiscus')
    .description('Fiscus — 预算管理一体化: base data, indicators, payments, monitoring')
    .option('--database-url <url>', 'external PostgreSQL (default: $DATABASE_URL, else the embedded one)')
    .option('--home <dir>', 'data folder of the embedded PostgreSQL (default: $FISCUS_HOME or ./.fiscus)')
    .showHelpAfterError();
  const g = () => program.opts<GlobalOptions>();

  program
    .command('start')
    .description(
      'serve the API and web UI (builds the UI when missing; loads the demo into an empty database)',
    )
    .addOption(new Option('--port <port>', 'TCP port').env('PORT').default('3000'))
    .addOption(new Option('--host <host>', 'address to listen on').env('HOST').default('127.0.0.1'))
    .option('--no-demo', 'do not load the demo region into an empty database')
    .option('--no-build', 'do not build the web UI when it is missing')
    .action((opts) => start(g(), opts));

  const db = program.command('db').description('database maintenance');
  db.command('migrate')
    .description('apply pending migrations (start does this too)')
    .action(() =>
      withSystem(g(), async (d) => {
        const r = await migrateToLatest(d.db);
        console.log(r.applied.length ? `applied: ${r.applied.join(', ')}` : 'database is up to date');
      }),
    );

  program
    .command('demo')
    .description('demo data')
    .command('load')
    .description('load the demo region (云南省 → 丽江市 → 古城区, 玉龙县); running it again changes nothing')
    .action(() =>
      withSystem(g(), async (d) => {
        const r = await loadDemo(d.db);
        console.log(
          JSON.stringify({
            commands: r.commands,
            accepted: r.accepted,
            replayed: r.replayed,
            rejected: r.rejected.length,
          }),
        );
        for (const x of r.rejected) console.error(JSON.stringify(x));
        if (r.rejected.length > 0) process.exitCode = 1;
      }),
    );

  program
    .command('run')
    .description(
      'run a JSON Lines file of commands; writes one result per line (exit 0 when every line was processed)',
    )
    .argument('<file>', 'commands, one JSON envelope per line')
    .option('--as <user>', 'actor for lines that name none')
    .option('--strict', 'exit 1 when any command was refused')
    .option('--out <file>', 'write results here instead of stdout')
    .option('--batch <n>', 'commands per transaction', '500')
    .action((file: string, opts) =>
      withSystem(g(), async (d) => {
        const s = await runFile(d.db, file, opts);
        console.error(
          `[fiscus] ${s.lines} lines: ${s.accepted} accepted, ${s.replayed} replayed, ${s.rejected} rejected`,
        );
        if (opts.strict && s.rejected > 0) process.exitCode = 1;
      }),
    );

  const bd = program.command('basedata').description('base-data lists: export and import');
  bd.command('lists')
    .description('the lists that can be exported and imported')
    .action(() => {
      for (const d of listDefs)
        console.log(`${d.key.padEnd(18)} ${d.title.zh}${d.import ? '' : ' (export only)'}`);
    });
  bd.command('export')
    .description('export a list to Excel')
    .argument('<list>', 'list key, e.g. agencies (see `fiscus basedata lists`)')
    .requiredOption('--region <code>', '9-digit region code')
    .option('--year <year>', 'fiscal year', String(new Date().getFullYear()))
    .option('--out <file>', 'output .xlsx (default <list>-<region>-<year>.xlsx)')
    .action((list: string, opts) =>
      withSystem(g(), async (d) => {
        const def = listOf(list);
        const rows = await allRows(d.db, def, { region: opts.region, year: Number(opts.year) });
        const out = opts.out ?? `${list}-${opts.region}-${opts.year}.xlsx`;
        writeFileSync(out, await writeXlsx(def.title.zh, def.columns, rows));
        console.log(`${rows.length} rows → ${out}`);
      }),
    );
  bd.command('import')
    .description(
      'preview (default) or import an Excel/CSV file; nothing is imported unless every row is clean',
    )
    .argument('<list>', 'list key')
    .argument('<file>', '.xlsx or .csv')
    .requiredOption('--region <code>', '9-digit region code')
    .requiredOption('--as <user>', 'the user the import runs as')
    .option('--year <year>', 'fiscal year', String(new Date().getFullYear()))
    .option('--commit', 'import (without it: preview only)')
    .action((list: string, file: string, opts) =>
      withSystem(g(), async (d) => {
        const report = await importList(d.db, {
          def: listOf(list),
          bytes: readFileSync(file),
          fileName: file,
          region: opts.region,
          year: Number(opts.year),
          actor: opts.as,
          on: new Date().toISOString().slice(0, 10),
          dryRun: !opts.commit,
        });
        for (const e of report.errors)
          console.log(`第 ${e.row} 行 ${e.column ?? ''} [${e.code}] ${e.message['zh-CN']}`);
        console.log(JSON.stringify({ ...report, errors: report.errors.length }));
        if (!report.ok) process.exitCode = 1;
      }),
    );

  program
    .command('audit')
    .description('audit trail')
    .command('verify')
    .description('recompute every SM3 hash chain and report edits, deletions and reorderings (exit 1 on any)')
    .option('--region <code>', 'one region only')
    .action((opts) =>
      withSystem(g(), async (d) => {
        const r = await verifyAudit(d.db, opts.region);
        for (const x of r.regions)
          console.log(`${x.regionCode} ${String(x.records).padStart(8)} records ${x.ok ? 'ok' : 'BROKEN'}`);
        for (const p of r.problems) console.log(`${p.regionCode} seq ${p.seq}: ${p.kind} — ${p.detail}`);
        if (r.problems.length > 0) process.exitCode = 1;
      }),
    );

  registerLedgerCommands(program, g);
  registerIndicatorCommands(program, g);
  registerYearendCommands(program, g);
  registerVoucherCommands(program, g);
  registerMonitorCommands(program, g);
  registerReconcileCommands(program, g);

  program
    .command('docs')
    .description('generated documentation')
    .command('commands')
    .description('print docs/commands.md from the command schemas')
    .option('--write', 'write docs/commands.md')
    .action((opts) => {
      const md = commandsMarkdown();
      if (opts.write) writeFileSync(join(REPO_ROOT, 'docs', 'commands.md'), md);
      else process.stdout.write(md);
    });

  const bench = program
    .command('bench')
    .description('benchmarks on a scratch database of the configured server (real data untouched)');
  bench
    .command('ledger')
    .description('TPC-B baseline and ledger figures G1, G3, G4, G7, G8: one JSON line per figure')
    .option('--quick', 'short runs and sizes (under a minute)')
    .option('--clients <n>', 'concurrent clients', '8')
    .option('--seconds <n>', 'seconds per timed run (default 20; quick: TPC-B 5, G1 2.5)')
    .action(async (opts) => (await import('./commands/bench')).benchLedger(g(), opts));
  bench
    .command('yearend')
    .description('year-end run over 1 M balances (quick: 50 k) vs a raw INSERT…SELECT: JSON lines')
    .option('--quick', '50 000 balances')
    .option('--balances <n>', 'number of balances (overrides the default size)')
    .option('--chunk <n>', 'balances per chunk (default 20000)')
    .action(async (opts) => (await import('./commands/yearend')).benchYearend(g(), opts));
  bench
    .command('payments')
    .description(
      'N payments end to end against the bank simulator process vs SM2 (sign + verify) pairs/s on all cores: JSON lines',
    )
    .option('--quick', '200 payments, 3 s crypto baseline')
    .option('--payments <n>', 'number of payments (default 1000)')
    .action(async (opts) => (await import('./commands/bench')).benchPayments(g(), opts));
  bench
    .command('monitoring')
    .description(
      'online payments (draft → submit → unit approve → review) with all built-in monitoring rules vs none, same run: JSON lines',
    )
    .option('--quick', '300 payments per side')
    .option('--payments <n>', 'payments per side (default 2000)')
    .option('--rules <codes>', 'only these built-in rule codes, comma-separated (default: all)')
    .action(async (opts) => (await import('./commands/bench')).benchMonitoring(g(), opts));
  bench
    .command('reconcile')
    .description(
      'reconcile a day of 100 000 paid vouchers (quick: 10 000) with their counterpart reports vs a plain GROUP BY scan of the same rows: JSON lines',
    )
    .option('--quick', '10 000 vouchers')
    .option('--vouchers <n>', 'paid vouchers of the day (default 100000)')
    .action(async (opts) => (await import('./commands/bench')).benchReconcile(g(), opts));
  const collect = (v: string, prev: string[] = []) => [...prev, v];
  const sim = program.command('sim').description('simulators of counterparts, for joint testing (联调)');
  sim
    .command('pboc')
    .description('PBOC treasury simulator (人行国库模拟器) for 联调; see docs/simulator-pboc.md')
    .option('--port <port>', 'TCP port, 0 = any (default 7402)')
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .option('--data <dir>', 'store folder (default .fiscus/sim-pboc)')
    .option('--keys <dir>', 'PBOC key folder (default <data>/keys)')
    .option('--pboc-code <code>', 'treasury code; key id pboc-<code> (default PBOC)')
    .option('--pboc-name <name>', 'treasury name')
    .option('--trust <dir>', 'trust the *.pub.pem keys of this folder (repeatable)', collect)
    .option('--trust-key <keyId:hex>', 'trust this finance or bank public key (repeatable)', collect)
    .option(
      '--bank-url <url>',
      'bank library base URL, or CODE=URL per bank (default http://127.0.0.1:7401)',
      collect,
    )
    .option('--fiscus-url <url>', 'Fiscus base URL (default http://127.0.0.1:3000)')
    .option('--adm-div <code>', 'AdmDivCode of the day-end reports (default 530700)')
    .option('--tsa-acct <no>', 'treasury single account number (default 270751000001)')
    .option('--tsa-name <name>', 'treasury single account name')
    .option('--tsa-opening <yuan>', 'TSA balance when the store is created (default 1000000000.00)')
    .option('--clear-date <date>', 'business date YYYY-MM-DD until a day-end moves it on (default today)')
    .option('--batch <n>', 'vouchers per outbound message (default 50)')
    .option('--seed <s>', 'seed of every fault (default 0)')
    .option('--lose-receipt <r>', 'share of 2301/2302 receipts never sent (0..1)')
    .option('--duplicate <r>', 'share of delivered messages sent twice (0..1)')
    .option('--alter <r>', 'share of day-end report lines with amount + 1 fen (0..1)')
    .option('--break-signature <r>', 'first delivery with a corrupted PBOC signature (0..1)')
    .option('--drop <r>', 'drop inbound messages without an answer, first attempt (0..1)')
    .option(
      '--crash-after <n>',
      'exit 86 after the n-th 2301/2302 decision, before its answer (once per store)',
    )
    .action(async (opts) => (await import('./sim/pboc/main')).runPbocSimulator(opts));
  sim
    .command('bank')
    .description('agent-bank simulator (代理银行模拟器) for 联调; see docs/simulator-bank.md')
    .option('--port <port>', 'TCP port, 0 = any (default 7401)')
    .option('--host <host>', 'address to listen on (default 127.0.0.1)')
    .option('--data <dir>', 'store folder (default .fiscus/sim-bank)')
    .option('--keys <dir>', 'bank key folder (default <data>/keys)')
    .option('--bank-code <code>', 'bank code; key id bank-<code> (default ABC001)')
    .option('--bank-name <name>', 'bank name on 2203 notices')
    .option('--trust <dir>', 'trust the *.pub.pem keys of this folder (repeatable)', collect)
    .option('--trust-key <keyId:hex>', 'trust this finance public key (repeatable)', collect)
    .option('--fiscus <url>', 'Fiscus base URL (default http://127.0.0.1:3000)')
    .option('--batch <n>', 'vouchers per outbound message (default 50)')
    .option('--delay <ms>', 'wait before processing a received voucher (default 0)')
    .option('--pay-date <date>', 'XPayDate YYYY-MM-DD (default today)')
    .option('--return-rate <r>', 'share of vouchers returned 退回 (0..1)')
    .option('--bounce-rate <r>', 'share of paid vouchers bounced 退票 with a 2203 (0..1)')
    .option('--seed <s>', 'seed of every decision (default 0)')
    .option('--fault-drop <r>', 'drop inbound messages without an answer, first attempt (0..1)')
    .option('--fault-duplicate <r>', 'deliver receipts twice (0..1)')
    .option('--fault-alter <r>', 'first delivery with XPayAmt + 1 fen (0..1)')
    .option('--fault-break-signature <r>', 'first delivery with a corrupted bank signature (0..1)')
    .option('--crash-after <n>', 'exit 86 after the n-th payment, before its receipt (once per store)')
    .option('--pboc-url <url>', 'PBOC voucher library base URL for 2301/2302 (default http://127.0.0.1:7402)')
    .option('--tsa-acct <no>', 'the region treasury single account, ClearAcctNo (default 270751000001)')
    .option(
      '--agent-acct <no>',
      'the bank clearing account, AgentAcctNo (default derived from the bank code)',
    )
    .option(
      '--bounce-after <when>',
      'bounce chosen vouchers after their receipt or after clearing (default receipt)',
    )
    .option('--duplicate-clearing <r>', 'send a 2301 twice under a new VoucherNo (0..1)')
    .option('--lose-receipt <r>', 'never send a payment receipt to Fiscus (0..1)')
    .option('--double-refund <r>', 'send a 2302 twice for the same details (0..1)')
    .action(async (opts) => (await import('./sim/bank/main')).runBankSimulator(opts));
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    console.error(`fiscus: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}
