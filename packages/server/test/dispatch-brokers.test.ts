import { Redis } from 'ioredis';
import { connect, type NatsConnection } from 'nats';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createServer, type DeliveryEnvelope, type LivehooksServer } from '../src/index.js';
import { NATS_URL, natsAvailable, REDIS_URL, redisAvailable } from './support/brokers.js';
import { describeEachDialect } from './support/databases.js';
import { eventually } from './support/test-receiver.js';
import { testConfig, TEST_INGEST_SECRET } from './support/test-server.js';
import { createCallbackFactory } from './support/unique-callbacks.js';

const factory = createCallbackFactory();
const run = `${process.pid}_${Date.now().toString(36)}`;
let seq = 50_000;

describeEachDialect('dispatch to Redis and NATS', (databases) => {
  let server: LivehooksServer | undefined;
  let redis: Redis;
  let nats: NatsConnection;

  beforeAll(async () => {
    if (redisAvailable) redis = new Redis(REDIS_URL);
    if (natsAvailable) nats = await connect({ servers: NATS_URL });
  });
  afterAll(async () => {
    if (redisAvailable) await redis.quit();
    if (natsAvailable) await nats.close();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const send = async (): Promise<string> => {
    const callback = factory.make(seq++);
    const response = await server!.app.inject({
      method: 'POST',
      url: callback.unsigned ? `/callbacks/${TEST_INGEST_SECRET}` : '/callbacks',
      payload: callback.body,
      headers: callback.headers,
    });
    expect(response.statusCode).toBe(200);
    return (await server!.store.listEvents({ limit: 1 })).items[0]!.id;
  };

  it.runIf(redisAvailable)(
    'appends each event to a Redis Stream with its id, trimmed to MAXLEN ~',
    async () => {
      const stream = `lh_test_${databases.dialect}_${run}`;
      server = await createServer({
        config: testConfig(databases, {
          sinks: [{ name: 'stream', type: 'redis', url: REDIS_URL, stream, maxLen: 1000 }],
          dispatch: { pollMs: 30 },
        }),
      });
      const ids = [await send(), await send(), await send()];
      const entries = await eventually(async () => {
        const found = await redis.xrange(stream, '-', '+');
        return found.length === 3 ? found : undefined;
      });
      const fields = entries.map(([, values]) => Object.fromEntries(chunkPairs(values)));
      expect(fields.map((f) => f.id).sort()).toEqual([...ids].sort());
      const envelope = JSON.parse(fields[0]!.envelope!) as DeliveryEnvelope;
      expect(envelope.id).toBe(fields[0]!.id);
      expect(envelope.type).toBe(fields[0]!.type);
      await redis.del(stream);
    },
  );

  it.runIf(natsAvailable)(
    'publishes to JetStream with Nats-Msg-Id, so a redelivery is deduplicated',
    async () => {
      const prefix = `lhtest_${databases.dialect}_${run}`;
      const jsm = await nats.jetstreamManager();
      await jsm.streams.add({ name: prefix, subjects: [`${prefix}.>`], duplicate_window: 60_000_000_000 });
      try {
        server = await createServer({
          config: testConfig(databases, {
            sinks: [{ name: 'bus', type: 'nats', servers: [NATS_URL], subjectPrefix: prefix }],
            dispatch: { pollMs: 30 },
          }),
        });
        const eventId = await send();
        await eventually(async () =>
          (await jsm.streams.info(prefix)).state.messages === 1 ? true : undefined,
        );
        const message = await jsm.streams.getMessage(prefix, { seq: 1 });
        expect(message.header.get('Nats-Msg-Id')).toBe(eventId);
        const envelope = JSON.parse(new TextDecoder().decode(message.data)) as DeliveryEnvelope;
        expect(message.subject).toBe(`${prefix}.${envelope.type}`);
        const redelivered = await server.dispatch.deliveries.redeliver(eventId, 'bus', Date.now());
        server.dispatch.dispatcher.wake();
        const delivery = await eventually(async () => {
          const [row] = (await server!.dispatch.deliveries.list({ eventId, limit: 5 })).items;
          return row?.status === 'delivered' &&
            row.updatedAt > redelivered!.updatedAt - 1 &&
            row.attempts === 1
            ? row
            : undefined;
        });
        expect(delivery.result).toMatchObject({ duplicate: true });
        expect((await jsm.streams.info(prefix)).state.messages).toBe(1);
      } finally {
        await jsm.streams.delete(prefix);
      }
    },
  );
});

function chunkPairs(values: string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < values.length; i += 2) pairs.push([values[i]!, values[i + 1]!]);
  return pairs;
}
