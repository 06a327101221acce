export { requireApiToken } from './api/api-auth.js';
export { eventRoutes, type EventRoutesOptions } from './events/event-routes.js';
export { EventHub, type EventListener } from './events/event-hub.js';
export { apiDocument } from './api-document.js';
export type {
  ApiAction,
  ApiBulkDecision,
  ApiDeliveryAttempt,
  ApiDeliveryPage,
  ApiError,
  ApiEvent,
  ApiEventDetail,
  ApiEventPage,
  ApiModerationDecision,
  ApiModerationDetail,
  ApiModerationCounts,
  ApiModerationItem,
  ApiPage,
  ApiRejection,
  ApiRejectionReasons,
  ApiScreenshot,
  ApiSink,
  ApiStats,
  ApiStreamDetail,
  ApiStreamItem,
  ApiTask,
  ApiTaskDetail,
  ApiTranscriptHit,
} from './api-types.js';
export type { OpenApiDocument } from './api/openapi.js';
export { statsRoutes, type StatsRoutesOptions } from './events/stats-routes.js';
export { rejectionRoutes, type RejectionRoutesOptions } from './ingest/rejection-routes.js';
export { moderationRoutes, type ModerationRoutesOptions } from './moderation/moderation-routes.js';
export {
  projectionFailureRoutes,
  type ProjectionFailureRoutesOptions,
} from './projections/projection-failure-routes.js';
export { streamRoutes, type StreamRoutesOptions } from './streams/stream-routes.js';
export { taskRoutes, type TaskRoutesOptions } from './tasks/task-routes.js';
export { transcriptRoutes, type TranscriptRoutesOptions } from './transcripts/transcript-routes.js';
export { ConfigError } from './config/config-error.js';
export {
  CONFIG_OPTIONS,
  loadConfig,
  type ConfigInput,
  type ConfigOption,
  type LoadConfigOptions,
} from './config/load-config.js';
export { API_TOKEN_FILE, resolveApiToken, type ApiTokenResolution } from './config/resolve-api-token.js';
export type { LogLevel, ServerConfig } from './config/server-config.js';
export {
  DEFAULT_RETRY_SCHEDULE_MS,
  type AlertSinkConfig,
  type DispatchConfig,
  type NatsSinkConfig,
  type RedisSinkConfig,
  type RetryConfig,
  type SinkConfig,
  type TencentSinkConfig,
  type WebhookSinkConfig,
} from './dispatch/dispatch-config.js';
export type { Dispatch } from './dispatch/create-dispatch.js';
export type { Delivery } from './dispatch/delivery-schemas.js';
export type { DeliveryStatus } from './dispatch/outbox.js';
export {
  SinkDeliveryError,
  type DeliveryContext,
  type DeliveryEnvelope,
  type DeliveryReceipt,
  type Sink,
} from './dispatch/sink.js';
export { compileSinkFilter, type SinkFilterConfig } from './dispatch/sink-filter.js';
export { defineHandler, type EventHandler } from './dispatch/sinks/handler-sink.js';
export { signWebhook, webhookKey } from './dispatch/sinks/webhook-sink.js';
export { createLogger } from './http/create-logger.js';
export { createServer, type CreateServerOptions, type LivehooksServer } from './create-server.js';
export { SignInCodes, type SignInCodesOptions } from './api/sign-in-routes.js';
export { createGatewayMetrics, type GatewayMetrics, type IngestOutcome } from './http/gateway-metrics.js';
export {
  GroupCommitter,
  type BatchReport,
  type CommitOutcome,
  type GroupCommitterOptions,
} from './store/group-committer.js';
export { redactHeaders, redactPath } from './http/redact.js';
export {
  drainProjectionQueue,
  gatewayProjections,
  pruneGatewayStore,
  rebuildProjections,
} from './gateway-projections.js';
export {
  drainProjections,
  Projector,
  replayProjections,
  retryProjection,
  type DrainOptions,
  type ProjectorOptions,
} from './projections/projector.js';
export type { Projection } from './projections/projection.js';
export type { ProjectionFailure, RetryOutcome } from './projections/projection-failure-schemas.js';
export type { ProjectionDatabase } from './projections/projection-tables.js';
export { protectionWarnings } from './protection-warnings.js';
export { startServer, type RunningServer, type StartServerOptions } from './start-server.js';
export type { Database, EventsTable, RejectionsTable } from './store/database.js';
export { parseDatabaseUrl, redactDatabaseUrl, type DatabaseLocation } from './store/database-url.js';
export type { DialectProfile } from './store/dialect-profile.js';
export {
  DEFAULT_REJECTION_MAX_ROWS,
  DEFAULT_REJECTION_RETENTION_DAYS,
  KyselyStore,
  type CommitBatch,
  type CommitResult,
  type EventQuery,
  type PruneOptions,
  type PruneResult,
  type StoreStats,
  type TailFilter,
} from './store/kysely-store.js';
export { gatewayMigrations, openStore } from './gateway-store.js';
export type { OpenStoreOptions } from './store/open-store.js';
export type { RejectionRecord } from './store/rejection.js';
export type { StoredEvent, StoredEventDetail } from './store/stored-event.js';
