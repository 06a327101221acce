import type { Redis } from 'ioredis';
import { z } from 'zod';
import { integerField, textField } from '../_config-fields.js';
import { defineSink, type SinkConfigOf } from '../define-sink.js';
import { SinkDeliveryError, type DeliveryEnvelope, type DeliveryReceipt, type Sink } from '../sink.js';

const redisOptions = z.object({
  url: textField({ pattern: /^rediss?:\/\//, hint: 'a redis:// or rediss:// URL' })
    .default('redis://127.0.0.1:6379')
    .describe('The Redis server, `redis://` or `rediss://` (TLS); it may carry a password.'),
  stream: textField()
    .default('livehooks:{type}')
    .describe('Stream name; `{type}` is replaced by the event type.'),
  maxLen: integerField(1, 1_000_000_000)
    .optional()
    .describe('Approximate trimming, `MAXLEN ~ n`; unset: the stream is not trimmed.'),
});

/** XADD to a Redis Stream. */
export type RedisSinkConfig = SinkConfigOf<'redis', typeof redisOptions>;

/** The stream an event goes to: `{type}` in the configured name is replaced by the event type. */
export function redisStreamName(template: string, type: string): string {
  return template.replaceAll('{type}', type);
}

/**
 * A sink that appends each event to a Redis Stream with XADD: fields `id` (the event id, for consumers to
 * dedupe at-least-once deliveries), `type` and `envelope` (JSON), trimmed with `MAXLEN ~ n` when configured.
 *
 * @example
 * ```ts
 * const sink = createRedisSink({ name: 'stream', type: 'redis', url: 'redis://127.0.0.1:6379', stream: 'livehooks:{type}', ... });
 * ```
 */
export function createRedisSink(config: RedisSinkConfig): Sink {
  let client: Redis | undefined;
  const connection = async (): Promise<Redis> => {
    if (client !== undefined) return client;
    // Loaded on first use: reading the configuration (the CLI's flags) does not load the client.
    const { Redis } = await import('ioredis');
    // Concurrent first deliveries each loaded the module; the first to get here creates the client.
    if (client !== undefined) return client;
    client = new Redis(config.url, {
      lazyConnect: false,
      maxRetriesPerRequest: 1,
      connectTimeout: config.timeoutMs,
      // Failing commands are retried by the dispatcher; the client only reconnects in the background.
      retryStrategy: (times) => Math.min(times * 200, 5000),
    });
    // Once per client: connection errors surface as failed XADDs, recorded on the deliveries.
    client.on('error', () => undefined);
    return client;
  };
  return {
    name: config.name,
    type: 'redis',
    concurrency: config.concurrency,
    async deliver(envelope: DeliveryEnvelope): Promise<DeliveryReceipt | undefined> {
      const stream = redisStreamName(config.stream, envelope.type);
      const trim = config.maxLen === undefined ? [] : ['MAXLEN', '~', String(config.maxLen)];
      try {
        const entry = await (
          await connection()
        ).xadd(
          stream,
          ...(trim as ['MAXLEN', '~', string]),
          '*',
          'id',
          envelope.id,
          'type',
          envelope.type,
          'envelope',
          JSON.stringify(envelope),
        );
        return { result: { stream, entry } };
      } catch (cause) {
        throw new SinkDeliveryError(`XADD ${stream} failed: ${(cause as Error).message}`, { cause });
      }
    },
    async close() {
      await client?.quit().catch(() => client?.disconnect());
    },
  };
}

/** The `redis` sink type. */
export const redisSink = defineSink({
  type: 'redis',
  description: 'Appends each event to a Redis Stream with XADD.',
  options: redisOptions,
  secrets: ['url'],
  concurrency: 64,
  create: (config) => createRedisSink(config),
});
