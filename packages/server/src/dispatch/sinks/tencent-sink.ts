import { z } from 'zod';
import { booleanField, integerField, oneOfField, textField } from '../_config-fields.js';
import { defineSink, type SinkConfigOf } from '../define-sink.js';
import {
  TENCENT_ACTIONS,
  tencentCaller,
  tencentRequest,
  type TencentAction,
} from '../../tencent/tencent-api.js';
import { SinkDeliveryError, type DeliveryEnvelope, type DeliveryReceipt, type Sink } from '../sink.js';

const tencentOptions = z.object({
  action: oneOfField(TENCENT_ACTIONS).describe('The Tencent Cloud API action called per matching event.'),
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

export type { TencentAction };

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
  const call = tencentCaller(config);
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
        const answer = await call(config.action, request);
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
