import type { Subject } from '@livehooks/core';

/** The Tencent Cloud API actions livehooks calls: on a CSS stream, or on a TRTC room and its users. */
export const TENCENT_ACTIONS = [
  'DropLiveStream',
  'ForbidLiveStream',
  'ResumeLiveStream',
  'RemoveUser',
  'RemoveUserByStrRoomId',
  'DismissRoom',
] as const;

/** A Tencent Cloud API action. */
export type TencentAction = (typeof TENCENT_ACTIONS)[number];

/** How to reach the Tencent Cloud API: credentials, region and, for tests, another host. */
export interface TencentApiConfig {
  action: TencentAction;
  secretId?: string | undefined;
  secretKey?: string | undefined;
  region: string;
  endpoint?: string | undefined;
  protocol: 'https:' | 'http:';
  timeoutMs: number;
}

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
  config: { action: TencentAction; forbidSeconds: number; reason?: string | undefined },
  envelope: { subject: Subject; data: unknown },
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

/** Calls one action of the Tencent Cloud API with a request; resolves with Tencent's answer. */
export type TencentCall = (action: string, request: Record<string, unknown>) => Promise<unknown>;

/**
 * A caller of the Tencent Cloud API through `tencentcloud-sdk-nodejs`, with the live (CSS) or TRTC client the
 * action belongs to. The SDK is loaded on the first call: reading a configuration does not load it.
 */
export function tencentCaller(config: TencentApiConfig): TencentCall {
  let call: Promise<TencentCall> | undefined;
  const client = async (): Promise<TencentCall> => {
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
  return async (action, request) => {
    call ??= client();
    return (await call)(action, request);
  };
}
