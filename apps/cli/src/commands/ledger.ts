import { writeFileSync } from 'node:fs';
import {
  type ReportName,
  reportNames,
  reportTitles,
  runReport,
  toCsv,
  toXlsx,
  verifyLedger,
} from '@fiscus/core';
import type { Command } from 'commander';
import { type GlobalOptions, withSystem } from '../context';

/** `fiscus report …` and `fiscus ledger verify`. */
export function registerLedgerCommands(program: Command, g: () => GlobalOptions): void {
  program
    .command('report')
    .description(`indicator-ledger reports: ${reportNames.join(', ')}`)
    .argument('<name>', reportNames.join(' | '))
    .requiredOption('--region <code>', '9-digit region code')
    .requiredOption('--year <year>', 'fiscal year')
    .option(
      '--by <dims>',
      'dimensions, comma separated (balances: account,agency,expFunc,fundType,indicator …; progress: one of them)',
    )
    .option('--as-of <date>', 'balances at the end of this date (YYYY-MM-DD)')
    .option('--subtree', 'include every region below --region')
    .option('--indicator <id>', 'indicator id (report indicator)')
    .option('--format <format>', 'json | csv | xlsx', 'json')
    .option('--out <file>', 'write to a file (xlsx needs it)')
    .action((name: string, opts) =>
      withSystem(g(), async (d) => {
        if (!(reportNames as readonly string[]).includes(name))
          throw new Error(`unknown report ${name}; one of ${reportNames.join(', ')}`);
        const report = name as ReportName;
        const rows = await runReport(d.db, report, {
          region: opts.region,
          year: Number(opts.year),
          by: opts.by ? String(opts.by).split(',') : undefined,
          asOf: opts.asOf,
          includeSubtree: Boolean(opts.subtree),
          indicatorId: opts.indicator,
        });
        if (opts.format === 'xlsx') {
          const out = opts.out ?? `${name}-${opts.region}-${opts.year}.xlsx`;
          writeFileSync(out, await toXlsx(reportTitles[report], rows));
          console.error(`${rows.length} rows → ${out}`);
          return;
        }
        const text = opts.format === 'csv' ? toCsv(rows) : `${JSON.stringify(rows, null, 2)}\n`;
        if (opts.out) writeFileSync(opts.out, text);
        else process.stdout.write(text);
      }),
    );

  program
    .command('ledger')
    .description('indicator ledger (预算指标核算)')
    .command('verify')
    .description(
      'check every entry balances, balances equal lines, Σ sources = Σ holdings, no negative balance (exit 1 on failure)',
    )
    .option('--region <code>', 'one region')
    .option('--year <year>', 'one fiscal year')
    .action((opts) =>
      withSystem(g(), async (d) => {
        const t0 = performance.now();
        const r = await verifyLedger(d.db, {
          region: opts.region,
          year: opts.year ? Number(opts.year) : undefined,
        });
        const ms = Math.round(performance.now() - t0);
        console.log(`checked ${r.lines} journal lines in ${ms} ms`);
        for (const c of r.checks)
          console.log(
            `${c.ok ? 'ok  ' : 'FAIL'} ${c.name}${c.ok ? '' : ` — ${c.failures} failing: ${c.detail}`}`,
          );
        if (!r.ok) process.exitCode = 1;
      }),
    );
}
