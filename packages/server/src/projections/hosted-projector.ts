import type { HostedModule } from '../store/sqlite-worker-dialect.js';
import type { KyselyStore } from '../store/kysely-store.js';
import type { ProjectionFailure, RetryOutcome } from './projection-failure-schemas.js';
import { createProjectionMetrics, type ProjectionMetrics } from './projection-metrics.js';
import { countProjectionFailures, type ProjectorHandle, type ProjectorOptions } from './projector.js';

/** A request of the gateway to its projector on the writer's thread. */
export type HostedProjectorRequest =
  { kind: 'schedule' } | { kind: 'retry'; eventId: string } | { kind: 'idle' } | { kind: 'close' };

/** What the projector on the writer's thread tells the gateway. */
export type HostedProjectorMessage =
  { error: { message: string; code: unknown } } | { setAside: ProjectionFailure };

/** An error of the hosted projector as the gateway sees it: its message and code. */
class HostedProjectorError extends Error {
  readonly code: unknown;
  constructor(message: string, code: unknown) {
    super(message);
    this.name = 'ProjectorError';
    this.code = code;
  }
}

/**
 * The projector as the gateway holds it when it runs on the thread of the store's connection (SQLite; the
 * module `url` exports `hostInWriter`): requests go there as messages, failures and set-aside events come
 * back to `onError` and `onSetAside` and to the metrics registered here.
 *
 * @example
 * ```ts
 * const projector = await HostedProjector.start(store, new URL('./gateway-projector-host.js', import.meta.url));
 * ```
 */
export class HostedProjector implements ProjectorHandle {
  readonly #module: HostedModule;

  private constructor(module: HostedModule) {
    this.#module = module;
  }

  /** Loads the projector of `url` onto the writer's thread of `store`, which must offer `hostInWriter`. */
  static async start(
    store: KyselyStore,
    url: URL,
    options: Omit<ProjectorOptions, 'runPage'> = {},
  ): Promise<HostedProjector> {
    const host = store.profile.hostInWriter;
    if (host === undefined) throw new Error(`${store.profile.description} cannot host a projector`);
    const metrics: ProjectionMetrics | undefined =
      options.registry === undefined
        ? undefined
        : createProjectionMetrics(options.registry, () => countProjectionFailures(store));
    const onMessage = (body: unknown): void => {
      const message = body as HostedProjectorMessage;
      if ('setAside' in message) {
        metrics?.setAside.inc();
        options.onSetAside?.(message.setAside);
      } else options.onError?.(new HostedProjectorError(message.error.message, message.error.code));
    };
    const module = await host('projector', url, { description: store.profile.description }, onMessage);
    return new HostedProjector(module);
  }

  #request(body: HostedProjectorRequest): Promise<unknown> {
    return this.#module.request(body);
  }

  schedule(): void {
    // A worker that stopped is reported by the store's own queries; a lost wake-up is made good by the sweep.
    this.#request({ kind: 'schedule' }).catch(() => undefined);
  }

  async retry(eventId: string): Promise<RetryOutcome | undefined> {
    return (await this.#request({ kind: 'retry', eventId })) as RetryOutcome | undefined;
  }

  async idle(): Promise<void> {
    await this.#request({ kind: 'idle' });
  }

  async close(): Promise<void> {
    await this.#request({ kind: 'close' });
  }
}
