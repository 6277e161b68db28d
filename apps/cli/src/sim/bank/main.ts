import { startBank } from './bank';
import { parseBankOptions, type RawBankOptions } from './options';

/** `fiscus sim bank`: runs until SIGTERM/SIGINT, then stops accepting, flushes and exits 0. */
export async function runBankSimulator(raw: RawBankOptions): Promise<void> {
  const config = parseBankOptions(raw);
  const bank = await startBank(config);
  console.log(
    JSON.stringify({
      event: 'listening',
      port: bank.port,
      host: config.host,
      keyId: bank.keyId,
      publicKey: bank.publicKey,
      data: config.dataDir,
      fiscus: config.fiscusUrl,
      pboc: config.pbocUrl,
      agentAcctNo: config.agentAcct,
      tsaAcctNo: config.tsaAcct,
    }),
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(JSON.stringify({ event: 'stopping', signal }));
    bank.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
