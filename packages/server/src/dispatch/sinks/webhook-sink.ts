import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { z } from 'zod';
import { httpUrlField, textField } from '../_config-fields.js';
import { defineSink, type SinkConfigOf } from '../define-sink.js';
import {
  SinkDeliveryError,
  type DeliveryContext,
  type DeliveryEnvelope,
  type DeliveryReceipt,
  type Sink,
} from '../sink.js';

const webhookOptions = z.object({
  url: httpUrlField().describe('The endpoint the envelope is POSTed to.'),
  secret: textField()
    .optional()
    .describe(
      'Signing secret: `whsec_<base64>` (as Standard Webhooks libraries generate) or any other string used as the key bytes. Without it, requests are not signed.',
    ),
  headers: z
    .record(z.string(), z.string(), { error: 'expected an object of header names to string values' })
    .default({})
    .describe('Extra request headers, e.g. an `Authorization` header the endpoint expects.'),
});

/** POST the envelope to a URL, signed per Standard Webhooks. */
export type WebhookSinkConfig = SinkConfigOf<'webhook', typeof webhookOptions>;

/** The key bytes of a Standard Webhooks secret: `whsec_<base64>`, or the string's own bytes otherwise. */
export function webhookKey(secret: string): Buffer {
  return secret.startsWith('whsec_')
    ? Buffer.from(secret.slice('whsec_'.length), 'base64')
    : Buffer.from(secret, 'utf8');
}

/**
 * The Standard Webhooks signature header value: `v1,` and the base64 HMAC-SHA256 of `<id>.<timestamp>.<body>`.
 *
 * @example
 * ```ts
 * signWebhook(webhookKey('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'), 'msg_1', 1700000000, '{"a":1}'); // 'v1,...'
 * ```
 * @see https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
 */
export function signWebhook(key: Buffer, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** The status and reason phrase (its bytes read as UTF-8) of an answer; its body is read and dropped. */
interface Answer {
  status: number;
  statusText: string;
}

/** Where a webhook sink posts: its URL, the module for its scheme and the agent keeping its connections. */
interface Endpoint {
  url: URL;
  transport: typeof http | typeof https;
  agent: http.Agent;
}

/**
 * POSTs `body` over a kept-alive connection of the endpoint's agent. `node:http` rather than `fetch`: a
 * delivery costs the gateway's event loop a third of the CPU time, and redirects are not followed (a signed
 * body is not sent on to another address).
 */
function post(
  { url, transport, agent }: Endpoint,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        agent,
        signal,
      },
      (response) => {
        response.on('error', reject);
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            statusText: Buffer.from(response.statusMessage ?? '', 'latin1').toString('utf8'),
          }),
        );
        response.resume();
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * A sink that POSTs the envelope as JSON, with `webhook-id` (the event id, equal on every retry so receivers
 * dedupe), `webhook-timestamp` and, when a secret is set, `webhook-signature`. A 2xx answer delivers; 410
 * disables the sink; anything else (a redirect too), a network error or the time limit is retried.
 *
 * @example
 * ```ts
 * const sink = createWebhookSink({ name: 'ops', type: 'webhook', url: 'https://ops.example.com/hooks', secret, ... });
 * ```
 */
export function createWebhookSink(config: WebhookSinkConfig, options: { now?: () => number } = {}): Sink {
  const key = config.secret === undefined ? undefined : webhookKey(config.secret);
  const now = options.now ?? Date.now;
  const url = new URL(config.url);
  const transport = url.protocol === 'https:' ? https : http;
  const agent = new transport.Agent({ keepAlive: true, maxSockets: config.concurrency });
  const endpoint: Endpoint = { url, transport, agent };
  return {
    name: config.name,
    type: 'webhook',
    concurrency: config.concurrency,
    close: () => {
      agent.destroy();
      return Promise.resolve();
    },
    async deliver(
      envelope: DeliveryEnvelope,
      context: DeliveryContext,
    ): Promise<DeliveryReceipt | undefined> {
      const body = JSON.stringify(envelope);
      const timestamp = Math.floor(now() / 1000);
      const headers: Record<string, string> = {
        ...config.headers,
        'content-type': 'application/json',
        'user-agent': 'livehooks',
        'webhook-id': envelope.id,
        'webhook-timestamp': String(timestamp),
      };
      if (key !== undefined) headers['webhook-signature'] = signWebhook(key, envelope.id, timestamp, body);
      let response: Answer;
      try {
        response = await post(endpoint, headers, body, context.signal);
      } catch (cause) {
        // The URL may hold a token: the message names the failure, not the address.
        const reason = (cause as { code?: string }).code ?? (cause as Error).name;
        throw new SinkDeliveryError(`request failed (${reason})`, { cause });
      }
      if (response.status === 410) {
        throw new SinkDeliveryError('HTTP 410 Gone: the endpoint asked to stop sending', {
          disableSink: true,
        });
      }
      if (response.status < 200 || response.status > 299) {
        throw new SinkDeliveryError(
          `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
        );
      }
      return undefined;
    },
  };
}

/** The `webhook` sink type. */
export const webhookSink = defineSink({
  type: 'webhook',
  description: 'POSTs the envelope as JSON to a URL, signed per Standard Webhooks.',
  options: webhookOptions,
  // The URL may carry a token in its path or query.
  secrets: ['url', 'secret'],
  concurrency: 32,
  create: (config) => createWebhookSink(config),
});
