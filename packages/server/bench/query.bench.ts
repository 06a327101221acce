/**
 * Query benchmark (`npm run bench:query -w @livehooks/server`): loads a large SQLite store quickly (events
 * inserted in big transactions straight through the store, projections built by `rebuildProjections`), then
 * serves it over HTTP on 127.0.0.1 and measures the p50/p95 latency of every page query the dashboard makes.
 * `BENCH_EVENTS` (default 1 000 000) events are loaded, or as many as fit in `BENCH_LOAD_SECONDS` (default
 * 180); `BENCH_REQUESTS` (default 200) sequential requests per query.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createEventId, parseCallback, type LivehooksEvent } from '@livehooks/core';
import { createServer, loadConfig, openStore, rebuildProjections } from '../src/index.js';
import { toEventRow, type EventRow } from '../src/store/stored-event.js';
import { craft, monitorEvent } from '../test/support/crafted-callbacks.js';
import { createCallbackFactory, TEST_PARSE_OPTIONS } from '../test/support/unique-callbacks.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 180);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const BATCH = 5000;
const STREAMS = 5000;
const TASKS = 2000;
const TOKEN = 'bench-token-bench-token';
const SPAN_MS = 7 * 86_400_000;

function parse(callback: { body: string; headers: Record<string, string> }): LivehooksEvent {
  return parseCallback(callback.body, callback.headers, TEST_PARSE_OPTIONS);
}

/** A pool of parsed events: the fixture mix plus transcripts and moderation hits worth searching for. */
function templates(): EventRow[] {
  const factory = createCallbackFactory();
  const events = Array.from({ length: 400 }, (_, seq) => parse(factory.make(seq)));
  const phrases = [
    '我们在北京天安门看升旗',
    '北京新闻联播开始了',
    '今天上海天气晴朗',
    'welcome to the live show',
    '欢迎来到直播间',
  ];
  phrases.forEach((phrase, index) => {
    events.push(
      parse(
        monitorEvent(
          'css.monitor.asr',
          's',
          1_700_000_000_000 + index,
          `stream [ s ] callback message: {StartPtsTime:1, EndPtsTime:2, Text:${phrase}}`,
        ),
      ),
    );
  });
  for (const suggestion of ['Block', 'Review']) {
    events.push(
      parse(craft('css.moderation.image', { suggestion, streamId: 's', screenshotTime: 1_700_000_000 })),
    );
  }
  return events.map(toEventRow);
}

/** The `n`-th synthetic event: a template with its own id, dedupe key, subject and times. */
function synthetic(template: EventRow, n: number, start: number): EventRow {
  const received = start + Math.floor((n / EVENTS) * SPAN_MS);
  return {
    ...template,
    id: createEventId(received),
    dedupe_key: `${template.dedupe_key}#${n}`,
    received_at: received,
    occurred_at: received - 500,
    stream_id: template.family === 'css' ? `stream-${n % STREAMS}` : template.stream_id,
    task_id: template.task_id === null ? null : `task-${n % TASKS}`,
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'livehooks-query-bench-'));
  const databaseUrl = join(dir, 'livehooks.db');
  const store = await openStore(databaseUrl);
  await store.migrate();
  const pool = templates();
  const start = Date.now() - SPAN_MS;
  const loadStarted = performance.now();
  let loaded = 0;
  while (loaded < EVENTS && performance.now() - loadStarted < LOAD_SECONDS * 1000) {
    const rows: EventRow[] = [];
    for (let i = 0; i < BATCH && loaded + i < EVENTS; i++)
      rows.push(synthetic(pool[(loaded + i) % pool.length]!, loaded + i, start));
    await store.commitBatch({ events: rows, rejections: [] });
    loaded += rows.length;
    if (loaded % 100_000 === 0)
      console.log(`  loaded ${loaded} events (${((performance.now() - loadStarted) / 1000).toFixed(0)} s)`);
  }
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  const rebuildStarted = performance.now();
  const { events: projected } = await rebuildProjections(store);
  const rebuildSeconds = (performance.now() - rebuildStarted) / 1000;
  console.log(
    `loaded ${loaded} events in ${loadSeconds.toFixed(1)} s; rebuilt projections from ${projected} in ${rebuildSeconds.toFixed(1)} s`,
  );

  const config = loadConfig({
    env: {},
    cwd: dir,
    flags: { databaseUrl, dataDir: dir, logLevel: 'silent', apiToken: TOKEN, host: '127.0.0.1', port: 0 },
  });
  const server = await createServer({ config, store });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  const headers = { authorization: `Bearer ${TOKEN}` };
  const get = async (path: string): Promise<unknown> => {
    const response = await fetch(`${base}${path}`, { headers });
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  type Page = { items: Record<string, string>[] };
  const someEvent = ((await get('/api/events?limit=1')) as Page).items[0]!.id!;
  const someStream = ((await get('/api/streams?limit=1')) as Page).items[0]!;
  const someItem = ((await get('/api/moderation?limit=1')) as Page).items[0]!.id!;
  const someTask = ((await get('/api/trtc/tasks?limit=1')) as Page).items[0]!.taskId!;
  const queries: [string, string][] = [
    ['events (newest 50)', '/api/events'],
    ['events by type pattern', '/api/events?type=css.moderation.*'],
    ['events by stream', `/api/events?stream_id=${someStream.streamId}`],
    ['events by family', '/api/events?family=trtc'],
    ['events by summary words', '/api/events?q=broken'],
    ['event detail', `/api/events/${someEvent}`],
    ['streams', '/api/streams'],
    ['streams live', '/api/streams?status=live'],
    ['stream page', `/api/streams/${someStream.streamId}?app_id=${someStream.appId}`],
    ['moderation queue (pending)', '/api/moderation?status=pending'],
    ['moderation item', `/api/moderation/${someItem}`],
    ['TRTC tasks', '/api/trtc/tasks'],
    ['TRTC task page', `/api/trtc/tasks/${encodeURIComponent(someTask)}`],
    ['transcripts "天安门" (trigram index)', `/api/transcripts?q=${encodeURIComponent('天安门')}`],
    ['transcripts "北京" (2 chars, scan)', `/api/transcripts?q=${encodeURIComponent('北京')}`],
    ['rejections', '/api/rejections'],
    ['stats (last hour, per minute)', '/api/stats'],
  ];
  const results: { name: string; p50: number; p95: number }[] = [];
  for (const [name, path] of queries) {
    for (let i = 0; i < 5; i++) await get(path);
    const times: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const t0 = performance.now();
      await get(path);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    results.push({ name, p50: percentile(times, 50), p95: percentile(times, 95) });
  }
  console.log(
    `\n${loaded} events, SQLite, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${REQUESTS} sequential requests per query\n`,
  );
  console.log(`| query | p50 ms | p95 ms |\n| --- | ---: | ---: |`);
  for (const result of results)
    console.log(`| ${result.name} | ${result.p50.toFixed(1)} | ${result.p95.toFixed(1)} |`);
  await server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();
