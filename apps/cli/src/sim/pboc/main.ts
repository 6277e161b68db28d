import { parsePbocOptions, type RawPbocOptions } from './options';
import { startPboc } from './pboc';

/** `fiscus sim pboc`: runs until SIGTERM/SIGINT, then stops accepting, flushes and exits 0. */
export async function runPbocSimulator(raw: RawPbocOptions): Promise<void> {
  const config = parsePbocOptions(raw);
  const pboc = await startPboc(config);
  console.log(
    JSON.stringify({
      event: 'listening',
      port: pboc.port,
      host: config.host,
      keyId: pboc.keyId,
      publicKey: pboc.publicKey,
      data: config.dataDir,
      bank: Object.fromEntries(config.bankUrls),
      fiscus: config.fiscusUrl,
      businessDate: pboc.businessDate(),
    }),
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(JSON.stringify({ event: 'stopping', signal }));
    pboc.close().then(
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
