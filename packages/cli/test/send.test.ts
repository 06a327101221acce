import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSample } from '@livehooks/fixtures';
import { ensureBuilt, runCli } from './support/cli.js';
import { startGateway, type TestGateway } from './support/gateway.js';

/** An error answer whose advice comes after its first 200 characters. */
const LONG_REPLY = JSON.stringify({
  code: 'LH_ERR_BODY_CONSUMED',
  error:
    'the request body was already read by another middleware before the receiver could see the raw bytes, so the signature cannot be checked on what Tencent sent; ' +
    'fix: mount the receiver before any body parser, or pass the raw body (express.raw({ type: "*/*" })) to it',
});

let gateway: TestGateway;
let receiver: Server;
let receiverUrl: string;

beforeAll(async () => {
  await ensureBuilt();
  gateway = await startGateway();
  receiver = createServer((_request, response) => {
    response.writeHead(400, { 'content-type': 'application/json' }).end(LONG_REPLY);
  }).listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/callbacks`;
}, 180_000);
afterAll(async () => {
  await gateway.close();
  receiver.close();
});

describe('livehooks send', () => {
  it("prints the receiver's whole reply, advice included, when the output is not a terminal", async () => {
    const body = freshSample('css.screenshot').body;
    const result = await runCli(['send', '-', '--url', receiverUrl, '--no-retry'], { input: body });
    expect(result.code).toBe(3);
    expect(result.stdout).toContain(`400 ${LONG_REPLY} in `);
  });

  it('refuses to sign a body as the other family unless forced', async () => {
    const css = freshSample('css.screenshot').body;
    const asTrtc = await runCli(['send', '-', '--family', 'trtc', '--sign', '--url', gateway.callbackUrl], {
      input: css,
    });
    expect(asTrtc.code).toBe(2);
    expect(asTrtc.stderr).toContain(
      '--family trtc --sign, but the body is a CSS callback (it has event_type)',
    );

    const trtc = freshSample('trtc.room.exited').body;
    const asCss = await runCli(['send', '-', '--family', 'css', '--sign', '--url', gateway.callbackUrl], {
      input: trtc,
    });
    expect(asCss.code).toBe(2);
    expect(asCss.stderr).toContain('the body is a TRTC callback (it has EventGroupId)');

    const forced = await runCli(
      ['send', '-', '--family', 'trtc', '--sign', '--force', '--url', gateway.callbackUrl, '--no-retry'],
      { input: css },
    );
    expect(forced.code).toBe(0);
  });
});
