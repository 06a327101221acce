import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { sql, type Kysely } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, rebuildProjections, type LivehooksServer } from '../src/index.js';
import { gatewayProjections } from '../src/gateway-projections.js';
import { MODERATION_ITEM_COLUMNS } from '../src/moderation/moderation-tables.js';
import { fitRow, KEY_MAX_BYTES, type ColumnKind } from '../src/projections/fit-row.js';
import { projectionDb } from '../src/projections/projector.js';
import { TASK_COLUMNS } from '../src/tasks/task-tables.js';
import { craft, deliver, monitorEvent, streamEvent, taskEvent } from './support/crafted-callbacks.js';
import { describeEachDialect, type DialectName } from './support/databases.js';
import { validate } from './support/openapi-validation.js';
import { AUTH, testConfig } from './support/test-server.js';

const T0 = 1_760_000_000_000;

/** A CSS 347 smart-erase result with one subtitle segment hitting the keyword 上海. */
function smartErase(streamId: string, taskId: string, startPts: unknown, endPts: unknown) {
  return craft(
    'css.smart_erase',
    {
      stream_id: streamId,
      channel_id: streamId,
      task_id: taskId,
      data: {
        subtitle_tmp_res: [
          {
            src_txt: `上海的天气 ${taskId}`,
            start_pts: startPts,
            end_pts: endPts,
            start_unix_time: 1_760_000_000,
            end_unix_time: 1_760_000_004,
            keywords_info: [{ word: '上海', begin_time: 1, end_time: 2 }],
          },
        ],
      },
    },
    'two-segments',
  );
}

/** A random identifier of `length` ASCII characters that does not compress (PostgreSQL compresses index rows). */
function randomId(prefix: string, length: number): string {
  return `${prefix}${randomBytes(length).toString('base64url')}`.slice(0, length);
}

/** A rule the database enforces on `trtc_tasks`, refusing the row of task `poison`, and its removal. */
const POISON: Record<
  DialectName,
  { add: (db: Kysely<unknown>) => Promise<unknown>; drop: (db: Kysely<unknown>) => Promise<unknown> }
> = {
  sqlite: {
    add: (db) =>
      sql`create trigger refuse_poison before insert on trtc_tasks when new.task_id = 'poison'
        begin select raise(abort, 'refuse_poison: task poison is refused'); end`.execute(db),
    drop: (db) => sql`drop trigger refuse_poison`.execute(db),
  },
  postgres: {
    add: (db) =>
      sql`alter table trtc_tasks add constraint refuse_poison check (task_id <> 'poison') not valid`.execute(
        db,
      ),
    drop: (db) => sql`alter table trtc_tasks drop constraint refuse_poison`.execute(db),
  },
};

/** The columns of `table` that a btree index holds (a trigram index has no size limit per row). */
const INDEXED: Record<DialectName, (db: Kysely<unknown>, table: string) => Promise<string[]>> = {
  sqlite: async (db, table) =>
    (
      await sql<{ name: string }>`select distinct info.name from pragma_index_list(${table}) as list,
        pragma_index_info(list.name) as info`.execute(db)
    ).rows.map((row) => row.name),
  postgres: async (db, table) =>
    (
      await sql<{ name: string }>`select distinct a.attname as name from pg_index i
        join pg_class c on c.oid = i.indrelid
        join pg_attribute a on a.attrelid = c.oid and a.attnum = any(i.indkey)
        join pg_class ic on ic.oid = i.indexrelid
        join pg_am am on am.oid = ic.relam
        where c.relname = ${table} and c.relnamespace = current_schema()::regnamespace
          and am.amname = 'btree'`.execute(db)
    ).rows.map((row) => row.name),
};

/** The column types each kind stands for, as each database reports them. */
const TYPES: Record<ColumnKind, string[]> = {
  integer: ['integer', 'int4'],
  bigint: ['bigint', 'int8'],
  double: ['double precision', 'float8'],
  text: ['text'],
  key: ['text', 'uuid'],
};

describe('fitRow', () => {
  it('nulls what a column cannot hold and keeps what it can', () => {
    const row = fitRow(TASK_COLUMNS, {
      leave_code: 2 ** 31 - 1,
      state_rank: 2 ** 31,
      pass_count: -(2 ** 31),
      started_at: 2 ** 53 - 1,
      stop_at: 2 ** 53,
      error_at: Number.NaN,
      updated_at: Number.POSITIVE_INFINITY,
      state_at: 1.5,
      error_message: 'a\u0000b\ud800',
      error_code: { code: 1 },
      leave_reason: ['x'],
      sdk_app_id: 1400000000,
      state_event: null,
    });
    expect(row).toEqual({
      leave_code: 2 ** 31 - 1,
      state_rank: null,
      pass_count: -(2 ** 31),
      started_at: 2 ** 53 - 1,
      stop_at: null,
      error_at: null,
      updated_at: null,
      state_at: null,
      error_message: 'a\ufffdb\ufffd',
      error_code: null,
      leave_reason: null,
      sdk_app_id: null,
      state_event: null,
    });
    expect(
      fitRow(MODERATION_ITEM_COLUMNS, { score: 1e308, stream_id: '流'.repeat(KEY_MAX_BYTES / 3) }),
    ).toEqual({
      score: 1e308,
      stream_id: '流'.repeat(KEY_MAX_BYTES / 3),
    });
    expect(
      fitRow(MODERATION_ITEM_COLUMNS, { score: -Infinity, stream_id: '流'.repeat(KEY_MAX_BYTES / 3 + 1) }),
    ).toEqual({
      score: null,
      stream_id: null,
    });
  });
});

/** A pino logger whose JSON lines are kept for assertions. */
function capturedLogger() {
  const lines: { level: number; msg: string }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n'))
        if (line) lines.push(JSON.parse(line) as { level: number; msg: string });
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describeEachDialect('projection of values that do not fit their columns', (databases) => {
  let server: LivehooksServer;
  const captured = capturedLogger();
  const get = async <T>(url: string): Promise<T> => {
    await server.projector.idle();
    const response = await server.app.inject({ method: 'GET', url, headers: AUTH });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<T>();
  };
  /** Calls a projection-failure route; checks the answer against the OpenAPI document. */
  const call = async <T>(method: 'GET' | 'POST', route: string, url: string, status = 200): Promise<T> => {
    await server.projector.idle();
    const response = await server.app.inject({ method, url, headers: AUTH });
    expect(response.statusCode, response.body).toBe(status);
    const body = response.json<T>();
    expect(validate(route, method.toLowerCase(), status, body), url).toEqual([]);
    return body;
  };
  type Failure = {
    eventId: string;
    eventType: string;
    code?: string;
    error: string;
    attempts: number;
    failedAt: number;
  };
  type Page<T> = { items: T[]; nextCursor: string | null };
  const failures = async () =>
    (await call<Page<Failure>>('GET', '/api/projections/failures', '/api/projections/failures')).items;
  const retry = (id: string, status = 200) =>
    call<{ projected: boolean; failure?: Failure }>(
      'POST',
      '/api/projections/failures/{id}/retry',
      `/api/projections/failures/${id}/retry`,
      status,
    );
  const setAsideLines = () => captured.lines.filter((line) => line.msg.startsWith('event set aside'));
  const metric = async (name: string) => {
    const text = (await server.app.inject({ method: 'GET', url: '/metrics' })).body;
    return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
  };
  const eventOf = async (query: string) => {
    const { items } = await get<{ items: { id: string }[] }>(`/api/events?${query}`);
    expect(items).toHaveLength(1);
    return get<{ id: string; type: string; payload: Record<string, unknown> }>(`/api/events/${items[0]!.id}`);
  };
  const queued = async () =>
    Number(
      (
        await projectionDb(server.store)
          .selectFrom('projection_queue')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    server = await createServer({ config: testConfig(databases), logger: captured.logger });
  });
  afterAll(() => server.close());

  it('knows the type of every projection column, and caps every text column an index holds', async () => {
    const db = server.store.db as unknown as Kysely<unknown>;
    const tables = await db.introspection.getTables();
    const derived = gatewayProjections.flatMap((projection) => Object.entries(projection.tables));
    expect(derived.map(([table]) => table).sort()).toEqual([
      'alert_events',
      'event_counts',
      'moderation_items',
      'streams',
      'transcripts',
      'trtc_tasks',
    ]);
    for (const [table, kinds] of derived) {
      // Other test schemas on the same PostgreSQL database hold tables of the same names.
      const schema = server.store.profile.schema;
      const columns = tables.find(
        (candidate) => candidate.name === table && (schema === undefined || candidate.schema === schema),
      )!.columns;
      expect(columns.map((column) => column.name).sort(), table).toEqual(Object.keys(kinds).sort());
      for (const column of columns) {
        expect(TYPES[kinds[column.name]!], `${table}.${column.name}`).toContain(
          column.dataType.toLowerCase(),
        );
      }
      for (const column of await INDEXED[databases.dialect](db, table)) {
        if (kinds[column] === 'text') expect.fail(`${table}.${column} is indexed: its kind must be key`);
      }
    }
  });

  it('projects genuine events sent between hostile ones, with the hostile values null', async () => {
    const longStream = 'long-'.padEnd(10_000, 'x');
    const deliveries = [
      streamEvent('push', 'genuine-a', '1', 1_760_000_000),
      taskEvent('trtc.moderation.start', 'task-fraction', T0, { Status: 0 }),
      taskEvent('trtc.moderation.stop', 'task-fraction', T0 + 10, { LeaveCode: 1.5 }),
      smartErase('erase-genuine', 'erase-genuine', 120_000, 123_500),
      smartErase('erase-fraction', 'erase-fraction', 1.5, 2.5),
      taskEvent('trtc.moderation.start', 'task-huge', T0, { Status: 0 }),
      taskEvent('trtc.moderation.stop', 'task-huge', T0 + 10, { LeaveCode: 2 ** 31 }),
      smartErase('erase-huge', 'erase-huge', 1e30, 1e30 + 1),
      monitorEvent(
        'css.monitor.asr',
        'asr-huge',
        T0 + 20,
        `stream [ asr-huge ] callback message: {StartPtsTime:1${'0'.repeat(300)}, EndPtsTime:1${'0'.repeat(400)}, Text:很长的时间}`,
      ),
      taskEvent('trtc.moderation.start', 'task-genuine', T0, { Status: 0 }),
      streamEvent('push', 'nul-text', 'seq\u0000 \ud800', 1_760_000_100),
      monitorEvent(
        'css.monitor.asr',
        'nul-text',
        T0 + 40,
        'stream [ nul-text ] callback message: {StartPtsTime:1, EndPtsTime:2, Text:上海\u0000北京 \udc00}',
      ),
      craft('css.moderation.image', {
        streamId: 'image-genuine',
        screenshotTime: 1_760_000_200,
        img: 'https://cos.example.com/flagged.jpg',
      }),
      taskEvent('trtc.moderation.error', 'task-object-code', T0, { Code: { nested: [1] }, Message: ['x'] }),
      streamEvent('push', longStream, '1', 1_760_000_300),
      streamEvent('push', 'wide-ids', '1', 1_760_000_400),
      taskEvent('trtc.moderation.stop', 'task-genuine', T0 + 10, { LeaveCode: 99 }),
      monitorEvent(
        'css.monitor.asr',
        'asr-genuine',
        T0 + 30,
        'stream [ asr-genuine ] callback message: {StartPtsTime:1.5, EndPtsTime:3, Text:你好北京}',
      ),
      streamEvent('disconnect', 'genuine-a', '1', 1_760_000_500),
    ];
    for (const callback of deliveries) await deliver(server, callback);
    // A row stored before subject ids were bounded (a rebuild replays it) with ids as wide as its own indexes
    // allow: together they are wider than the streams key, which holds both.
    await server.projector.idle();
    const wideApp = randomId('app-', 1500);
    const wideStream = randomId('wide-', 1500);
    const db = projectionDb(server.store);
    const wide = await db
      .updateTable('events')
      .set({ app_id: wideApp, stream_id: wideStream })
      .where('stream_id', '=', 'wide-ids')
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.insertInto('projection_queue').values({ event_id: wide.id }).execute();

    type Task = { taskId: string; state: string; leaveCode?: number; leaveReason?: string };
    const task = (id: string) => get<Task>(`/api/trtc/tasks/${id}`);
    expect(await task('task-genuine')).toMatchObject({ state: 'stopped', leaveCode: 99 });
    const fraction = await task('task-fraction');
    expect(fraction.state).toBe('stopped');
    expect(fraction.leaveCode).toBeUndefined();
    expect((await task('task-huge')).leaveCode).toBeUndefined();
    // An object where Tencent sends a number fails the event's schema: kept as trtc.unknown, in no task.
    const objectCode = await eventOf('task_id=task-object-code');
    expect(objectCode).toMatchObject({
      type: 'trtc.unknown',
      payload: { EventInfo: { Payload: { Code: { nested: [1] } } } },
    });

    expect(await get<{ status: string }>('/api/streams/genuine-a')).toMatchObject({ status: 'offline' });
    expect(await get<{ sessionSequence: string }>('/api/streams/nul-text')).toMatchObject({
      status: 'live',
      sessionSequence: 'seq\ufffd \ufffd',
    });
    expect(await get<{ moderationHits: number }>('/api/streams/image-genuine')).toMatchObject({
      moderationHits: 1,
    });
    const streams = await get<{ items: { streamId: string }[] }>('/api/streams?limit=500');
    expect(streams.items.map((stream) => stream.streamId)).not.toContain(longStream);
    expect(streams.items.map((stream) => stream.streamId)).not.toContain(wideStream);

    type Hit = { eventId: string; streamId?: string; text: string; startMs?: number; endMs?: number };
    const hits = (await get<{ items: Hit[] }>('/api/transcripts?limit=500')).items;
    const hitOf = (streamId: string) => hits.find((hit) => hit.streamId === streamId);
    expect(hitOf('erase-genuine')).toMatchObject({ startMs: 120_000, endMs: 123_500 });
    expect(hitOf('erase-fraction')).toBeDefined();
    expect(hitOf('erase-fraction')!.startMs).toBeUndefined();
    expect(hitOf('erase-huge')).toBeDefined();
    expect(hitOf('erase-huge')!.startMs).toBeUndefined();
    expect(hitOf('asr-huge')).toBeDefined();
    expect(hitOf('asr-huge')!.startMs).toBeUndefined();
    expect(hitOf('asr-genuine')).toMatchObject({ startMs: 1500, endMs: 3000 });
    expect(hitOf('nul-text')).toMatchObject({ text: '上海\ufffd北京 \ufffd' });

    const moderation = await get<{ items: { streamId?: string; mediaType: string }[] }>(
      '/api/moderation?limit=500',
    );
    expect(moderation.items.map((item) => item.streamId).sort()).toEqual(
      ['erase-fraction', 'erase-genuine', 'erase-huge', 'image-genuine'].sort(),
    );

    const stop = await eventOf('task_id=task-fraction&type=trtc.moderation.stop');
    expect(stop.payload).toMatchObject({ EventInfo: { Payload: { LeaveCode: 1.5 } } });
    const erase = await eventOf('stream_id=erase-huge');
    expect(erase.payload).toMatchObject({ data: { subtitle_tmp_res: [{ start_pts: 1e30 }] } });

    expect(await queued()).toBe(0);
    expect(await failures()).toEqual([]);
    expect(setAsideLines()).toEqual([]);
  });

  it('sets aside an event the database refuses, projects the others, and projects it on retry', async () => {
    const db = server.store.db as unknown as Kysely<unknown>;
    const refusal = POISON[databases.dialect];
    const code = { sqlite: 'SQLITE_CONSTRAINT_TRIGGER', postgres: '23514' }[databases.dialect];
    await refusal.add(db);
    try {
      // Committed together, so one projection page holds the refused events and the others.
      await Promise.all([
        deliver(server, taskEvent('trtc.moderation.start', 'poison', T0 + 100, { Status: 0 })),
        deliver(server, taskEvent('trtc.moderation.start', 'beside-poison', T0 + 100, { Status: 0 })),
        deliver(server, streamEvent('push', 'beside-poison', '1', 1_760_001_000)),
        deliver(server, taskEvent('trtc.moderation.stop', 'poison', T0 + 200, { LeaveCode: 99 })),
      ]);
      await deliver(server, taskEvent('trtc.moderation.stop', 'beside-poison', T0 + 200, { LeaveCode: 99 }));

      expect(await get<{ state: string }>('/api/trtc/tasks/beside-poison')).toMatchObject({
        state: 'stopped',
      });
      expect(await get<{ status: string }>('/api/streams/beside-poison')).toMatchObject({ status: 'live' });
      const set = await failures();
      expect(set.map((failure) => failure.eventType).sort()).toEqual([
        'trtc.moderation.start',
        'trtc.moderation.stop',
      ]);
      for (const failure of set) {
        expect(failure).toMatchObject({ code, attempts: 1 });
        expect(failure.error).toContain('refuse_poison');
      }
      expect(await queued()).toBe(0);
      const stats = await get<{ totals: { projectionFailures: number } }>('/api/stats');
      expect(stats.totals.projectionFailures).toBe(2);
      expect(await metric('livehooks_projection_failures')).toBe(2);
      expect(await metric('livehooks_projection_set_aside_total')).toBe(2);

      // Later runs neither retry nor report them again.
      server.projector.schedule();
      await deliver(server, streamEvent('disconnect', 'beside-poison', '1', 1_760_001_100));
      expect(await get<{ status: string }>('/api/streams/beside-poison')).toMatchObject({
        status: 'offline',
      });
      expect(setAsideLines()).toHaveLength(2);

      const first = await call<Page<Failure>>(
        'GET',
        '/api/projections/failures',
        '/api/projections/failures?limit=1',
      );
      expect(first.items).toHaveLength(1);
      const second = await call<Page<Failure>>(
        'GET',
        '/api/projections/failures',
        `/api/projections/failures?limit=1&cursor=${first.nextCursor!}`,
      );
      expect([...first.items, ...second.items].map((failure) => failure.eventId).sort()).toEqual(
        set.map((failure) => failure.eventId).sort(),
      );

      const again = await retry(set[0]!.eventId);
      expect(again).toMatchObject({
        projected: false,
        failure: { eventId: set[0]!.eventId, code, attempts: 2 },
      });
      expect(setAsideLines()).toHaveLength(3);
    } finally {
      await refusal.drop(db);
    }

    for (const failure of await failures()) expect(await retry(failure.eventId)).toEqual({ projected: true });
    expect(await get<{ state: string; leaveCode: number }>('/api/trtc/tasks/poison')).toMatchObject({
      state: 'stopped',
      leaveCode: 99,
    });
    expect(await failures()).toEqual([]);
    expect(await metric('livehooks_projection_failures')).toBe(0);
    expect((await retry('0190a0a0-0000-7000-8000-000000000000', 404)) as unknown).toMatchObject({
      code: 'LH_ERR_NOT_FOUND',
    });
    expect((await retry('not-an-id', 404)) as unknown).toMatchObject({ code: 'LH_ERR_NOT_FOUND' });
  });

  it('keeps events queued, setting none aside, while the database itself fails', async () => {
    const db = server.store.db as unknown as Kysely<unknown>;
    await db.schema.alterTable('transcripts').renameTo('transcripts_away').execute();
    try {
      await deliver(
        server,
        monitorEvent(
          'css.monitor.asr',
          'asr-away',
          T0 + 50,
          'stream [ asr-away ] callback message: {StartPtsTime:1, EndPtsTime:2, Text:稍后再说}',
        ),
      );
      await server.projector.idle();
      await server.projector.idle();
      expect(await queued()).toBe(1);
      expect(await failures()).toEqual([]);
    } finally {
      await db.schema.alterTable('transcripts_away').renameTo('transcripts').execute();
    }
    const hits = await get<{ items: { text: string }[] }>(
      `/api/transcripts?q=${encodeURIComponent('稍后再说')}`,
    );
    expect(hits.items.map((hit) => hit.text)).toEqual(['稍后再说']);
    expect(await queued()).toBe(0);
  });

  it('sets refused events aside during a rebuild too, and rebuilds everything else', async () => {
    const db = server.store.db as unknown as Kysely<unknown>;
    const refusal = POISON[databases.dialect];
    await refusal.add(db);
    try {
      const { events } = await rebuildProjections(server.store);
      expect(events).toBeGreaterThan(20);
    } finally {
      await refusal.drop(db);
    }
    expect((await failures()).map((failure) => failure.eventType).sort()).toEqual([
      'trtc.moderation.start',
      'trtc.moderation.stop',
    ]);
    expect(await queued()).toBe(0);
    expect(await get<{ state: string }>('/api/trtc/tasks/beside-poison')).toMatchObject({ state: 'stopped' });
    expect(await get<{ status: string }>('/api/streams/genuine-a')).toMatchObject({ status: 'offline' });
    const response = await server.app.inject({ method: 'GET', url: '/api/trtc/tasks/poison', headers: AUTH });
    expect(response.statusCode).toBe(404);
  });
});
