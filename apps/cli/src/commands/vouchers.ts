import { nextDueInMs, sendDueVouchers } from '@fiscus/core/payments/vouchers/sender';
import type { Command } from 'commander';
import { type GlobalOptions, withSystem } from '../context';

/** `fiscus vouchers send`: the voucher-library outbox, once or until nothing is left to send. */
export function registerVoucherCommands(program: Command, g: () => GlobalOptions): void {
  const v = program.command('vouchers').description('payment vouchers and the voucher library (电子凭证库)');
  v.command('send')
    .description(
      'send signed vouchers that are due (未接收 / 接收失败, after their backoff) to the agent bank; ' +
        'prints one JSON line per round',
    )
    .option('--bank <url>', "the agent bank's voucher library (default $FISCUS_BANK_URL)")
    .option('--pboc <url>', "the PBOC treasury's library for 5207 (default $FISCUS_PBOC_URL)")
    .option('--until-idle', 'keep sending (waiting out backoffs) until no voucher waits to be sent')
    .option('--batch <n>', 'vouchers per message', '50')
    .action((opts) =>
      withSystem(g(), async (d) => {
        const bankUrl = opts.bank ?? process.env.FISCUS_BANK_URL;
        if (!bankUrl) throw new Error('give --bank <url> or set FISCUS_BANK_URL');
        const pbocUrl = opts.pboc ?? process.env.FISCUS_PBOC_URL;
        const batch = Number(opts.batch);
        if (!Number.isInteger(batch) || batch < 1 || batch > 1000) throw new Error('--batch wants 1…1000');
        for (;;) {
          const s = await sendDueVouchers(d.db, { bankUrl, batch, ...(pbocUrl ? { pbocUrl } : {}) });
          if (s.sent > 0) console.log(JSON.stringify(s));
          if (!opts.untilIdle) return;
          const wait = await nextDueInMs(d.db);
          if (wait === null) return;
          if (s.sent === 0 || s.notBooked === s.sent)
            await new Promise((r) => setTimeout(r, Math.max(200, wait)));
        }
      }),
    );
}
