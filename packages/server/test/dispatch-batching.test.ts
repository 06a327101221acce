import { afterEach, expect, it, vi } from 'vitest';
import { createServer, type LivehooksServer } from '../src/index.js';
import { claimSize } from '../src/dispatch/dispatcher.js';
import { describeEachDialect } from './support/databases.js';
import { eventually } from './support/test-receiver.js';
import { postCallback, testConfig } from './support/test-server.js';
import { createCallbackFactory } from './support/unique-callbacks.js';

const factory = createCallbackFactory();

it('claims several rounds of a sink concurrency, all of them ending within half the lease', () => {
  expect(claimSize(8, 10_000, 60_000)).toBe(24);
  expect(claimSize(64, 10_000, 60_000)).toBe(192);
  // Never fewer than the concurrency, never more than 256 at once.
  expect(claimSize(8, 30_000, 40_000)).toBe(8);
  expect(claimSize(300, 100, 3_600_000)).toBe(300);
  expect(claimSize(32, 100, 3_600_000)).toBe(256);
});

describeEachDialect('dispatch in batches', (databases) => {
  let server: LivehooksServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('delivers many events per claim with no more than the sink concurrency in flight', async () => {
    const delivered = new Set<string>();
    let inFlight = 0;
    let mostInFlight = 0;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    server = await createServer({
      // A lease of 10 min against a handler's 30 s limit: ten rounds of 2 per claim.
      config: testConfig(databases, { dispatch: { pollMs: 20, leaseMs: 600_000 } }),
      handlers: [
        {
          name: 'slow',
          concurrency: 2,
          handle: async (envelope) => {
            inFlight += 1;
            mostInFlight = Math.max(mostInFlight, inFlight);
            await held;
            await new Promise((resolve) => setTimeout(resolve, 2));
            delivered.add(envelope.id);
            inFlight -= 1;
          },
        },
      ],
    });
    const claim = vi.spyOn(server.dispatch.deliveries, 'claim');
    const callbacks = Array.from({ length: 14 }, (_, index) => factory.make(40_000 + index));
    for (const callback of callbacks) await postCallback(server, callback);
    // Every event is stored while the first claim's deliveries are held: the rest is due at once.
    await eventually(() => Promise.resolve(inFlight > 0 ? true : undefined));
    release();
    await eventually(() => Promise.resolve(delivered.size === callbacks.length ? true : undefined));
    expect(mostInFlight).toBe(2);
    const claimed = await Promise.all(claim.mock.results.map((result) => result.value as Promise<unknown[]>));
    const sizes = claimed.map((deliveries) => deliveries.length).filter((size) => size > 0);
    // The claim after the held one took every delivery still due, attempted 2 at a time.
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(callbacks.length);
    expect(sizes.length).toBe(2);
    expect(sizes[1]).toBe(callbacks.length - sizes[0]!);
  });

  it('aborts an attempt that never ends when the gateway stops', async () => {
    let started!: () => void;
    const attempted = new Promise<void>((resolve) => (started = resolve));
    let aborted = false;
    server = await createServer({
      config: testConfig(databases, { dispatch: { pollMs: 20 } }),
      handlers: [
        {
          name: 'stuck',
          handle: (_envelope, context) => {
            context.signal.addEventListener('abort', () => (aborted = true));
            started();
            return new Promise<void>(() => undefined);
          },
        },
      ],
    });
    await postCallback(server, factory.make(40_100));
    await attempted;
    const closing = Date.now();
    await server.close();
    server = undefined;
    // The attempt is aborted after the 2 s grace, and the gateway closes instead of waiting for ever.
    expect(aborted).toBe(true);
    expect(Date.now() - closing).toBeLessThan(10_000);
  });
});
