import { Client as LiveClient } from 'tencentcloud-sdk-nodejs/tencentcloud/services/live/v20180801/live_client.js';
import { Client as TrtcClient } from 'tencentcloud-sdk-nodejs/tencentcloud/services/trtc/v20190722/trtc_client.js';
import type { TencentAction, TencentSinkConfig } from '../dispatch-config.js';
import { SinkDeliveryError, type DeliveryEnvelope, type DeliveryReceipt, type Sink } from '../sink.js';

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
  let call: Call | undefined;
  const client = (): Call => {
    if (call !== undefined) return call;
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
    const sdk = (LIVE_ACTIONS.has(config.action)
      ? new LiveClient(clientConfig)
      : new TrtcClient(clientConfig)) as unknown as Record<
      string,
      (request: Record<string, unknown>) => Promise<unknown>
    >;
    call = (action, request) => sdk[action]!.call(sdk, request);
    return call;
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
        const answer = await client()(config.action, request);
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
