import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, runCliIntoClosingReader } from './support/cli.js';
import { startGateway, type TestGateway } from './support/gateway.js';

let gateway: TestGateway;

beforeAll(async () => {
  await ensureBuilt();
  gateway = await startGateway();
  const seeded = await runCli(['trigger', 'css.screenshot', '--url', gateway.callbackUrl, '--count', '3']);
  expect(seeded.code).toBe(0);
}, 180_000);
afterAll(async () => {
  await gateway.close();
});

describe('a reader of standard output that goes away', () => {
  it('ends trigger quietly with exit code 0 after the first line', async () => {
    // The receiver answers once the reader is gone, so the lines after the first meet a closed pipe.
    let readerGone: Promise<void> = Promise.resolve();
    const receiver: Server = createServer((request, response) => {
      request.resume();
      void readerGone.then(() => response.end('{"code":0}'));
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = receiver.address() as AddressInfo;
      const run = runCliIntoClosingReader(
        ['trigger', 'css.screenshot', '--url', `http://127.0.0.1:${port}/`],
        {
          lines: 1,
        },
      );
      readerGone = run.readerGone;
      const result = await run.result;
      expect(result.stdout).toContain('css.screenshot');
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    } finally {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it.each(['list', 'export'])('ends events %s quietly with exit code 0', async (command) => {
    const result = await runCliIntoClosingReader(['events', command, ...gateway.apiArgs], { lines: 0 })
      .result;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});
