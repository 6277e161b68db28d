import { findYearendRun, reverseYearend, runYearend, yearendDryRun } from '@fiscus/core';
import type { Command } from 'commander';
import { dbOptions, type GlobalOptions, withSystem } from '../context';

const today = () => new Date().toISOString().slice(0, 10);

function year(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 2000 || n > 2099) throw new Error(`--year wants a fiscal year, got ${v}`);
  return n;
}

function chunk(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new Error(`--chunk wants 1…100000, got ${v}`);
  return n;
}

const pct = (done: number, of: number) => (of > 0 ? ((100 * done) / of).toFixed(1) : '100.0');

/** `fiscus yearend run|reverse` (年终结转/结余). */
export function registerYearendCommands(program: Command, g: () => GlobalOptions): void {
  const ye = program.command('yearend').description('year-end carry-forward and lapse (年终结转/结余)');
  ye.command('run')
    .description(
      'carry forward or lapse every unspent indicator balance of the year by the region policy, in chunks; ' +
        'run again to resume an unfinished run',
    )
    .requiredOption('--region <code>', '9-digit region code')
    .requiredOption('--year <year>', 'the fiscal year to close out (its next year must be open)')
    .option('--dry-run', 'print the totals per action and fund type; change nothing')
    .option('--chunk <n>', 'balances per chunk for a new run (default 20000)')
    .option('--as <user>', 'the user the run acts as (needs indicator.yearend)', 'chief')
    .action((opts) =>
      withSystem(g(), async (d) => {
        const y = year(opts.year);
        if (opts.dryRun) {
          const r = await yearendDryRun(d.db, opts.region, y);
          console.log(`year-end dry run ${opts.region} ${y} → ${y + 1} (nothing changed)`);
          console.log(`next year ${y + 1}: ${r.nextYearOpen ? 'open' : 'NOT OPEN (a run would be refused)'}`);
          if (r.unfinishedRun) console.log(`unfinished run ${r.unfinishedRun}: the figures are what is left`);
          console.log(
            `policy v${r.policy.version}: ${JSON.stringify({ rules: r.policy.rules, otherwise: r.policy.otherwise })}`,
          );
          console.log(
            `carry  ${String(r.carry.count).padStart(9)} balances ${r.carry.amount.padStart(20)} yuan`,
          );
          console.log(
            `lapse  ${String(r.lapse.count).padStart(9)} balances ${r.lapse.amount.padStart(20)} yuan`,
          );
          for (const x of r.byFundType)
            console.log(
              `  ${x.action.padEnd(5)} ${x.pool.padEnd(11)} fund ${x.fundTypeCode.padEnd(6)} ${String(x.count).padStart(9)} ${x.amount.padStart(20)}`,
            );
          return;
        }
        const t0 = Date.now();
        const run = await runYearend(d.db, {
          region: opts.region,
          year: y,
          actor: opts.as,
          on: today(),
          chunkSize: chunk(opts.chunk),
          onStart: (r, resumed) =>
            console.log(
              `${resumed ? 'resuming' : 'started'} run ${r.runId}: ${r.plannedCount} balances planned, ` +
                `chunks of ${r.chunkSize}, ${r.processed} done${r.agenciesCopied ? `, ${r.agenciesCopied} agencies copied to ${y + 1}` : ''}`,
            ),
          onProgress: (p) =>
            console.log(
              `chunk ${p.chunk}: ${p.balances} balances (carry ${p.carried.count} ${p.carried.amount}, ` +
                `lapse ${p.lapsed.count} ${p.lapsed.amount}) — ${p.processed}/${p.planned} (${pct(p.processed, p.planned)} %), ` +
                `${((Date.now() - t0) / 1000).toFixed(1)} s${p.replayed ? ' (replayed)' : ''}`,
            ),
        });
        console.log(
          `run ${run.runId} ${run.state}: carried ${run.carried.count} balances ${run.carried.amount} yuan, ` +
            `lapsed ${run.lapsed.count} balances ${run.lapsed.amount} yuan`,
        );
      }),
    );
  ye.command('reverse')
    .description(
      '红字冲销 every entry a run posted, chunk by chunk (a rerun continues), and mark the run reversed',
    )
    .requiredOption('--run <id>', 'the run id')
    .option('--as <user>', 'the user the reversal acts as (needs indicator.yearend)', 'chief')
    .action((opts) =>
      withSystem(g(), async (d) => {
        const before = await findYearendRun(d.db, opts.run);
        if (!before) throw new Error(`no year-end run ${opts.run}`);
        const run = await reverseYearend(d.db, {
          runId: opts.run,
          actor: opts.as,
          on: today(),
          onProgress: (p) =>
            console.log(`chunk ${p.chunk}: ${p.entries} entries reversed${p.done ? ' — done' : ''}`),
        });
        console.log(`run ${run.runId} ${run.state}`);
      }),
    );
}

export interface BenchYearendOptions {
  quick?: boolean;
  balances?: string;
  chunk?: string;
}

/** `fiscus bench yearend`: figures as JSON lines on stdout, progress on stderr. */
export async function benchYearend(g: GlobalOptions, opts: BenchYearendOptions): Promise<void> {
  const { runYearendBench } = await import('../../../../bench/yearend/main');
  const r = await runYearendBench({
    ...dbOptions(g),
    quick: Boolean(opts.quick),
    balances: opts.balances === undefined ? undefined : Number(opts.balances),
    chunk: chunk(opts.chunk),
    print: (line) => process.stdout.write(`${line}\n`),
  });
  if (r.failed > 0) process.exitCode = 1;
}
