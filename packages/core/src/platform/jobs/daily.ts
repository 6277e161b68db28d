/** Business date in China: the fiscal day runs on Beijing time. */
export const beijingDate = (at: Date = new Date()) =>
  new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

const beijingClock = (at: Date) => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(11, 16);

/**
 * A daily job inside the server: once the Beijing clock passes `at` (HH:MM), `run(today)` once
 * that day. Checked every minute; a day missed while the server was down runs at start. A run
 * that fails is tried again at the next check. `stop` waits for a run in progress, so the
 * database is not closed under it.
 */
export function startDailyJob<R>(o: {
  at: string;
  run: (today: string) => Promise<R>;
  onResult?: ((r: R) => void) | undefined;
  onError?: ((e: unknown) => void) | undefined;
}): { stop(): Promise<void> } {
  let done = '';
  let running: Promise<void> | null = null;
  const tick = () => {
    const now = new Date();
    const today = beijingDate(now);
    if (running || done === today || beijingClock(now) < o.at) return;
    running = o
      .run(today)
      .then((r) => {
        done = today;
        o.onResult?.(r);
      })
      .catch((e) => o.onError?.(e))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, 60_000);
  timer.unref();
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
