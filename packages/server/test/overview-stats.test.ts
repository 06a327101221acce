import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LivehooksServer } from '../src/index.js';
import { craft, deliver, monitorEvent, streamEvent } from './support/crafted-callbacks.js';
import { describeEachDialect } from './support/databases.js';
import { validate } from './support/openapi-validation.js';
import { AUTH, createTestServer } from './support/test-server.js';

interface Stats {
  totals: {
    events: number;
    duplicates: number;
    streams: { live: number; broken: number; lowFramerate: number };
    pendingReview: number;
  };
  recentAlerts: { type: string; occurredAt: number; subject: { streamId?: string } }[];
}

describeEachDialect('overview stats', (databases) => {
  let server: LivehooksServer;
  const stats = async (): Promise<Stats> => {
    await server.projector.idle();
    const response = await server.app.inject({ method: 'GET', url: '/api/stats', headers: AUTH });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json<Stats>();
    expect(validate('/api/stats', 'get', 200, body)).toEqual([]);
    return body;
  };

  beforeAll(async () => {
    server = await createTestServer(databases);
  });
  afterAll(() => server.close());

  it('counts the sender retries of stored callbacks', async () => {
    const push = streamEvent('push', 'retried', '1', 1_700_000_000);
    await deliver(server, push);
    await deliver(server, push);
    await deliver(server, push);
    const { totals } = await stats();
    expect(totals).toMatchObject({ events: 1, duplicates: 2 });
  });

  it('counts live and troubled streams and the items left to review', async () => {
    await deliver(server, streamEvent('push', 'counted-slow', '1', 1_700_000_000));
    await deliver(
      server,
      monitorEvent(
        'css.monitor.low_framerate',
        'counted-slow',
        1_700_000_100_000,
        'stream [ counted-slow ] is slow',
      ),
    );
    await deliver(server, monitorEvent('css.monitor.stream_broken', 'counted-broken', 1_700_000_100_000));
    await deliver(server, craft('css.moderation.image', { streamId: 'counted-slow' }, 'doc-sample'));
    const { totals } = await stats();
    expect(totals.streams).toEqual({ live: 2, broken: 1, lowFramerate: 1 });
    expect(totals.pendingReview).toBe(1);
  });

  it('picks the latest alerts by event time, whatever order they arrived in', async () => {
    const now = Date.now();
    // Happened last, arrived first: 25 older alerts arriving after it must not push it out.
    await deliver(server, monitorEvent('css.monitor.stream_broken', 'alert-latest', now));
    for (let n = 0; n < 25; n++) {
      await deliver(
        server,
        monitorEvent('css.monitor.stream_broken', `alert-old-${n}`, now - 3_600_000 - n * 1000),
      );
    }
    const { recentAlerts } = await stats();
    expect(recentAlerts).toHaveLength(20);
    expect(recentAlerts[0]!.subject.streamId).toBe('alert-latest');
    const times = recentAlerts.map((alert) => alert.occurredAt);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });
});
