import { randomUUID } from 'node:crypto';
import { executeCommands } from '@fiscus/core';
import { beijingDate, runReconcileDaily } from '@fiscus/core/reconcile/daily';
import { differenceDetail, listDifferences, listRuns, runDetail } from '@fiscus/core/reconcile/queries';
import type { Command } from 'commander';
import { type GlobalOptions, withSystem } from '../context';

const print = (x: unknown): void => {
  process.stdout.write(`${JSON.stringify(x, null, 2)}\n`);
};
const PARTIES = ['finance', 'bank', 'pboc'];

function parties(v: string | undefined): string[] | undefined {
  if (v === undefined) return undefined;
  const ps = v
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  for (const p of ps)
    if (!PARTIES.includes(p)) throw new Error(`--parties: ${p} is not one of ${PARTIES.join(', ')}`);
  return ps;
}

function isoDate(v: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new Error(`--date wants YYYY-MM-DD, got ${v}`);
  return v;
}

/** `fiscus reconcile …`: run a date, list runs and differences, the daily job, dispositions. */
export function registerReconcileCommands(program: Command, g: () => GlobalOptions): void {
  // `fiscus reconcile levels` (upper ↔ lower regions) may already have made the group.
  const rc =
    program.commands.find((c) => c.name() === 'reconcile') ??
    program.command('reconcile').description('reconciliations');
  rc.description(
    'reconciliations: daily clearing (run, runs, show, differences, dispositions, daily) and levels',
  );

  rc.command('run')
    .description('reconcile a date over the three layers; a rerun supersedes the earlier run')
    .requiredOption('--date <date>', 'the business date to reconcile, YYYY-MM-DD')
    .option('--region <code>', '9-digit region code', '530700000')
    .option('--parties <list>', 'comma-separated: finance,bank,pboc (default all)')
    .option('--as <user>', 'the user acting (needs reconcile.run)', 'treasury')
    .option('--json', 'the whole run as JSON')
    .action((opts) =>
      withSystem(g(), async (d) => {
        const date = isoDate(opts.date);
        const ps = parties(opts.parties);
        const [r] = await executeCommands(
          d.db,
          [
            {
              id: randomUUID(),
              type: 'reconcile.run',
              region: opts.region,
              year: Number(date.slice(0, 4)),
              on: beijingDate(),
              payload: { date, ...(ps ? { parties: ps } : {}) },
            },
          ],
          { defaultActor: opts.as },
        );
        if (r!.status !== 'accepted') {
          console.error(JSON.stringify(r!.error));
          process.exitCode = 1;
          return;
        }
        const runId = (r!.result as { runId: string }).runId;
        const run = await runDetail(d.db, opts.region, runId);
        if (opts.json) return print(run);
        console.log(`${runId}  ${date}  ${run?.parties.join(',')}  differences ${run?.differences}`);
        for (const l of run?.layers ?? [])
          for (const p of l.pairs)
            console.log(
              `  ${l.layer} ${p.pair.padEnd(15)} ${p.status === 'green' ? 'GREEN' : 'RED  '} ` +
                `matched ${String(p.matched).padStart(7)} / ${p.countA} : ${p.countB}  ${p.matchedAmount.padStart(16)}  differences ${p.differences}`,
            );
        if ((run?.differences ?? 0) > 0) process.exitCode = 2;
      }),
    );

  rc.command('runs')
    .description('the runs of a region (of a date)')
    .option('--region <code>', '9-digit region code', '530700000')
    .option('--date <date>', 'YYYY-MM-DD')
    .action((opts) => withSystem(g(), async (d) => print(await listRuns(d.db, opts))));

  rc.command('show')
    .description('one run, or one difference with --difference')
    .option('--region <code>', '9-digit region code', '530700000')
    .option('--run <id>', 'run id')
    .option('--difference <id>', 'difference id')
    .action((opts) =>
      withSystem(g(), async (d) => {
        if (opts.difference) return print(await differenceDetail(d.db, opts.region, opts.difference));
        if (!opts.run) throw new Error('--run or --difference');
        print(await runDetail(d.db, opts.region, opts.run));
      }),
    );

  rc.command('differences')
    .description('differences of a run (default: the current runs)')
    .option('--region <code>', '9-digit region code', '530700000')
    .option('--run <id>', 'run id')
    .option('--layer <L>', 'L1, L2 or L3')
    .option('--pair <pair>', 'finance-bank, finance-pboc, bank-pboc, finance-ledger')
    .option('--state <state>', 'open, assigned, explained, resolved')
    .action((opts) =>
      withSystem(g(), async (d) =>
        print(
          await listDifferences(d.db, {
            region: opts.region,
            runId: opts.run,
            layer: opts.layer,
            pair: opts.pair,
            state: opts.state,
            pageSize: 500,
          }),
        ),
      ),
    );

  for (const [name, type, field, help] of [
    ['assign', 'reconcileDiff.assign', 'assignee', 'the user to assign it to'],
    ['explain', 'reconcileDiff.explain', 'explanation', 'the explanation'],
  ] as const)
    rc.command(name)
      .description(`${type} a difference`)
      .requiredOption('--difference <id>', 'difference id')
      .requiredOption(`--${field} <text>`, help)
      .option('--region <code>', '9-digit region code', '530700000')
      .option('--year <year>', 'fiscal year of the command', String(new Date().getFullYear()))
      .option('--as <user>', 'the user acting', 'treasury')
      .action((opts) =>
        withSystem(g(), async (d) => {
          const [r] = await executeCommands(
            d.db,
            [
              {
                id: randomUUID(),
                type,
                region: opts.region,
                year: Number(opts.year),
                on: beijingDate(),
                payload: { differenceId: opts.difference, [field]: opts[field] },
              },
            ],
            { defaultActor: opts.as },
          );
          if (r!.status !== 'accepted') process.exitCode = 1;
          print(r);
        }),
      );
  rc.command('resolve')
    .description('reconcileDiff.resolve a difference (not by the one who explained it)')
    .requiredOption('--difference <id>', 'difference id')
    .requiredOption('--resolution <r>', 'corrected, counterpartCorrected, timing, accepted')
    .requiredOption('--note <text>', 'the note')
    .option('--region <code>', '9-digit region code', '530700000')
    .option('--year <year>', 'fiscal year of the command', String(new Date().getFullYear()))
    .option('--as <user>', 'the user acting', 'ptreasury')
    .action((opts) =>
      withSystem(g(), async (d) => {
        const [r] = await executeCommands(
          d.db,
          [
            {
              id: randomUUID(),
              type: 'reconcileDiff.resolve',
              region: opts.region,
              year: Number(opts.year),
              on: beijingDate(),
              payload: { differenceId: opts.difference, resolution: opts.resolution, note: opts.note },
            },
          ],
          { defaultActor: opts.as },
        );
        if (r!.status !== 'accepted') process.exitCode = 1;
        print(r);
      }),
    );

  rc.command('daily')
    .description('the daily job once: reconcile yesterday (or --date) for every region with activity')
    .option('--date <date>', 'the date to reconcile (default: yesterday, Beijing time)')
    .option('--region <code>', 'only this region')
    .option('--as <user>', 'the user acting (needs reconcile.run)', 'exchange')
    .action((opts) =>
      withSystem(g(), async (d) =>
        print(
          await runReconcileDaily(d.db, {
            on: beijingDate(),
            actor: opts.as,
            date: opts.date ? isoDate(opts.date) : undefined,
            region: opts.region,
          }),
        ),
      ),
    );
}
