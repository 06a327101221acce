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

/** A live countdown to the next retry on standard error; see {@link createCountdown}. */
export interface Countdown {
  /** Counts down `delayMs` on one line, replacing any countdown already shown. */
  start(delayMs: number, label: string): void;
  /** Clears the line. */
  stop(): void;
}

const silentCountdown: Countdown = { start() {}, stop() {} };

/** Whole seconds, or minutes and seconds: `45 s`, `1 min 30 s`. */
export function formatWait(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const rest = seconds % 60;
  return `${Math.floor(seconds / 60)} min${rest === 0 ? '' : ` ${rest} s`}`;
}

/**
 * Shows `<label> in 59 s` on standard error, updated every second, so a wait between retries is
 * never silent. Only on a terminal: pipes and CI logs get no control characters.
 */
export function createCountdown(options: { enabled: boolean }): Countdown {
  const stream = process.stderr;
  if (!options.enabled || !stream.isTTY) return silentCountdown;
  let timer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    if (timer === undefined) return;
    clearInterval(timer);
    timer = undefined;
    stream.write('\r\x1b[2K');
  };
  return {
    start(delayMs, label) {
      stop();
      const until = Date.now() + delayMs;
      const draw = (): void => {
        stream.write(`\r\x1b[2K${label} in ${formatWait(until - Date.now())} (Ctrl+C stops)`);
      };
      draw();
      timer = setInterval(draw, 1000);
      timer.unref();
    },
    stop,
  };
}
