import { samplesOf } from '@livehooks/fixtures';
import { afterEach, expect, it } from 'vitest';
import { createServer, type LivehooksServer } from '../src/index.js';
import { HostedProjector } from '../src/projections/hosted-projector.js';
import { Projector } from '../src/projections/projector.js';
import { describeEachDialect } from './support/databases.js';
import { postCallback, testConfig } from './support/test-server.js';
import { createCallbackFactory } from './support/unique-callbacks.js';

const factory = createCallbackFactory(samplesOf('css.screenshot'));

describeEachDialect('the gateway projector', (databases) => {
  let server: LivehooksServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const sendScreenshot = async (seq: number): Promise<string> => {
    const callback = factory.make(seq);
    await postCallback(server!, callback);
    return (JSON.parse(callback.body) as { stream_id: string }).stream_id;
  };
  const streamRow = (streamId: string) =>
    server!.store.db
      .withTables<{ streams: { stream_id: string } }>()
      .selectFrom('streams')
      .select('stream_id')
      .where('stream_id', '=', streamId)
      .executeTakeFirst();

  it('runs beside the SQLite connection, and on this thread with PostgreSQL', async () => {
    server = await createServer({ config: testConfig(databases) });
    expect(server.projector).toBeInstanceOf(databases.dialect === 'sqlite' ? HostedProjector : Projector);
    const streamId = await sendScreenshot(70_000);
    await server.projector.idle();
    expect(await streamRow(streamId)).toEqual({ stream_id: streamId });
  });

  it.skipIf(databases.dialect !== 'sqlite')(
    'waits for a transaction of the gateway thread to end before it applies a page',
    async () => {
      server = await createServer({ config: testConfig(databases) });
      await server.projector.idle();
      const streamId = await sendScreenshot(70_001);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let inside!: () => void;
      const opened = new Promise<void>((resolve) => (inside = resolve));
      const transaction = server.store.db.transaction().execute(async (trx) => {
        await trx.selectFrom('events').select('id').limit(1).execute();
        inside();
        await held;
      });
      await opened;
      let idle = false;
      const projected = server.projector.idle().then(() => (idle = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      // The page waits: it would otherwise run inside the open transaction of this thread.
      expect(idle).toBe(false);
      release();
      await transaction;
      await projected;
      expect(await streamRow(streamId)).toEqual({ stream_id: streamId });
    },
  );
});
