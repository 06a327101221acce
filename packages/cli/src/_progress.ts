import cliProgress from 'cli-progress';

/** A progress bar on standard error, or nothing when it is not a terminal or output is JSON. */
export interface Progress {
  increment(payload?: Record<string, unknown>): void;
  setTotal(total: number): void;
  stop(): void;
}

const silent: Progress = { increment() {}, setTotal() {}, stop() {} };

/** Shows a bar for long runs on a TTY only, so pipes and CI logs stay clean. */
export function createProgress(options: { total: number; label: string; enabled: boolean }): Progress {
  if (!options.enabled || !process.stderr.isTTY) return silent;
  const bar = new cliProgress.SingleBar(
    {
      format: `${options.label} [{bar}] {value}/{total} | {failed} failed | {duration_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(options.total, 0, { failed: 0 });
  return {
    increment: (payload) => bar.increment(1, payload),
    setTotal: (total) => bar.setTotal(total),
    stop: () => bar.stop(),
  };
}
