import { setTimeout as sleep } from 'node:timers/promises';

/** How {@link runPaced} spaces the tasks. */
export interface Pacing {
  /** Tasks started per second at most. Default: no limit. */
  rate?: number;
  /** Tasks running at once at most. Default: no limit. */
  concurrency?: number;
  /** Starts no further task once aborted. */
  signal?: AbortSignal;
}

/**
 * Runs `task(0..count-1)`, starting them at a steady rate and with bounded concurrency; resolves
 * with the results of the tasks that started, in index order.
 */
export async function runPaced<T>(
  count: number,
  pacing: Pacing,
  task: (index: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = [];
  const running = new Set<Promise<void>>();
  const started = performance.now();
  for (let index = 0; index < count; index++) {
    if (pacing.signal?.aborted) break;
    if (pacing.rate !== undefined) {
      const wait = started + (index * 1000) / pacing.rate - performance.now();
      if (wait > 0)
        await sleep(wait, undefined, pacing.signal ? { signal: pacing.signal } : {}).catch(() => {});
      if (pacing.signal?.aborted) break;
    }
    while (pacing.concurrency !== undefined && running.size >= pacing.concurrency)
      await Promise.race(running);
    const run: Promise<void> = task(index).then((result) => {
      results[index] = result;
      running.delete(run);
    });
    running.add(run);
  }
  await Promise.all(running);
  return results.filter((result) => result !== undefined);
}
