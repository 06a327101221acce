import { z } from 'zod';
import { booleanField, integerField, oneOfField, textField } from '../_config-fields.js';
import { defineSink, type SinkConfigOf } from '../define-sink.js';
import { SinkDeliveryError, type DeliveryEnvelope, type DeliveryReceipt, type Sink } from '../sink.js';

const tencentOptions = z.object({
  action: oneOfField([
    'DropLiveStream',
    'ForbidLiveStream',
    'ResumeLiveStream',
    'RemoveUser',
    'RemoveUserByStrRoomId',
    'DismissRoom',
  ]).describe('The Tencent Cloud API action called per matching event.'),
  dryRun: booleanField()
    .default(true)
    .describe('Record the request that would be made without calling Tencent.'),
  secretId: textField().optional().describe('Tencent Cloud API SecretId; required unless `dryRun`.'),
  secretKey: textField().optional().describe('Tencent Cloud API SecretKey; required unless `dryRun`.'),
  region: textField().default('ap-guangzhou').describe('Tencent Cloud region of the API call.'),
  endpoint: textField({ pattern: /^[A-Za-z0-9.-]+(:\d+)?$/, hint: 'a host name (host or host:port)' })
    .optional()
    .describe('API host override; default `live.tencentcloudapi.com` or `trtc.tencentcloudapi.com`.'),
  protocol: oneOfField(['https:', 'http:'])
    .default('https:')
    .describe('`http:` only for a local stand-in of the API host.'),
  forbidSeconds: integerField(1, 90 * 86_400)
    .default(600)
    .describe('ForbidLiveStream: how long the stream stays forbidden, in seconds.'),
  reason: textField().optional().describe('ForbidLiveStream `Reason`.'),
});

/** A Tencent Cloud API action per matching event. */
export type TencentSinkConfig = SinkConfigOf<'tencent', typeof tencentOptions>;

/** Tencent Cloud API actions. */
export type TencentAction = TencentSinkConfig['action'];

const LIVE_ACTIONS = new Set<TencentAction>(['DropLiveStream', 'ForbidLiveStream', 'ResumeLiveStream']);

/** Tencent's `ResumeTime`: UTC ISO 8601 without milliseconds. */
function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== ''
    ? value.trim()
    : typeof value === 'number'
      ? String(value)
      : undefined;
}

/**
 * The request of an action for an event, or a reason why the event lacks what the action needs. CSS actions
 * take the push domain (`app`), the AppName (`appname`) and the stream from the callback; TRTC actions take
 * the SdkAppId, room and user.
 *
 * @see https://cloud.tencent.com/document/product/267/20469 DropLiveStream
 * @see https://cloud.tencent.com/document/product/267/20468 ForbidLiveStream
 * @see https://cloud.tencent.com/document/product/267/20467 ResumeLiveStream
 * @see https://cloud.tencent.com/document/product/647/40496 RemoveUser
 * @see https://cloud.tencent.com/document/product/647/50426 RemoveUserByStrRoomId
 * @see https://cloud.tencent.com/document/product/647/37088 DismissRoom
 */
export function tencentRequest(
  config: Pick<TencentSinkConfig, 'action' | 'forbidSeconds' | 'reason'>,
  envelope: DeliveryEnvelope,
  now: number,
): Record<string, unknown> | string {
  const data = (envelope.data ?? {}) as Record<string, unknown>;
  const { subject } = envelope;
  if (LIVE_ACTIONS.has(config.action)) {
    const StreamName = subject.streamId;
    const DomainName = text(data.app);
    const AppName = text(data.appname) ?? 'live';
    if (StreamName === undefined || DomainName === undefined)
      return 'the event names no stream and push domain (stream_id, app)';
    const request: Record<string, unknown> = { StreamName, DomainName, AppName };
    if (config.action === 'ForbidLiveStream') {
      request.ResumeTime = isoSeconds(now + config.forbidSeconds * 1000);
      if (config.reason !== undefined) request.Reason = config.reason;
    }
    return request;
  }
  const SdkAppId = Number(subject.sdkAppId);
  const RoomId = subject.roomId;
  if (!Number.isSafeInteger(SdkAppId) || RoomId === undefined) return 'the event names no SdkAppId and room';
  if (config.action === 'DismissRoom') {
    return /^\d+$/.test(RoomId)
      ? { SdkAppId, RoomId: Number(RoomId) }
      : 'DismissRoom needs a numeric room id';
  }
  if (subject.userId === undefined) return 'the event names no user';
  if (config.action === 'RemoveUser') {
    return /^\d+$/.test(RoomId)
      ? { SdkAppId, RoomId: Number(RoomId), UserIds: [subject.userId] }
      : 'RemoveUser needs a numeric room id (use RemoveUserByStrRoomId)';
  }
  return { SdkAppId, RoomId, UserIds: [subject.userId] };
}

type Call = (action: string, request: Record<string, unknown>) => Promise<unknown>;

/**
 * A sink that calls a Tencent Cloud API action per matching event through `tencentcloud-sdk-nodejs`. Dry-run
 * by default: the would-be request is recorded and nothing is called. Every call's request and answer (or
 * error) is recorded as the delivery's `result`; the credentials never are.
 *
 * @example
 * ```ts
 * const sink = createTencentSink({ name: 'cut', type: 'tencent', action: 'DropLiveStream', dryRun: false, secretId, secretKey, ... });
 * ```
 */
export function createTencentSink(config: TencentSinkConfig, options: { now?: () => number } = {}): Sink {
  const now = options.now ?? Date.now;
  let call: Promise<Call> | undefined;
  const client = async (): Promise<Call> => {
    const clientConfig = {
      credential: { secretId: config.secretId ?? '', secretKey: config.secretKey ?? '' },
      region: config.region,
      profile: {
        httpProfile: {
          reqTimeout: Math.ceil(config.timeoutMs / 1000),
          protocol: config.protocol === 'http:' ? 'http://' : 'https://',
          ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
        },
      },
    };
    // Loaded on first use: reading the configuration (the CLI's flags) does not load the SDK.
    const sdk = (LIVE_ACTIONS.has(config.action)
      ? new (
          await import('tencentcloud-sdk-nodejs/tencentcloud/services/live/v20180801/live_client.js')
        ).Client(clientConfig)
      : new (
          await import('tencentcloud-sdk-nodejs/tencentcloud/services/trtc/v20190722/trtc_client.js')
        ).Client(clientConfig)) as unknown as Record<
      string,
      (request: Record<string, unknown>) => Promise<unknown>
    >;
    return (action, request) => sdk[action]!.call(sdk, request);
  };
  return {
    name: config.name,
    type: 'tencent',
    concurrency: config.concurrency,
    async deliver(envelope: DeliveryEnvelope): Promise<DeliveryReceipt | undefined> {
      const request = tencentRequest(config, envelope, now());
      if (typeof request === 'string') {
        throw new SinkDeliveryError(`${config.action}: ${request}`, { permanent: true });
      }
      if (config.dryRun) return { result: { action: config.action, dryRun: true, request } };
      try {
        call ??= client();
        const answer = await (await call)(config.action, request);
        return { result: { action: config.action, dryRun: false, request, answer } };
      } catch (cause) {
        const error = cause as { code?: string; message?: string; requestId?: string };
        throw new SinkDeliveryError(
          `${config.action} failed: ${error.code ?? 'error'} ${error.message ?? ''}${error.requestId ? ` (RequestId ${error.requestId})` : ''}`.trim(),
          { cause },
        );
      }
    },
  };
}

/** The `tencent` sink type. */
export const tencentSink = defineSink({
  type: 'tencent',
  description:
    'Calls a Tencent Cloud API action per matching event (drop, forbid or resume a stream, remove a user, dismiss a room); dry-run by default.',
  options: tencentOptions,
  secrets: ['secretId', 'secretKey'],
  concurrency: 2,
  refine(config, context) {
    if (
      config.dryRun === false &&
      (typeof config.secretId !== 'string' || typeof config.secretKey !== 'string')
    ) {
      context.addIssue({
        code: 'custom',
        path: ['secretKey'],
        message: 'secretId and secretKey are required unless dryRun is true',
      });
    }
  },
  create: (config) => createTencentSink(config),
});
