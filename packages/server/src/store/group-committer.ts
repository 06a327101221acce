import { LivehooksError, type ErrorParams, type LivehooksEvent } from '@livehooks/core';
import type { CompiledQuery } from 'kysely';
import type { KyselyStore } from './kysely-store.js';
import { toRejectionRow, type RejectionRecord } from './rejection.js';
import { toEventRow, type EventRow } from './stored-event.js';

/** What happened to a submitted event. */
export type CommitOutcome = 'stored' | 'duplicate';

/** Facts about one committed (or failed) batch, for metrics. */
export interface BatchReport {
  events: number;
  rejections: number;
  stored: number;
  duplicates: number;
  durationSeconds: number;
  ok: boolean;
}

/** Options for {@link GroupCommitter}. */
export interface GroupCommitterOptions {
  /** Most items (events and rejection records) per transaction. Default 1000. */
  maxBatch?: number;
  /** Most items waiting; beyond it, new events are refused at once with 503. Default 10 000. */
  maxQueue?: number;
  /** How long a request waits for its commit before it is answered 503. Default 4000 ms. */
  timeoutMs?: number;
  /**
   * Statements of other features that run in the batch's transaction after its events, given the batch's
   * events (for example the dispatch outbox rows, which join the events the transaction stored).
   */
  followUps?: (events: readonly LivehooksEvent[]) => readonly CompiledQuery[];
  /** Called after every batch. */
  onBatch?: (report: BatchReport) => void;
  /** Called with the rows a batch stored, in id order, after the commit. */
  onStored?: (rows: readonly EventRow[]) => void;
  /** Called when a batch fails. */
  onError?: (error: unknown, items: number) => void;
  /** Called when a batch committed but its duplicate counters could not be updated. */
  onDuplicatesNotCounted?: () => void;
}

interface PendingEvent {
  kind: 'event';
  event: LivehooksEvent;
  row: EventRow;
  settled: boolean;
  timer: NodeJS.Timeout | undefined;
  resolve: (outcome: CommitOutcome) => void;
  reject: (error: LivehooksError) => void;
}

interface PendingRejection {
  kind: 'rejection';
  record: RejectionRecord;
  settled: boolean;
  timer: NodeJS.Timeout | undefined;
  resolve: (stored: boolean) => void;
}

type Pending = PendingEvent | PendingRejection;

function unavailable(params: ErrorParams<'LH_ERR_STORE_UNAVAILABLE'>, cause?: unknown): LivehooksError {
  return LivehooksError.of('LH_ERR_STORE_UNAVAILABLE', params, cause === undefined ? {} : { cause });
}

/**
 * Group commit (DESIGN.md "The data flow of one callback", step 6): requests queue their rows; one writer
 * commits everything queued in one transaction (one fsync) and only then settles each request. Rows that
 * arrive during a commit form the next batch, so under load the batch grows instead of the latency. When
 * the transaction fails, every event of the batch is refused with `LH_ERR_STORE_UNAVAILABLE` (503): nothing
 * is acknowledged that is not on disk, and the sender retries.
 *
 * @example
 * ```ts
 * const committer = new GroupCommitter(store, { onBatch: (r) => histogram.observe(r.durationSeconds) });
 * const outcome = await committer.submit(parseCallback(raw, headers, options)); // 'stored' | 'duplicate'
 * ```
 */
export class GroupCommitter {
  readonly #store: KyselyStore;
  readonly #maxBatch: number;
  readonly #maxQueue: number;
  readonly #timeoutMs: number;
  readonly #options: GroupCommitterOptions;
  #queue: Pending[] = [];
  #running = false;
  #scheduled = false;
  #idle: (() => void)[] = [];

  constructor(store: KyselyStore, options: GroupCommitterOptions = {}) {
    this.#store = store;
    this.#maxBatch = options.maxBatch ?? 1000;
    this.#maxQueue = options.maxQueue ?? 10_000;
    this.#timeoutMs = options.timeoutMs ?? 4000;
    this.#options = options;
  }

  /** Items waiting for the next transaction. */
  get queued(): number {
    return this.#queue.length;
  }

  /**
   * Queues an event and resolves once its transaction committed: `stored`, or `duplicate` when its dedupe
   * key was already stored. Rejects with `LH_ERR_STORE_UNAVAILABLE` when the commit failed, timed out or the
   * queue is full.
   */
  submit(event: LivehooksEvent): Promise<CommitOutcome> {
    if (this.#queue.length >= this.#maxQueue) {
      return Promise.reject(
        unavailable({
          action: 'take the callback',
          reason: `the commit queue is full (${this.#maxQueue} waiting); retry later`,
        }),
      );
    }
    let row: EventRow;
    try {
      row = toEventRow(event);
    } catch (cause) {
      return Promise.reject(unavailable({ action: 'serialise the event for storage' }, cause));
    }
    return new Promise<CommitOutcome>((resolve, reject) => {
      const pending: PendingEvent = {
        kind: 'event',
        event,
        row,
        settled: false,
        timer: undefined,
        resolve,
        reject,
      };
      pending.timer = setTimeout(() => {
        if (pending.settled) return;
        pending.settled = true;
        reject(
          unavailable({ action: 'commit the callback', reason: `no commit within ${this.#timeoutMs} ms` }),
        );
      }, this.#timeoutMs);
      this.#enqueue(pending);
    });
  }

  /**
   * Queues a rejection record for the next transaction. Resolves true once committed, false when it could
   * not be stored: a rejection record is best effort and never changes the answer.
   */
  record(record: RejectionRecord): Promise<boolean> {
    if (this.#queue.length >= this.#maxQueue) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const pending: PendingRejection = {
        kind: 'rejection',
        record,
        settled: false,
        timer: undefined,
        resolve,
      };
      pending.timer = setTimeout(() => {
        if (pending.settled) return;
        pending.settled = true;
        resolve(false);
      }, this.#timeoutMs);
      this.#enqueue(pending);
    });
  }

  /** Resolves when everything queued so far has been committed or refused. */
  drain(): Promise<void> {
    if (!this.#running && !this.#scheduled && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #enqueue(pending: Pending): void {
    this.#queue.push(pending);
    if (this.#running || this.#scheduled) return;
    this.#scheduled = true;
    // An idle writer starts at once: the database works on this row while the event loop reads the next
    // requests, which queue up and form the next batch. Waiting to fill a batch first would leave the
    // database idle while requests are parsed, and the event loop idle while the database commits.
    queueMicrotask(() => {
      this.#scheduled = false;
      void this.#run();
    });
  }

  async #run(): Promise<void> {
    this.#running = true;
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch).filter((pending) => !pending.settled);
      if (batch.length > 0) await this.#commit(batch);
    }
    this.#running = false;
    const idle = this.#idle;
    this.#idle = [];
    for (const resolve of idle) resolve();
  }

  async #commit(batch: Pending[]): Promise<void> {
    const events = batch.filter((pending): pending is PendingEvent => pending.kind === 'event');
    const rejections = batch.filter((pending): pending is PendingRejection => pending.kind === 'rejection');
    const started = performance.now();
    try {
      const { inserted, duplicatesCounted } = await this.#store.commitBatch({
        events: events.map((pending) => pending.row),
        rejections: rejections.map((pending) => toRejectionRow(pending.record)),
        ...(this.#options.followUps === undefined
          ? {}
          : { followUps: this.#options.followUps(events.map((pending) => pending.event)) }),
      });
      const stored: EventRow[] = [];
      events.forEach((pending, index) => {
        const isNew = inserted[index] === true;
        if (isNew) stored.push(pending.row);
        settle(pending, () => pending.resolve(isNew ? 'stored' : 'duplicate'));
      });
      for (const pending of rejections) settle(pending, () => pending.resolve(true));
      if (!duplicatesCounted) this.#options.onDuplicatesNotCounted?.();
      this.#options.onBatch?.({
        events: events.length,
        rejections: rejections.length,
        stored: stored.length,
        duplicates: events.length - stored.length,
        durationSeconds: (performance.now() - started) / 1000,
        ok: true,
      });
      if (stored.length > 0) {
        stored.sort((a, b) => (a.id < b.id ? -1 : 1));
        this.#options.onStored?.(stored);
      }
    } catch (error) {
      this.#options.onBatch?.({
        events: events.length,
        rejections: rejections.length,
        stored: 0,
        duplicates: 0,
        durationSeconds: (performance.now() - started) / 1000,
        ok: false,
      });
      if (batch.length > 1 && this.#store.profile.isDataError(error)) {
        // One row the database refuses must not hold back the others: commit them one by one.
        for (const pending of batch) if (!pending.settled) await this.#commit([pending]);
        return;
      }
      this.#options.onError?.(error, batch.length);
      // The database's own message stays in the log: it may name hosts and must not reach the sender.
      const refusal = unavailable({ action: 'commit the callback; retry later' }, error);
      for (const pending of events) settle(pending, () => pending.reject(refusal));
      for (const pending of rejections) settle(pending, () => pending.resolve(false));
    }
  }
}

function settle(pending: Pending, action: () => void): void {
  if (pending.settled) return;
  pending.settled = true;
  clearTimeout(pending.timer);
  action();
}
