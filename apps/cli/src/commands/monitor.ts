import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { CommandResult } from '@fiscus/contracts';
import { executeCommands } from '@fiscus/core';
import { beijingDate, runMonitorDaily } from '@fiscus/core/monitoring/daily';
import {
  listRules,
  listWarnings,
  monitorStats,
  ruleVersions,
  warningDetail,
} from '@fiscus/core/monitoring/queries';
import type { Command } from 'commander';
import { type GlobalOptions, withSystem } from '../context';
import { registerDirectReachCommand } from './direct-reach';
import { backtestCommand } from './monitor-backtest';

const beijingToday = () => beijingDate();

function year(v: string): number {
  const y = Number(v);
  if (!Number.isInteger(y) || y < 2000 || y > 2100) throw new Error(`--year wants a fiscal year, got ${v}`);
  return y;
}

/** One command through the pipeline as `user`; prints the result and sets the exit code on refusal. */
async function runCommand(
  d: { db: Parameters<typeof executeCommands>[0] },
  envelope: { id?: string; type: string; region: string; year: number; on: string; payload: unknown },
  user: string,
): Promise<CommandResult> {
  const [r] = await executeCommands(d.db, [{ id: envelope.id ?? randomUUID(), ...envelope }], {
    defaultActor: user,
  });
  if (r!.status !== 'accepted') {
    console.error(JSON.stringify(r!.error));
    process.exitCode = 1;
  }
  return r!;
}

const print = (x: unknown): void => {
  process.stdout.write(`${JSON.stringify(x, null, 2)}\n`);
};

/** `fiscus monitor …`: rules, warnings, the daily job, backtests and the direct-reach report. */
export function registerMonitorCommands(program: Command, g: () => GlobalOptions): void {
  const m = program.command('monitor').description('dynamic monitoring (动态监控)');

  m.command('rules')
    .description('the newest version of every monitoring rule of a region (or every version of --code)')
    .requiredOption('--region <code>', '9-digit region code')
    .option('--code <code>', 'one rule: all its versions, newest first')
    .option('--json', 'JSON instead of a table')
    .action((opts) =>
      withSystem(g(), async (d) => {
        if (opts.code) return print(await ruleVersions(d.db, opts.region, opts.code));
        const rows = await listRules(d.db, opts.region);
        if (opts.json) return print(rows);
        for (const r of rows)
          console.log(
            `${r.code.padEnd(32)} v${String(r.version).padEnd(3)} ${r.enabled ? 'on ' : 'off'} ` +
              `${r.trigger.padEnd(9)} ${r.warningLevel.padEnd(6)} ${r.action.padEnd(11)} ${r.name}`,
          );
        console.error(`${rows.length} rules`);
      }),
    );

  m.command('install')
    .description('install the built-in rule catalogue into a region (codes it has are left alone)')
    .requiredOption('--region <code>', '9-digit region code')
    .option('--year <year>', 'fiscal year of the command', String(new Date().getFullYear()))
    .option('--disabled', 'install the rules switched off')
    .option('--as <user>', 'the user acting (needs monitor.rule.manage)', 'monitor')
    .action((opts) =>
      withSystem(g(), async (d) => {
        const r = await runCommand(
          d,
          {
            type: 'monitorRule.install',
            region: opts.region,
            year: year(opts.year),
            on: beijingToday(),
            payload: { enabled: !opts.disabled },
          },
          opts.as,
        );
        if (r.status === 'accepted') print(r.result);
      }),
    );

  m.command('save')
    .description('save a rule version from a JSON file (a RuleDefinition, or {rule, baseVersion})')
    .argument('<file>', 'rule JSON')
    .requiredOption('--region <code>', '9-digit region code')
    .option('--year <year>', 'fiscal year of the command', String(new Date().getFullYear()))
    .option('--as <user>', 'the user acting (needs monitor.rule.manage)', 'monitor')
    .action((file: string, opts) =>
      withSystem(g(), async (d) => {
        const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
        const payload = 'rule' in json ? json : { rule: json };
        const r = await runCommand(
          d,
          {
            type: 'monitorRule.save',
            region: opts.region,
            year: year(opts.year),
            on: beijingToday(),
            payload,
          },
          opts.as,
        );
        if (r.status === 'accepted') print(r.result);
      }),
    );

  m.command('warnings')
    .description('warnings of a region and year, newest first (filters as in the inbox)')
    .requiredOption('--region <code>', '9-digit region code')
    .requiredOption('--year <year>', 'fiscal year')
    .option('--status <status>', 'pending | suspected | inquiryIssued | feedbackReceived | rectifying | …')
    .option('--state <state>', 'open | closed')
    .option('--rule <code>', 'one rule')
    .option('--agency <code>', 'one agency')
    .option('--id <warningId>', 'one warning with what the rule saw and its whole trail')
    .option('--limit <n>', 'at most this many rows', '100')
    .option('--json', 'JSON instead of a table')
    .action((opts) =>
      withSystem(g(), async (d) => {
        const y = year(opts.year);
        if (opts.id) {
          const w = await warningDetail(d.db, opts.region, y, opts.id);
          if (!w) throw new Error(`no warning ${opts.id} in ${opts.region} ${y}`);
          return print(w);
        }
        const limit = Number(opts.limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new Error('--limit wants 1…500');
        const r = await listWarnings(d.db, {
          region: opts.region,
          year: y,
          status: opts.status,
          state: opts.state,
          ruleCode: opts.rule,
          agencyCode: opts.agency,
          agencies: null,
          page: 1,
          pageSize: limit,
        });
        if (opts.json) return print(r);
        for (const w of r.rows)
          console.log(
            `${w.warningId} ${w.raisedOn} ${w.level.padEnd(6)} ${w.statusName.padEnd(6)} ${w.agencyCode.padEnd(8)} ` +
              `${w.amount.padStart(14)} ${w.ruleCode} ${w.message['zh-CN']}${w.overdue ? ' [逾期]' : ''}`,
          );
        console.error(`${r.rows.length} of ${r.total} warnings`);
      }),
    );

  m.command('stats')
    .description('the dashboard figures and the evaluation per unit and per rule (JSON)')
    .requiredOption('--region <code>', '9-digit region code')
    .requiredOption('--year <year>', 'fiscal year')
    .action((opts) =>
      withSystem(g(), async (d) =>
        print(await monitorStats(d.db, { region: opts.region, year: year(opts.year), agencies: null })),
      ),
    );

  m.command('daily')
    .description(
      'the daily job: run the scheduled rules, then escalate (督办) overdue warnings; ' +
        'a rerun for the same date replays instead of repeating',
    )
    .requiredOption('--region <code>', '9-digit region code')
    .requiredOption('--year <year>', 'fiscal year')
    .option('--on <date>', 'business date (default today in Beijing)')
    .option('--as <user>', 'the user acting (needs monitor.dispose)', 'monitor')
    .action((opts) =>
      withSystem(g(), async (d) => {
        const rs = await runMonitorDaily(d.db, {
          on: opts.on ?? beijingToday(),
          actor: opts.as,
          region: opts.region,
          year: year(opts.year),
        });
        for (const r of rs) {
          if (r.result.status === 'accepted')
            console.log(
              JSON.stringify({ type: r.type, replayed: r.result.replayed, result: r.result.result }),
            );
          else {
            console.error(JSON.stringify(r.result.error));
            process.exitCode = 1;
          }
        }
      }),
    );

  m.command('backtest')
    .description('run a draft rule over a past period: what it would have raised, where, and its overlaps')
    .requiredOption('--rule <file>', 'rule JSON (a RuleDefinition)')
    .requiredOption('--from <date>', 'first submission date YYYY-MM-DD')
    .requiredOption('--to <date>', 'last submission date YYYY-MM-DD')
    .requiredOption('--region <code>', '9-digit region code')
    .option('--year <year>', 'fiscal year (default: the year of --from)')
    .option('--json', 'JSON instead of a summary')
    .action((opts) =>
      backtestCommand(g(), opts.rule, {
        region: opts.region,
        year: opts.year ?? String(opts.from).slice(0, 4),
        from: opts.from,
        to: opts.to,
        json: Boolean(opts.json),
      }),
    );

  registerDirectReachCommand(m, g);
}
