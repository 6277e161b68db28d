import { type DirectReachFigures, directReachPayments, directReachReport, formatYuan } from '@fiscus/core';
import type { Command } from 'commander';
import { type GlobalOptions, withSystem } from '../context';

/** JSON with bigint fen as decimal strings. */
const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x), 2);

/** Display width of a cell: CJK characters take two columns in a terminal. */
const width = (s: string) => [...s].reduce((n, c) => n + (/[\u2E80-\uFFEF]/.test(c) ? 2 : 1), 0);
const padEnd = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));
const padStart = (s: string, n: number) => ' '.repeat(Math.max(0, n - width(s))) + s;

/** A text table; columns flagged `right` are right-aligned (amounts, counts). */
function table(head: string[], rows: string[][], right: ReadonlySet<number>): string {
  const w = head.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (r: string[]) =>
    r
      .map((c, i) => (right.has(i) ? padStart(c, w[i]!) : padEnd(c, w[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(line)].join('\n');
}

const money = (f: DirectReachFigures) => [
  formatYuan(f.receivedFen),
  formatYuan(f.allocatedFen),
  formatYuan(f.issuedFen),
  formatYuan(f.paidFen),
  String(f.payments),
  String(f.beneficiaries),
];

/**
 * `fiscus monitor direct-reach --region R --year Y [--sub-regions] [--fund KEY] [--json]`: the
 * 直达资金 tracking report per fund and region, or with --fund the paid payments of one fund with
 * their beneficiaries. Reads the database directly (like `fiscus report`).
 */
export function registerDirectReachCommand(monitor: Command, g: () => GlobalOptions): void {
  monitor
    .command('direct-reach')
    .description(
      '直达资金跟踪: received, allocated, issued, paid and beneficiaries per fund and region (--fund: its payments)',
    )
    .requiredOption('--region <code>', '9-digit region code')
    .requiredOption('--year <year>', 'fiscal year')
    .option('--sub-regions', 'also every region below --region')
    .option('--fund <key>', 'one fund (its root indicator id): its paid payments with beneficiary records')
    .option('--page <n>', 'page of payments (with --fund)', '1')
    .option('--page-size <n>', 'payments per page (with --fund)', '100')
    .option('--json', 'print JSON (amounts in fen as strings)')
    .action((opts) =>
      withSystem(g(), async (d) => {
        const region = String(opts.region);
        const year = Number(opts.year);
        if (!/^\d{9}$/.test(region)) throw new Error('--region is a 9-digit region code');
        if (!Number.isInteger(year)) throw new Error('--year is a year, e.g. 2026');
        if (opts.fund) {
          const r = await directReachPayments(d.db, {
            region,
            year,
            fundKey: String(opts.fund),
            page: Math.max(1, Number(opts.page) || 1),
            pageSize: Math.min(5000, Math.max(1, Number(opts.pageSize) || 100)),
          });
          if (!r) {
            console.error(`不是直达资金 no direct-reach fund ${opts.fund} in ${region} ${year}`);
            process.exitCode = 1;
            return;
          }
          if (opts.json) {
            console.log(json(r));
            return;
          }
          console.log(
            `直达资金 ${r.fundKey} ${region} ${year}: ${r.total} 笔已支付 paid, ${formatYuan(r.paidFen)} 元 (page ${r.page})`,
          );
          const rows: string[][] = [];
          for (const p of r.items) {
            rows.push([
              p.applicationId,
              p.paidOn ?? '',
              p.agencyCode ?? '',
              formatYuan(p.amountFen),
              p.payeeName ?? '',
              '',
              '',
              '',
            ]);
            for (const b of p.beneficiaries)
              rows.push([
                '',
                '',
                '',
                '',
                '',
                `${b.name} ${b.idNo}`,
                formatYuan(b.amountFen),
                b.payMonth ?? '',
              ]);
          }
          console.log(
            table(
              [
                '申请 application',
                '支付日期',
                '单位',
                '金额',
                '收款人',
                '受益对象 beneficiary',
                '金额',
                '月份',
              ],
              rows,
              new Set([3, 6]),
            ),
          );
          return;
        }
        const rep = await directReachReport(d.db, {
          region,
          year,
          includeSubRegions: Boolean(opts.subRegions),
        });
        if (opts.json) {
          console.log(json(rep));
          return;
        }
        const rows = rep.funds.map((f) => [
          f.region,
          f.fundKey,
          f.docNo ?? f.supDocNo ?? '',
          f.title ?? '',
          ...money(f),
        ]);
        rows.push(['合计 total', `${rep.totals.funds}`, '', '', ...money(rep.totals)]);
        console.log(
          table(
            ['区划', '资金 fund', '文号', '标题', '到位', '已分配', '已下达', '已支付', '笔数', '惠及对象'],
            rows,
            new Set([4, 5, 6, 7, 8, 9]),
          ),
        );
      }),
    );
}
