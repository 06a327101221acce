import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { RetryConfig } from './dispatch-config.js';
import type { DispatchMetrics } from './dispatch-metrics.js';
import type { AttemptOutcome, ClaimedDelivery, DeliveryStore } from './delivery-store.js';
import { SinkDeliveryError, type Sink } from './sink.js';

/** A sink with its dispatch settings. */
export interface DispatchedSink {
  sink: Sink;
  retry: RetryConfig;
  timeoutMs: number;
}

/** Options for {@link Dispatcher}. */
export interface DispatcherOptions {
  deliveries: DeliveryStore;
  sinks: readonly DispatchedSink[];
  metrics: DispatchMetrics;
  logger: Logger;
  /** How often an idle sink looks for due deliveries, in ms. */
  pollMs: number;
  /** How long a claim reserves a delivery, in ms; must exceed the sinks' time limits. */
  leaseMs: number;
  now?: () => number;
  random?: () => number;
}

/**
 * The delay before retry number `attempt` (1 after the first failure), jittered; undefined once the schedule
 * is exhausted, when the delivery is dead.
 *
 * @example
 * ```ts
 * retryDelay({ scheduleMs: [5000, 30000], jitter: 0.2 }, 1, Math.random); // 4000..6000
 * ```
 */
export function retryDelay(retry: RetryConfig, attempt: number, random: () => number): number | undefined {
  const base = retry.scheduleMs[attempt - 1];
  if (base === undefined) return undefined;
  // Jitter spreads retries of a burst that failed together (an endpoint outage) over time.
  return Math.max(0, Math.round(base * (1 + retry.jitter * (2 * random() - 1))));
}

/** Most deliveries one claim takes. */
const MAX_CLAIM = 256;

/**
 * How many deliveries a sink claims at once: several rounds of its concurrency, so that one claim and one
 * record of the outcomes (two transactions) serve many deliveries, yet few enough rounds that even attempts
 * which each run to the sink's time limit all end within half the lease.
 *
 * @example
 * ```ts
 * claimSize(8, 10_000, 60_000); // 24: three rounds of 8 within 30 s
 * ```
 */
export function claimSize(concurrency: number, timeoutMs: number, leaseMs: number): number {
  const rounds = Math.max(1, Math.floor(leaseMs / 2 / timeoutMs));
  return Math.max(concurrency, Math.min(MAX_CLAIM, concurrency * rounds));
}

class SinkLoop {
  woken = false;
  #wake: (() => void) | undefined;

  wake(): void {
    this.woken = true;
    this.#wake?.();
  }

  /** Waits `ms` unless woken before or meanwhile. */
  wait(ms: number): Promise<void> {
    if (this.woken) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }
}

/**
 * Delivers the outbox (DESIGN.md "Dispatch (transactional outbox)"): one loop per sink claims due deliveries
 * under a lease ({@link claimSize} at a time), calls the sink with at most its concurrency in flight, and
 * records the outcomes of the claim in one transaction, retrying failures on the sink's schedule and marking
 * a delivery dead after its last attempt.
 *
 * @example
 * ```ts
 * const dispatcher = new Dispatcher({ deliveries, sinks, metrics, logger, pollMs: 1000, leaseMs: 60_000 });
 * await dispatcher.start();
 * dispatcher.wake(); // after a commit wrote deliveries
 * await dispatcher.stop();
 * ```
 */
export class Dispatcher {
  readonly #options: DispatcherOptions;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #token = randomUUID();
  readonly #loops = new Map<string, SinkLoop>();
  readonly #disabled = new Set<string>();
  readonly #abort = new AbortController();
  #running: Promise<void>[] = [];
  #stopped = false;

  constructor(options: DispatcherOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
  }

  /** Whether a sink is switched off by its endpoint (HTTP 410). */
  isDisabled(sink: string): boolean {
    return this.#disabled.has(sink);
  }

  /** Resumes after a restart: voids a dead process's leases (SQLite), reads disabled sinks, starts the loops. */
  async start(): Promise<void> {
    const released = await this.#options.deliveries.releaseOrphanedLeases();
    if (released > 0)
      this.#options.logger.warn({ released }, 'deliveries interrupted by a crash are retried');
    await this.refreshDisabled();
    for (const entry of this.#options.sinks) {
      const loop = new SinkLoop();
      this.#loops.set(entry.sink.name, loop);
      this.#running.push(this.#run(entry, loop));
    }
  }

  /** Re-reads which sinks are disabled (after an operator re-enabled one). */
  async refreshDisabled(): Promise<void> {
    const disabled = await this.#options.deliveries.disabledSinks();
    this.#disabled.clear();
    for (const name of disabled.keys()) this.#disabled.add(name);
  }

  /** Looks for due deliveries now (after a commit wrote some, or an operator retried some). */
  wake(sink?: string): void {
    if (sink !== undefined) this.#loops.get(sink)?.wake();
    else for (const loop of this.#loops.values()) loop.wake();
  }

  /** Stops claiming, aborts attempts in flight (their leases expire and they are retried), closes the sinks. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const loop of this.#loops.values()) loop.wake();
    const grace = setTimeout(() => this.#abort.abort(), 2000);
    await Promise.all(this.#running);
    clearTimeout(grace);
    for (const { sink } of this.#options.sinks) {
      await sink
        .close?.()
        .catch((err: unknown) => this.#options.logger.warn({ err, sink: sink.name }, 'sink close failed'));
    }
  }

  async #run(entry: DispatchedSink, loop: SinkLoop): Promise<void> {
    const { deliveries, logger, pollMs, leaseMs } = this.#options;
    const name = entry.sink.name;
    while (!this.#stopped) {
      loop.woken = false;
      if (this.#disabled.has(name)) {
        await loop.wait(pollMs);
        await this.refreshDisabled().catch(() => undefined);
        continue;
      }
      let claimed: ClaimedDelivery[];
      try {
        claimed = await deliveries.claim({
          sink: name,
          limit: claimSize(entry.sink.concurrency, entry.timeoutMs, leaseMs),
          now: this.#now(),
          leaseMs,
          token: this.#token,
        });
      } catch (err) {
        logger.warn({ err, sink: name }, 'cannot claim deliveries; retrying');
        await loop.wait(pollMs);
        continue;
      }
      if (claimed.length === 0) {
        await loop.wait(pollMs);
        continue;
      }
      const outcomes = await this.#attemptAll(entry, claimed);
      try {
        await deliveries.record(
          outcomes.map(({ outcome }) => outcome),
          this.#token,
          this.#now(),
        );
      } catch (err) {
        // The leases expire and the deliveries are attempted again: at least once, never lost.
        logger.error({ err, sink: name }, 'cannot record delivery outcomes; they will be retried');
      }
      const gone = outcomes.find(({ disable }) => disable !== undefined)?.disable;
      if (gone !== undefined) {
        this.#disabled.add(name);
        await deliveries.disableSink(name, gone, this.#now()).catch((err: unknown) => {
          logger.error({ err, sink: name }, 'cannot record that the sink is disabled');
        });
        logger.warn(
          { sink: name, reason: gone },
          'sink disabled by its endpoint; retry a delivery to enable it',
        );
      }
    }
  }

  /**
   * Attempts the claimed deliveries with at most the sink's concurrency in flight. Once the dispatcher stops
   * or the endpoint disabled the sink, no new attempt starts: those deliveries keep their lease until it
   * expires, as after a crash, and are attempted again then.
   */
  async #attemptAll(
    entry: DispatchedSink,
    claimed: readonly ClaimedDelivery[],
  ): Promise<{ outcome: AttemptOutcome; disable?: string }[]> {
    const outcomes: { outcome: AttemptOutcome; disable?: string }[] = [];
    let next = 0;
    let gone = false;
    const lane = async (): Promise<void> => {
      while (next < claimed.length && !this.#stopped && !gone) {
        const result = await this.#attempt(entry, claimed[next++]!);
        if (result.disable !== undefined) gone = true;
        outcomes.push(result);
      }
    };
    await Promise.all(Array.from({ length: Math.min(entry.sink.concurrency, claimed.length) }, lane));
    return outcomes;
  }

  async #attempt(
    entry: DispatchedSink,
    delivery: ClaimedDelivery,
  ): Promise<{ outcome: AttemptOutcome; disable?: string }> {
    const { metrics } = this.#options;
    const { sink } = entry;
    const labels = { sink: sink.name };
    metrics.attempts.inc(labels);
    const startedAt = this.#now();
    const timing = () => ({
      id: delivery.id,
      sink: sink.name,
      attempt: delivery.attempt,
      startedAt,
      durationMs: Math.max(0, this.#now() - startedAt),
    });
    let error: unknown;
    if (delivery.envelope === undefined) {
      error = new SinkDeliveryError('the event no longer exists (deleted by retention)', { permanent: true });
    } else {
      // One controller and one timer per attempt: `AbortSignal.any` of a timeout and the shutdown signal costs
      // several times as much, for every delivery.
      const attempt = new AbortController();
      const { signal } = attempt;
      const timer = setTimeout(
        () => attempt.abort(new DOMException('the attempt timed out', 'TimeoutError')),
        entry.timeoutMs,
      );
      const stopping = this.#abort.signal;
      const onStop = (): void => attempt.abort(stopping.reason);
      if (stopping.aborted) onStop();
      else stopping.addEventListener('abort', onStop, { once: true });
      try {
        const receipt = await raceAbort(
          sink.deliver(delivery.envelope, { deliveryId: delivery.id, attempt: delivery.attempt, signal }),
          signal,
          entry.timeoutMs,
        );
        return {
          outcome: {
            ...timing(),
            ok: true,
            ...(receipt?.result === undefined ? {} : { result: receipt.result }),
          },
        };
      } catch (caught) {
        error = caught;
      } finally {
        clearTimeout(timer);
        stopping.removeEventListener('abort', onStop);
      }
    }
    metrics.failures.inc(labels);
    const message = error instanceof Error ? error.message : String(error);
    const deliveryError = error instanceof SinkDeliveryError ? error : undefined;
    const delay =
      deliveryError?.permanent === true ? undefined : retryDelay(entry.retry, delivery.attempt, this.#random);
    if (delay === undefined) metrics.dead.inc(labels);
    this.#options.logger.debug(
      { sink: sink.name, delivery: delivery.id, attempt: delivery.attempt, error: message },
      'delivery failed',
    );
    return {
      outcome: {
        ...timing(),
        ok: false,
        error: message,
        retryAt: delay === undefined ? undefined : this.#now() + delay,
      },
      ...(deliveryError?.disableSink === true ? { disable: message } : {}),
    };
  }
}

/** A sink that ignores its signal still loses the race when the time limit passes. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void =>
      reject(
        signal.reason instanceof DOMException && signal.reason.name === 'TimeoutError'
          ? new SinkDeliveryError(`no answer within ${timeoutMs} ms`)
          : new SinkDeliveryError('the gateway is shutting down'),
      );
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
