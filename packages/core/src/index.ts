export { createHashes, type Hashes } from './crypto/hashes.js';
export type { EventAuth, Family, LivehooksEvent, Subject, ValidationIssue } from './envelope.js';
export { errorCodes, errorMessage, type ErrorCode, type ErrorParams } from './errors/error-codes.js';
export { isLivehooksError, LivehooksError, type LivehooksErrorOptions } from './errors/livehooks-error.js';
export {
  defineEvent,
  type AnyEventDefinition,
  type CssMatch,
  type EventDefinition,
  type TencentRef,
  type TrtcMatch,
} from './events/define-event.js';
export {
  catalog,
  cssEvents,
  getEventDefinition,
  trtcEvents,
  type AnyLivehooksEvent,
  type EventData,
  type EventOf,
  type EventType,
} from './events/index.js';
export { createEventId } from './id.js';
export { classify } from './parse/classify.js';
export { KEPT_HEADERS, normalizeHeaders, type HeadersInput } from './parse/headers.js';
export {
  DEFAULT_MAX_BODY_BYTES,
  parseCallback,
  type CssOptions,
  type ParseOptions,
  type TrtcOptions,
} from './parse/parse-callback.js';
export {
  signCss,
  verifyCssSignature,
  type CssVerification,
  type CssVerifyOptions,
} from './signature/css-signature.js';
export { signTrtc, verifyTrtcSignature } from './signature/trtc-signature.js';
export { parseMonitorMessage, type MonitorMessage } from './events/css/monitor-message.js';
export {
  createReceiver,
  type CallbackRequest,
  type CallbackResponse,
  type ErrorHandler,
  type EventHandler,
  type Receiver,
  type ReceiverOptions,
  type Unsubscribe,
} from './receiver/create-receiver.js';
export {
  compileSelector,
  type EventMatching,
  type EventPattern,
  type EventSelector,
  type TypesMatching,
} from './receiver/event-pattern.js';
export { HandlerError } from './receiver/handler-error.js';
export {
  createNodeMiddleware,
  type NodeMiddleware,
  type NodeMiddlewareOptions,
} from './adapters/node-middleware.js';
export {
  createExpressMiddleware,
  expressMiddleware,
  type ExpressMiddleware,
  type ExpressRequestLike,
} from './adapters/express.js';
export {
  createFastifyPlugin,
  livehooksFastify,
  type FastifyInstanceLike,
  type FastifyReplyLike,
  type FastifyRequestLike,
  type LivehooksFastifyOptions,
} from './adapters/fastify.js';
export { createHonoHandler, honoHandler, type HonoContextLike } from './adapters/hono.js';
export {
  createKoaMiddleware,
  koaMiddleware,
  type KoaContextLike,
  type KoaMiddleware,
  type KoaMiddlewareOptions,
} from './adapters/koa.js';
export { createWebHandler, type WebHandler } from './adapters/web-handler.js';
export type { NodeRequestLike } from './adapters/_node-body.js';
export type { NodeResponseLike } from './adapters/_node-response.js';
export { describeLeaveCode } from './events/trtc/leave-codes.js';
export { parseModerationFilePath, type ModerationFilePath } from './events/trtc/moderation-file.js';
export {
  describeEnterReason,
  describeExitReason,
  describeTerminalType,
  describeTrtcRole,
  describeUserType,
} from './events/trtc/room.js';
export type { TrtcMediaType } from './events/trtc/media.js';
export { describeRecordingUploadStatus, describeRecordingVodStatus } from './events/trtc/recording.js';
export { describeRelayStatus } from './events/trtc/relay.js';
export { describeIngestStartStatus } from './events/trtc/ingest.js';
export {
  describeDisconnect,
  type DisconnectCategory,
  type DisconnectReason,
} from './events/css/disconnect-codes.js';
export { hasAggregateScores } from './events/css/evaluation.js';
export { describePushException } from './events/css/push-exception.js';
export { QUALITY_CONTROL_CLASSES, type QualityControlCategory } from './events/css/quality.js';
export { describeRecordException } from './events/css/record-exception.js';
