import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createReceiver,
  type EventMatching,
  type EventOf,
  type LivehooksError,
  type Receiver,
  type Unsubscribe,
} from '@livehooks/core';
import { samplesOf, signRequest, TEST_KEYS, type SignOptions } from '@livehooks/fixtures';
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';

/** A framework server answering callbacks at `url`. */
export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Starts one framework's server, with the adapter under test mounted at `/callbacks`. */
export type StartServer = (receiver: Receiver) => Promise<RunningServer>;

/** The limit the suite's receivers run with: small, so oversized bodies are cheap to send. */
export const MAX_BODY_BYTES = 8 * 1024;

export const cssBody = samplesOf('css.screenshot')[0]!.body;
export const trtcBody = samplesOf('trtc.moderation.start')[0]!.body;

/** A receiver holding the test keys. */
export function createTestReceiver(): Receiver {
  return createReceiver({
    css: { keys: [TEST_KEYS.css] },
    trtc: { keys: { [TEST_KEYS.trtc.sdkAppId]: TEST_KEYS.trtc.key } },
    maxBodyBytes: MAX_BODY_BYTES,
  });
}

/** Resolves to the loopback URL of a Node server once it listens on a free port. */
export function listen(server: Server): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** The answer to a request: status and parsed JSON body. */
export interface Answer {
  status: number;
  contentType: string | null;
  text: string;
  json: { code: number | string; error?: string };
}

/** POSTs a body as Tencent would (or as told), returning the answer. */
export async function post(url: string, body: BodyInit, headers: Record<string, string>): Promise<Answer> {
  const init: RequestInit & { duplex?: 'half' } = { method: 'POST', body, headers };
  if (body instanceof ReadableStream) init.duplex = 'half';
  const response = await fetch(url, init);
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    text,
    json: JSON.parse(text) as Answer['json'],
  };
}

/** A signed CSS body larger than {@link MAX_BODY_BYTES}. */
export function oversizedCss(): { body: string; headers: Record<string, string> } {
  const payload = {
    ...(JSON.parse(cssBody) as Record<string, unknown>),
    padding: 'x'.repeat(MAX_BODY_BYTES * 2),
  };
  return signRequest('css', JSON.stringify(payload));
}

/** A stream of `total` bytes in 1 KiB chunks, sent chunked (no Content-Length). */
export function chunkedStream(total: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const size = Math.min(1024, total - sent);
      controller.enqueue(new Uint8Array(size).fill(0x20));
      sent += size;
      if (sent >= total) controller.close();
    },
  });
}

/** Options for {@link describeAdapter}. */
export interface AdapterSuiteOptions {
  /** Whether the adapter sees non-POST requests and answers 405 (a POST-only route 404s in the framework). */
  answersOtherMethods: boolean;
}

/**
 * The behaviour every adapter shares, run against a real server of its framework on loopback
 * with real signed requests: genuine callbacks reach typed handlers, forged ones are refused
 * before any handler runs, handler failures and oversized bodies get the documented answers.
 */
export function describeAdapter(name: string, start: StartServer, options: AdapterSuiteOptions): void {
  describe(`${name}: shared receiver behaviour`, () => {
    const receiver = createTestReceiver();
    const subscriptions: Unsubscribe[] = [];
    const reported: LivehooksError[] = [];
    let server: RunningServer;
    let url: string;

    beforeAll(async () => {
      receiver.onError((error) => void reported.push(error));
      server = await start(receiver);
      url = `${server.url}/callbacks`;
    });
    afterEach(() => {
      for (const unsubscribe of subscriptions.splice(0)) unsubscribe();
      reported.length = 0;
    });
    afterAll(() => server.close());

    function signed(family: 'css' | 'trtc', signOptions: SignOptions = {}) {
      return signRequest(family, family === 'css' ? cssBody : trtcBody, signOptions);
    }

    function collect() {
      const types: string[] = [];
      subscriptions.push(receiver.onAny((event) => void types.push(event.type)));
      return types;
    }

    it('delivers a genuine CSS callback to its typed handler and answers 200 {"code":0}', async () => {
      const seen: EventOf<'css.screenshot'>[] = [];
      subscriptions.push(
        receiver.on('css.screenshot', (event) => {
          expectTypeOf(event.data.pic_url).toEqualTypeOf<string>();
          seen.push(event);
        }),
      );
      const { body, headers } = signed('css');
      const answer = await post(url, body, headers);
      expect(answer.status).toBe(200);
      expect(answer.text).toBe('{"code":0}');
      expect(answer.contentType).toMatch(/^application\/json/);
      expect(seen).toHaveLength(1);
      expect(seen[0]!.data.pic_url).toBe((JSON.parse(cssBody) as { pic_url: string }).pic_url);
      expect(seen[0]!.auth).toEqual({ method: 'css-md5', keyId: 'css:0', stale: false });
    });

    it('delivers a genuine TRTC callback with its exact bytes and answers 200 {"code":0}', async () => {
      const seen: EventMatching<'trtc.moderation.*'>[] = [];
      subscriptions.push(receiver.on('trtc.moderation.*', (event) => void seen.push(event)));
      const { body, headers } = signed('trtc');
      const answer = await post(url, body, headers);
      expect(answer.status).toBe(200);
      expect(answer.text).toBe('{"code":0}');
      expect(seen.map((event) => event.type)).toEqual(['trtc.moderation.start']);
      expect(new TextDecoder().decode(seen[0]!.raw)).toBe(trtcBody);
      expect(seen[0]!.subject.sdkAppId).toBe(TEST_KEYS.trtc.sdkAppId);
    });

    it('answers 401 LH_ERR_SIGNATURE_MISMATCH to a CSS callback signed with another key, running no handler', async () => {
      const types = collect();
      const { body, headers } = signed('css', { cssKey: 'someoneElsesKey' });
      const answer = await post(url, body, headers);
      expect(answer.status).toBe(401);
      expect(answer.json.code).toBe('LH_ERR_SIGNATURE_MISMATCH');
      expect(answer.text).not.toContain(TEST_KEYS.css);
      expect(types).toEqual([]);
      expect(reported.map((error) => error.code)).toEqual(['LH_ERR_SIGNATURE_MISMATCH']);
    });

    it('answers 401 LH_ERR_SIGNATURE_MISMATCH to a TRTC callback signed with another key, running no handler', async () => {
      const types = collect();
      const { body, headers } = signed('trtc', { trtcKey: 'someoneElsesKey' });
      const answer = await post(url, body, headers);
      expect(answer.status).toBe(401);
      expect(answer.json.code).toBe('LH_ERR_SIGNATURE_MISMATCH');
      expect(answer.text).not.toContain(TEST_KEYS.trtc.key);
      expect(types).toEqual([]);
    });

    it('answers 401 to a TRTC body re-serialised after signing', async () => {
      const types = collect();
      const { body, headers } = signed('trtc');
      const reserialised = JSON.stringify(JSON.parse(body));
      expect(reserialised).not.toBe(body);
      const answer = await post(url, reserialised, headers);
      expect(answer.status).toBe(401);
      expect(answer.json.code).toBe('LH_ERR_SIGNATURE_MISMATCH');
      expect(types).toEqual([]);
    });

    it('answers 500 LH_ERR_HANDLER_FAILED when a handler throws, so Tencent retries', async () => {
      subscriptions.push(
        receiver.on('css.*', () => {
          throw new Error('downstream unavailable');
        }),
      );
      const { body, headers } = signed('css');
      const answer = await post(url, body, headers);
      expect(answer.status).toBe(500);
      expect(answer.json.code).toBe('LH_ERR_HANDLER_FAILED');
      expect(answer.text).not.toContain('downstream unavailable');
      expect(reported.map((error) => error.code)).toEqual(['LH_ERR_HANDLER_FAILED']);
    });

    it('answers 413 LH_ERR_BODY_TOO_LARGE to a body whose Content-Length passes the limit', async () => {
      const types = collect();
      const { body, headers } = oversizedCss();
      const answer = await post(url, body, headers);
      expect(answer.status).toBe(413);
      expect(answer.json.code).toBe('LH_ERR_BODY_TOO_LARGE');
      expect(types).toEqual([]);
    });

    it('answers 413 LH_ERR_BODY_TOO_LARGE to a chunked body once it passes the limit', async () => {
      const answer = await post(url, chunkedStream(MAX_BODY_BYTES * 8), {
        'content-type': 'application/json',
      });
      expect(answer.status).toBe(413);
      expect(answer.json.code).toBe('LH_ERR_BODY_TOO_LARGE');
    });

    it('answers genuine callbacks again after refusing oversized ones', async () => {
      const types = collect();
      const refused = await post(url, chunkedStream(MAX_BODY_BYTES * 4), {
        'content-type': 'application/json',
      });
      expect(refused.status).toBe(413);
      const { body, headers } = signed('trtc');
      const answer = await post(url, body, headers);
      expect(answer.status).toBe(200);
      expect(types).toEqual(['trtc.moderation.start']);
    });

    if (options.answersOtherMethods) {
      it('answers 405 with Allow: POST to a GET', async () => {
        const response = await fetch(url);
        expect(response.status).toBe(405);
        expect(response.headers.get('allow')).toBe('POST');
        expect(await response.json()).toMatchObject({ code: 'LH_ERR_METHOD_NOT_ALLOWED' });
      });
    }
  });
}
