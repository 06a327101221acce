import type { NatsConnection } from 'nats';
import { z } from 'zod';
import { stringListField, textField } from '../_config-fields.js';
import { defineSink, type SinkConfigOf } from '../define-sink.js';
import { SinkDeliveryError, type DeliveryEnvelope, type DeliveryReceipt, type Sink } from '../sink.js';

const natsOptions = z.object({
  servers: stringListField()
    .default(['127.0.0.1:4222'])
    .describe('NATS servers, `host:port` or `nats://` URLs.'),
  subjectPrefix: textField({ pattern: /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, hint: 'a NATS subject prefix' })
    .default('livehooks')
    .describe('The subject is `<subjectPrefix>.<event type>`.'),
});

/** Publish to NATS JetStream. */
export type NatsSinkConfig = SinkConfigOf<'nats', typeof natsOptions>;

/** The subject of an event: `<prefix>.<event type>`, e.g. `livehooks.css.moderation.image`. */
export function natsSubject(prefix: string, type: string): string {
  return `${prefix}.${type}`;
}

/**
 * A sink that publishes each envelope to NATS JetStream with `Nats-Msg-Id` = the event id, so JetStream's
 * duplicate window drops the copies our retries send. A stream must capture the subjects (`livehooks.>`).
 *
 * @example
 * ```ts
 * const sink = createNatsSink({ name: 'bus', type: 'nats', servers: ['127.0.0.1:4222'], subjectPrefix: 'livehooks', ... });
 * ```
 * @see https://docs.nats.io/using-nats/developer/develop_jetstream/model_deep_dive#message-deduplication
 */
export function createNatsSink(config: NatsSinkConfig): Sink {
  let connecting: Promise<NatsConnection> | undefined;
  const connection = async (): Promise<NatsConnection> => {
    // Loaded on first use: reading the configuration (the CLI's flags) does not load the client.
    connecting ??= import('nats').then(({ connect }) =>
      connect({ servers: config.servers, timeout: config.timeoutMs, maxReconnectAttempts: -1 }),
    );
    try {
      return await connecting;
    } catch (error) {
      connecting = undefined;
      throw error;
    }
  };
  return {
    name: config.name,
    type: 'nats',
    concurrency: config.concurrency,
    async deliver(envelope: DeliveryEnvelope): Promise<DeliveryReceipt | undefined> {
      const subject = natsSubject(config.subjectPrefix, envelope.type);
      try {
        const nc = await connection();
        const { headers: natsHeaders } = await import('nats');
        const h = natsHeaders();
        h.set('Livehooks-Event-Type', envelope.type);
        const ack = await nc
          .jetstream()
          .publish(subject, new TextEncoder().encode(JSON.stringify(envelope)), {
            msgID: envelope.id,
            headers: h,
            timeout: config.timeoutMs,
          });
        return { result: { subject, stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate } };
      } catch (cause) {
        throw new SinkDeliveryError(`JetStream publish to ${subject} failed: ${(cause as Error).message}`, {
          cause,
        });
      }
    },
    async close() {
      if (connecting === undefined) return;
      const nc = await connecting.catch(() => undefined);
      await nc?.drain().catch(() => nc.close());
    },
  };
}

/** The `nats` sink type. */
export const natsSink = defineSink({
  type: 'nats',
  description: 'Publishes each envelope to NATS JetStream with `Nats-Msg-Id` = the event id.',
  options: natsOptions,
  // A server URL may carry a user and password.
  secrets: ['servers'],
  concurrency: 64,
  create: (config) => createNatsSink(config),
});
