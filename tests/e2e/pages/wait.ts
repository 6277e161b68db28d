/** Poll until `check` holds (or throw with the last seen value after `timeout` ms). */
export async function waitUntil<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  what: string,
  timeout = 15_000,
): Promise<T> {
  const end = Date.now() + timeout;
  let last: T = await read();
  while (!check(last)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}
