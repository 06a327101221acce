import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { LivehooksError, type LivehooksEvent } from '@livehooks/core';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
} from 'fastify';
import type { Logger } from 'pino';
import { actionRoutes } from './actions/action-routes.js';
import { requireApiToken } from './api/api-auth.js';
import { useRouteSchemas, type DocumentedRoute } from './api/route-schema.js';
import { eventRoutes } from './events/event-routes.js';
import { EventHub } from './events/event-hub.js';
import { openApiDocumentRoute } from './api/openapi-document-route.js';
import { statsRoutes } from './events/stats-routes.js';
import { pruneGatewayStore, startGatewayProjector } from './gateway-projections.js';
import { rejectionRoutes } from './ingest/rejection-routes.js';
import { countModeration, listModeration, recentModerationIds } from './moderation/moderation-repository.js';
import { moderationRoutes } from './moderation/moderation-routes.js';
import { moderationItemSchema } from './moderation/moderation-schemas.js';
import { projectionFailureRoutes } from './projections/projection-failure-routes.js';
import { countStreams } from './streams/stream-repository.js';
import { streamRoutes } from './streams/stream-routes.js';
import { taskRoutes } from './tasks/task-routes.js';
import { transcriptRoutes } from './transcripts/transcript-routes.js';
import { resolveApiToken } from './config/resolve-api-token.js';
import type { ServerConfig } from './config/server-config.js';
import { createDispatch, type Dispatch } from './dispatch/create-dispatch.js';
import { deliveryRoutes } from './dispatch/delivery-routes.js';
import { ATTEMPT_RETENTION_DAYS } from './dispatch/delivery-store.js';
import { deliverySchema } from './dispatch/delivery-schemas.js';
import { compileOutboxInserts } from './dispatch/outbox.js';
import type { EventHandler } from './dispatch/sinks/handler-sink.js';
import { GroupCommitter } from './store/group-committer.js';
import { ingestRoutes } from './ingest/ingest-routes.js';
import { redactPath } from './http/redact.js';
import { countProjectionFailures, type ProjectorHandle } from './projections/projector.js';
import type { KyselyStore } from './store/kysely-store.js';
import { openStore } from './gateway-store.js';
import { createGatewayMetrics, type GatewayMetrics } from './http/gateway-metrics.js';
import { createLogger } from './http/create-logger.js';
import { ErrorLogThrottle } from './http/error-log-throttle.js';
import { dashboardRoutes, resolveDashboardDir } from './dashboard/dashboard-routes.js';
import { healthRoutes, type CommitFailureStreak } from './health/health-routes.js';
import { signInRoutes, SignInCodes } from './api/sign-in-routes.js';
import { createErrorHandler } from './http/error-handler.js';
import { answerOnSocket, toClientError, toHttpError } from './http/http-errors.js';
import { isStoreOutage } from './http/store-outage.js';

/** Options for {@link createServer}. */
export interface CreateServerOptions {
  config: ServerConfig;
  /** A store to use; the caller migrates and closes it. Default: opened from `config.databaseUrl`, migrated, closed with the server. */
  store?: KyselyStore;
  /** Default: a pino logger at `config.logLevel` on stdout. */
  logger?: Logger;
  /** Default: `config.apiToken`, else the one kept (or generated) under `config.dataDir`. */
  apiToken?: string;
  /** Current time in ms; injectable for tests. */
  now?: () => number;
  /** In-process event handlers: sinks that run in this process, with filters, retries and dead-lettering. */
  handlers?: readonly EventHandler[];
}

/** A gateway that is set up but not listening: inject requests with `app.inject()`, or listen. */
export interface LivehooksServer {
  /** The Fastify instance. */
  app: FastifyInstance;
  store: KyselyStore;
  metrics: GatewayMetrics;
  /** The live-tail hub: every stored event, after its commit. */
  hub: EventHub;
  /** Keeps the projections (streams, moderation, tasks, transcripts) up to date after each commit. */
  projector: ProjectorHandle;
  /** The outbox and its dispatcher. */
  dispatch: Dispatch;
  apiToken: string;
  /** One-time codes that `POST /sign-in` exchanges for the API token (the links `livehooks serve` prints). */
  signInCodes: SignInCodes;
  /**
   * Graceful shutdown: stops accepting connections, lets in-flight callbacks commit and be answered, ends
   * live tails, then closes the store if the server opened it.
   */
  close(): Promise<void>;
}

/** Health and metrics scrapes are logged at debug: they would drown the access log at info. */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);
/** How often retention runs. */
const PRUNE_INTERVAL_MS = 10 * 60 * 1000;
/**
 * How long after the last failed commit `/readyz` stays 503 when nothing has been committed since: then it
 * answers ready again so a load balancer sends traffic that tries the store once more (with no traffic,
 * no commit could ever succeed and end the streak).
 */
const UNREADY_AFTER_COMMIT_FAILURE_MS = 30_000;
/** The longest path parameter routed: ingest secrets are up to 128 characters. */
const MAX_PARAM_LENGTH = 256;

/**
 * Builds the gateway (ingest, query API, health and metrics) without listening. Used by
 * {@link startServer}, by tests through `app.inject()`, and to embed the gateway in another process.
 *
 * @example
 * ```ts
 * const server = await createServer({ config: loadConfig({ env: process.env }) });
 * const response = await server.app.inject({ method: 'POST', url: '/callbacks', payload: body, headers });
 * await server.close();
 * ```
 */
export async function createServer(options: CreateServerOptions): Promise<LivehooksServer> {
  const { config } = options;
  const now = options.now ?? Date.now;
  const logger = options.logger ?? createLogger(config.logLevel);
  // An outage of the database fails every commit, projection and query: one line per failure would flood the log.
  const throttle = new ErrorLogThrottle(logger, { now });
  const ownsStore = options.store === undefined;
  const store =
    options.store ??
    (await openStore(config.databaseUrl, {
      onIdleError: (err) => throttle.error('database connection', err, 'idle database connection failed'),
    }));
  try {
    if (ownsStore) await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  const apiToken = options.apiToken ?? resolveApiToken(config).token;
  const metrics = createGatewayMetrics();
  const hub = new EventHub();
  const projector = await startGatewayProjector(store, {
    registry: metrics.registry,
    onSetAside: (failure) =>
      logger.warn({ failure }, 'event set aside: its projection fails (GET /api/projections/failures)'),
    onError: (err) =>
      throttle.error('projection', err, 'projection failed; the events stay queued and are retried'),
  });
  const dispatch = createDispatch({
    config,
    store,
    registry: metrics.registry,
    logger,
    ...(options.handlers === undefined ? {} : { handlers: options.handlers }),
  });

  let rejectionsSincePrune = 0;
  let pruning: Promise<unknown> | undefined;
  const prune = (): void => {
    if (pruning !== undefined) return;
    rejectionsSincePrune = 0;
    pruning = pruneGatewayStore(store, {
      rejectionMaxRows: config.retention.rejectionMaxRows,
      rejectionRetentionDays: config.retention.rejectionDays,
      ...(config.retention.eventDays === undefined ? {} : { eventRetentionDays: config.retention.eventDays }),
    })
      .then(async (result) => {
        const attempts = await dispatch.deliveries.pruneAttempts(
          Date.now() - (config.retention.eventDays ?? ATTEMPT_RETENTION_DAYS) * 86_400_000,
        );
        if (result.events + result.rejections + attempts > 0)
          logger.info({ pruned: { ...result, attempts } }, 'retention applied');
      })
      .catch((err: unknown) => logger.warn({ err }, 'retention failed'))
      .finally(() => {
        pruning = undefined;
      });
  };
  const pruneTimer = setInterval(prune, PRUNE_INTERVAL_MS);
  pruneTimer.unref();

  let commitFailures: (CommitFailureStreak & { lastAt: number }) | undefined;
  const committer = new GroupCommitter(store, {
    maxBatch: config.commit.maxBatch,
    maxQueue: config.commit.maxQueue,
    timeoutMs: config.commit.timeoutMs,
    onBatch: (report) => {
      metrics.commitSeconds.observe(report.durationSeconds);
      metrics.commitBatchSize.observe(report.events + report.rejections);
      if (!report.ok) metrics.commitFailures.inc();
      else if (commitFailures !== undefined) {
        commitFailures = undefined;
        throttle.recovered('commit', 'group commits succeed again');
      }
      rejectionsSincePrune += report.ok ? report.rejections : 0;
      // A flood of bad requests must not grow the rejection table far past its bound between timer runs.
      if (rejectionsSincePrune > config.retention.rejectionMaxRows / 10) prune();
    },
    ...(dispatch.outbox === undefined
      ? {}
      : {
          followUps: (events: readonly LivehooksEvent[]) =>
            compileOutboxInserts(store.db, store.profile, events.flatMap(dispatch.outbox!), Date.now()),
        }),
    onStored: (rows) => {
      hub.publish(rows);
      projector.schedule();
      dispatch.dispatcher.wake();
    },
    onDuplicatesNotCounted: () =>
      logger.warn('a batch committed but its duplicate counters were not updated'),
    onError: (err, items) => {
      // A row the database refuses is that row's problem, not the store's.
      if (!store.profile.isDataError(err)) {
        const at = now();
        commitFailures ??= { failures: 0, since: at, lastAt: at };
        commitFailures.failures += 1;
        commitFailures.lastAt = at;
      }
      throttle.error('commit', err, 'group commit failed; its callbacks were answered 503', { items });
    },
  });
  const currentCommitFailures = (): CommitFailureStreak | undefined =>
    commitFailures !== undefined && now() - commitFailures.lastAt < UNREADY_AFTER_COMMIT_FAILURE_MS
      ? { failures: commitFailures.failures, since: commitFailures.since }
      : undefined;

  let closing = false;
  const fastifyLogger: FastifyBaseLogger = logger;
  const { connections } = config;
  const app: FastifyInstance = Fastify({
    loggerInstance: fastifyLogger,
    // One access line per request comes from the onResponse hook below, with the ingest secret redacted.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: config.maxBodyBytes,
    trustProxy: config.trustProxy,
    return503OnClosing: true,
    // A client that never finishes its request must not hold its connection (and a file descriptor) for
    // ever: Node closes it after these timeouts, checked often enough to keep them.
    http: {
      headersTimeout: connections.headersTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(connections.headersTimeoutMs / 4))),
      // Answered by the onRequest hook below, in the `{ code, error }` shape.
      requireHostHeader: false,
    },
    requestTimeout: connections.requestTimeoutMs,
    keepAliveTimeout: connections.keepAliveTimeoutMs,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Errors of the router (a URL that is not valid percent-encoding) and of Node's HTTP parser (before any
    // route) get the same answers as every other refusal; Fastify's own quote the URL, secret included.
    frameworkErrors: (error, _request, reply: FastifyReply) => {
      const answer = toHttpError(error, config) ?? toClientError(error, connections);
      void reply.code(answer.status).header('x-content-type-options', 'nosniff').send(answer.toJSON());
    },
    clientErrorHandler: (error: NodeJS.ErrnoException, socket: Socket) => {
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      const answer = toClientError(error, connections);
      metrics.clientErrors.inc({ code: answer.code });
      logger.debug({ code: answer.code, cause: error.code }, 'client error');
      answerOnSocket(socket, answer);
    },
  });
  // Beyond it, new connections are closed at once: what is open keeps being served, and the process keeps
  // file descriptors for its database and sinks.
  app.server.maxConnections = connections.max;
  app.decorateRequest('ingest', null);
  // Callback bodies are kept as raw bytes: TRTC signs them exactly (https://trtc.io/document/54912), and they
  // are stored verbatim.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.addHook('onRequest', (request, _reply, done) => {
    // HTTP/1.1 requires a Host header (RFC 9112 §3.2).
    if (request.headers.host === undefined && request.raw.httpVersion === '1.1') {
      done(new LivehooksError('LH_ERR_BAD_REQUEST', 'the request has no Host header'));
      return;
    }
    done();
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('x-content-type-options', 'nosniff');
    done(null, payload);
  });

  // Outside ingest, an unexpected error is a store outage (503, retry later) or a bug (500).
  app.setErrorHandler(
    createErrorHandler(config, async (error, request) => {
      const fields = { reqId: request.id, path: redactPath(request.url) };
      if (await isStoreOutage(error, store)) {
        throttle.error('request', error, 'request failed: the store is unavailable', fields);
        return LivehooksError.of('LH_ERR_STORE_UNAVAILABLE', {
          action: 'serve the request now; retry later',
        });
      }
      throttle.error('internal', error, 'request failed: unexpected error', fields);
      return LivehooksError.of('LH_ERR_INTERNAL', { during: 'serving the request' });
    }),
  );
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send({ code: 'LH_ERR_NOT_FOUND', error: `no route ${request.method} ${redactPath(request.url)}` }),
  );
  app.addHook('onResponse', (request, reply, done) => {
    const path = redactPath(request.url);
    const line = {
      method: request.method,
      path,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 100) / 100,
      ...request.ingest,
    };
    if (QUIET_PATHS.has(path)) request.log.debug(line, 'request');
    else request.log.info(line, 'request');
    done();
  });

  await app.register(ingestRoutes, {
    config,
    committer,
    metrics,
    now,
    onUnexpectedError: (error, request) =>
      throttle.error('request', error, 'request failed', {
        reqId: request.id,
        path: redactPath(request.url),
      }),
  });
  // Every /api route lives in this one encapsulated scope, whose hook authenticates whatever the router matched.
  const apiRoutes: DocumentedRoute[] = [];
  await app.register(async (api) => {
    requireApiToken(api, apiToken);
    useRouteSchemas(api, apiRoutes);
    await api.register(actionRoutes, {
      store,
      tencent: config.sinks.flatMap((sink) => (sink.type === 'tencent' ? [sink] : [])),
      ...(options.now ? { now: options.now } : {}),
    });
    await api.register(eventRoutes, {
      store,
      hub,
      deliveries: { schema: deliverySchema, of: (eventId) => dispatch.deliveries.ofEvent(eventId) },
    });
    await api.register(streamRoutes, {
      store,
      moderation: {
        schema: moderationItemSchema,
        of: ({ appId, streamId }, limit) => listModeration(store, { appId, streamId, limit }),
      },
    });
    await api.register(moderationRoutes, { store, ...(options.now ? { now: options.now } : {}) });
    await api.register(taskRoutes, { store });
    await api.register(transcriptRoutes, { store });
    await api.register(projectionFailureRoutes, { store, retry: (eventId) => projector.retry(eventId) });
    await api.register(rejectionRoutes, { store });
    await api.register(statsRoutes, {
      store,
      projectionFailures: () => countProjectionFailures(store),
      moderationHits: (limit) => recentModerationIds(store, limit),
      streamCounts: () => countStreams(store),
      pendingReview: async () => (await countModeration(store, {})).pending,
      ...(options.now ? { now: options.now } : {}),
    });
    await api.register(openApiDocumentRoute, { routes: apiRoutes });
    await api.register(deliveryRoutes, { ...dispatch, ...(options.now ? { now: options.now } : {}) });
  });
  const signInCodes = new SignInCodes({ now });
  await app.register(signInRoutes, { codes: signInCodes, apiToken });
  await app.register(dashboardRoutes, { dir: config.dashboardDir ?? resolveDashboardDir() });
  await app.register(healthRoutes, {
    store,
    metrics,
    isClosing: () => closing,
    commitFailures: currentCommitFailures,
  });

  // Graceful shutdown must not wait for clients to hang up: sockets that never carried a request are ended,
  // and a socket whose last response is still in flight closes right after it (keep-alive off).
  const unused = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    unused.add(socket);
    socket.once('close', () => unused.delete(socket));
  });
  app.server.on('request', (request: IncomingMessage) => unused.delete(request.socket));
  app.addHook('preClose', (done) => {
    app.server.keepAliveTimeout = 1;
    for (const socket of unused) socket.end();
    done();
  });

  app.addHook('onClose', async () => {
    clearInterval(pruneTimer);
    await committer.drain();
    await projector.close();
    await dispatch.dispatcher.stop();
    await pruning;
    if (ownsStore) await store.close();
  });

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing = true;
    closed ??= app.close().then(() => {
      logger.flush();
    });
    return closed;
  };

  await app.ready();
  await dispatch.dispatcher.start();
  return { app, store, metrics, hub, projector, dispatch, apiToken, signInCodes, close };
}
