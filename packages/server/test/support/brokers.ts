import { Redis } from 'ioredis';
import { connect } from 'nats';

/** The Redis the integration suites use. */
export const REDIS_URL = process.env.LIVEHOOKS_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The NATS server (with JetStream) the integration suites use. */
export const NATS_URL = process.env.LIVEHOOKS_TEST_NATS_URL ?? '127.0.0.1:4222';

async function probeRedis(url: string): Promise<string | undefined> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    redis.disconnect();
  }
}

async function probeNats(servers: string): Promise<string | undefined> {
  try {
    const nats = await connect({ servers, timeout: 3000, reconnect: false });
    try {
      await (await nats.jetstreamManager()).getAccountInfo();
      return undefined;
    } finally {
      await nats.close();
    }
  } catch (error) {
    return (error as Error).message;
  }
}

/** Says why a service's suites are skipped; under CI=true a missing service is a failure, not a skip. */
function report(service: string, url: string, env: string, problem: string | undefined): boolean {
  if (problem === undefined) return true;
  const unreachable = `${service} at ${url} is unreachable (${problem})`;
  if (process.env.CI === 'true') {
    throw new Error(`${unreachable}; CI=true requires the ${service} suites. Start it or set ${env}.`);
  }
  console.warn(`${unreachable}: its suites are skipped. Start it or set ${env}.`);
  return false;
}

/** Whether the Redis suites run. */
export const redisAvailable = report(
  'Redis',
  REDIS_URL,
  'LIVEHOOKS_TEST_REDIS_URL',
  await probeRedis(REDIS_URL),
);
/** Whether the NATS JetStream suites run. */
export const natsAvailable = report(
  'NATS JetStream',
  NATS_URL,
  'LIVEHOOKS_TEST_NATS_URL',
  await probeNats(NATS_URL),
);
