import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { samplesOf, signRequest, TEST_KEYS } from '@livehooks/fixtures';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createHashes, type Hashes } from '../crypto/hashes.js';
import { isLivehooksError, type LivehooksError } from '../errors/livehooks-error.js';
import type { AnyLivehooksEvent, EventOf, EventType } from '../events/index.js';
import { createReceiver, type ReceiverOptions } from './create-receiver.js';
import type { EventMatching } from './event-pattern.js';
import { HandlerError } from './handler-error.js';

const options: ReceiverOptions = {
  css: { keys: [TEST_KEYS.css] },
  trtc: { keys: { [TEST_KEYS.trtc.sdkAppId]: TEST_KEYS.trtc.key } },
};

const cssBody = samplesOf('css.screenshot')[0]!.body;
const trtcBody = samplesOf('trtc.moderation.start')[0]!.body;

function cssRequest(signOptions: Parameters<typeof signRequest>[2] = {}) {
  return signRequest('css', cssBody, signOptions);
}

function trtcRequest(signOptions: Parameters<typeof signRequest>[2] = {}) {
  return signRequest('trtc', trtcBody, signOptions);
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe('createReceiver: typed handlers', () => {
  it('types an exact event type as that envelope', () => {
    const receiver = createReceiver(options);
    receiver.on('css.screenshot', (event) => {
      expectTypeOf(event).toEqualTypeOf<EventOf<'css.screenshot'>>();
      expectTypeOf(event.data.pic_url).toEqualTypeOf<string>();
    });
  });

  it('types a prefix pattern as the union of the matching envelopes', () => {
    type Moderation = Extract<EventType, `trtc.moderation.${string}`>;
    expectTypeOf<EventMatching<'trtc.moderation.*'>['type']>().toEqualTypeOf<Moderation>();
    expectTypeOf<EventMatching<'css.*'>['type']>().toEqualTypeOf<Extract<EventType, `css.${string}`>>();
    expectTypeOf<EventMatching<'*'>>().toEqualTypeOf<AnyLivehooksEvent>();
    expectTypeOf<EventMatching<readonly ['css.screenshot', 'trtc.*']>['type']>().toEqualTypeOf<
      'css.screenshot' | Extract<EventType, `trtc.${string}`>
    >();
    const receiver = createReceiver(options);
    receiver.on('trtc.*', (event) => {
      expectTypeOf(event.family).toEqualTypeOf<'css' | 'trtc'>();
      if (event.type === 'trtc.moderation.start') {
        expectTypeOf(event).toEqualTypeOf<EventOf<'trtc.moderation.start'>>();
      }
    });
    receiver.on(['css.screenshot', 'trtc.moderation.start'], (event) => {
      expectTypeOf(event).toEqualTypeOf<EventOf<'css.screenshot'> | EventOf<'trtc.moderation.start'>>();
    });
  });

  it('refuses event types and patterns that match nothing in the catalog', () => {
    const receiver = createReceiver(options);
    const attempts = [
      // @ts-expect-error: a typo is a compile error, and a runtime error for JavaScript callers
      () => receiver.on('css.screnshot', () => undefined),
      // @ts-expect-error: patterns are prefixes followed by `.*`
      () => receiver.on('css.screenshot.*', () => undefined),
      // @ts-expect-error: no family called `rtmp`
      () => receiver.on('rtmp.*', () => undefined),
      () => receiver.on([], () => undefined),
    ];
    for (const attempt of attempts) {
      expect(attempt).toThrow(expect.objectContaining({ code: 'LH_ERR_UNKNOWN_EVENT_TYPE' }));
    }
  });
});

describe('createReceiver: dispatch', () => {
  it('runs the handlers whose type or pattern matches, and no others', async () => {
    const receiver = createReceiver(options);
    const calls: string[] = [];
    receiver.on('css.screenshot', (event) => void calls.push(`exact:${event.type}`));
    receiver.on('css.*', (event) => void calls.push(`css.*:${event.type}`));
    receiver.on('*', (event) => void calls.push(`*:${event.type}`));
    receiver.on('trtc.*', (event) => void calls.push(`trtc.*:${event.type}`));
    receiver.on('trtc.moderation.*', (event) => void calls.push(`trtc.moderation.*:${event.type}`));
    receiver.on(
      ['css.screenshot', 'trtc.moderation.start'],
      (event) => void calls.push(`list:${event.type}`),
    );

    const css = cssRequest();
    await receiver.receive(css.body, css.headers);
    expect(calls.sort()).toEqual([
      '*:css.screenshot',
      'css.*:css.screenshot',
      'exact:css.screenshot',
      'list:css.screenshot',
    ]);

    calls.length = 0;
    const trtc = trtcRequest();
    await receiver.receive(trtc.body, trtc.headers);
    expect(calls.sort()).toEqual([
      '*:trtc.moderation.start',
      'list:trtc.moderation.start',
      'trtc.*:trtc.moderation.start',
      'trtc.moderation.*:trtc.moderation.start',
    ]);
  });

  it('resolves to the verified event', async () => {
    const receiver = createReceiver(options);
    const { body, headers } = trtcRequest();
    const event = await receiver.receive(body, headers);
    expect(event.type).toBe('trtc.moderation.start');
    expect(event.auth).toEqual({
      method: 'trtc-hmac',
      keyId: `trtc:${TEST_KEYS.trtc.sdkAppId}`,
      stale: false,
    });
    expect(new TextDecoder().decode(event.raw)).toBe(trtcBody);
  });

  it('awaits async handlers before resolving, running them concurrently', async () => {
    const receiver = createReceiver(options);
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    receiver.on('css.screenshot', async () => {
      order.push('first started');
      await gate;
      order.push('first finished');
    });
    receiver.on('css.screenshot', () => {
      order.push('second ran');
      release();
    });
    const { body, headers } = cssRequest();
    await receiver.receive(body, headers);
    expect(order).toEqual(['first started', 'second ran', 'first finished']);
  });

  it('stops calling a handler once it is unsubscribed, leaving other registrations in place', async () => {
    const receiver = createReceiver(options);
    let removed = 0;
    let kept = 0;
    const handler = () => void removed++;
    const off = receiver.on('css.screenshot', handler);
    receiver.on('css.screenshot', () => void kept++);
    const { body, headers } = cssRequest();
    await receiver.receive(body, headers);
    off();
    off();
    await receiver.receive(body, headers);
    expect({ removed, kept }).toEqual({ removed: 1, kept: 2 });
  });

  it('calls onAny handlers with every event until unsubscribed', async () => {
    const receiver = createReceiver(options);
    const seen: string[] = [];
    const off = receiver.onAny((event) => {
      expectTypeOf(event).toEqualTypeOf<AnyLivehooksEvent>();
      seen.push(event.type);
    });
    const css = cssRequest();
    const trtc = trtcRequest();
    await receiver.receive(css.body, css.headers);
    await receiver.receive(trtc.body, trtc.headers);
    off();
    await receiver.receive(css.body, css.headers);
    expect(seen).toEqual(['css.screenshot', 'trtc.moderation.start']);
  });
});

describe('createReceiver: errors', () => {
  it('rejects a forged callback without running handlers, and reports it to onError', async () => {
    const receiver = createReceiver(options);
    let ran = false;
    const reported: LivehooksError[] = [];
    receiver.onAny(() => void (ran = true));
    receiver.onError((error) => void reported.push(error));
    const { body, headers } = cssRequest({ cssKey: 'anotherKey' });
    const error = await rejectionOf(receiver.receive(body, headers));
    expect(isLivehooksError(error, 'LH_ERR_SIGNATURE_MISMATCH')).toBe(true);
    expect(ran).toBe(false);
    expect(reported).toEqual([error]);
  });

  it('collects every handler failure into one HandlerError, after every handler ran', async () => {
    const receiver = createReceiver(options);
    const first = new Error('first failure');
    const second = new TypeError('second failure');
    let succeeded = false;
    const reported: LivehooksError[] = [];
    receiver.on('css.screenshot', () => {
      throw first;
    });
    receiver.on('css.*', () => void (succeeded = true));
    receiver.on('*', () => Promise.reject(second));
    receiver.onError((error) => void reported.push(error));
    const { body, headers } = cssRequest();
    const error = await rejectionOf(receiver.receive(body, headers));
    expect(error).toBeInstanceOf(HandlerError);
    const handlerError = error as HandlerError;
    expect(handlerError.code).toBe('LH_ERR_HANDLER_FAILED');
    expect(handlerError.status).toBe(500);
    expect(handlerError.errors).toEqual([first, second]);
    expect(handlerError.event.type).toBe('css.screenshot');
    expect(handlerError.message).toContain('2 of 3 handlers failed for css.screenshot');
    expect(succeeded).toBe(true);
    expect(reported).toEqual([handlerError]);
  });

  it('adds what a failing onError handler threw to the HandlerError it was reporting', async () => {
    const receiver = createReceiver(options);
    const handlerFailure = new Error('handler');
    const reporterFailure = new Error('reporter');
    receiver.on('css.screenshot', () => {
      throw handlerFailure;
    });
    receiver.onError(() => {
      throw reporterFailure;
    });
    const { body, headers } = cssRequest();
    const error = (await rejectionOf(receiver.receive(body, headers))) as HandlerError;
    expect(error.errors).toEqual([handlerFailure, reporterFailure]);
  });

  it('turns a rejection into LH_ERR_HANDLER_FAILED when onError cannot record it', async () => {
    const receiver = createReceiver(options);
    const reporterFailure = new Error('rejection store down');
    receiver.onError(() => Promise.reject(reporterFailure));
    const { body, headers } = cssRequest({ cssKey: 'anotherKey' });
    const error = await rejectionOf(receiver.receive(body, headers));
    expect(isLivehooksError(error, 'LH_ERR_HANDLER_FAILED')).toBe(true);
    const cause = (error as LivehooksError).cause as AggregateError;
    expect(isLivehooksError(cause.errors[0], 'LH_ERR_SIGNATURE_MISMATCH')).toBe(true);
    expect(cause.errors[1]).toBe(reporterFailure);
  });

  it('stops reporting to an onError handler once it is unsubscribed', async () => {
    const receiver = createReceiver(options);
    let reports = 0;
    const off = receiver.onError(() => void reports++);
    const { body, headers } = cssRequest({ cssKey: 'anotherKey' });
    await rejectionOf(receiver.receive(body, headers));
    off();
    await rejectionOf(receiver.receive(body, headers));
    expect(reports).toBe(1);
  });
});

describe('createReceiver: handleRequest', () => {
  const url = 'http://livehooks.test/callbacks';

  it('answers a genuine callback 200 {"code":0} after its handlers ran', async () => {
    const receiver = createReceiver(options);
    const seen: string[] = [];
    receiver.on('trtc.moderation.start', (event) => void seen.push(event.data.TaskId ?? ''));
    const { body, headers } = trtcRequest();
    const response = await receiver.handleRequest(new Request(url, { method: 'POST', body, headers }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.text()).toBe('{"code":0}');
    expect(seen).toEqual([(JSON.parse(trtcBody) as { EventInfo: { TaskId: string } }).EventInfo.TaskId]);
  });

  it('answers 401 { code, error } to a TRTC body that was re-serialised after signing', async () => {
    const receiver = createReceiver(options);
    const { body, headers } = trtcRequest();
    const reserialised = JSON.stringify(JSON.parse(body));
    expect(reserialised).not.toBe(body);
    const response = await receiver.handleRequest(
      new Request(url, { method: 'POST', body: reserialised, headers }),
    );
    expect(response.status).toBe(401);
    const answer = (await response.json()) as { code: string; error: string };
    expect(answer.code).toBe('LH_ERR_SIGNATURE_MISMATCH');
    expect(answer.error).not.toContain(TEST_KEYS.trtc.key);
  });

  it('answers 500 LH_ERR_HANDLER_FAILED when a handler throws, so Tencent retries', async () => {
    const receiver = createReceiver(options);
    receiver.on('css.screenshot', () => {
      throw new Error('database down: postgres://user:secret@db');
    });
    const { body, headers } = cssRequest();
    const response = await receiver.handleRequest(new Request(url, { method: 'POST', body, headers }));
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ code: 'LH_ERR_HANDLER_FAILED' });
    expect(text).not.toContain('secret');
  });

  it('answers 405 with Allow: POST to other methods, without reporting them', async () => {
    const receiver = createReceiver(options);
    let reports = 0;
    receiver.onError(() => void reports++);
    const response = await receiver.handleRequest(new Request(url, { method: 'GET' }));
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(await response.json()).toMatchObject({ code: 'LH_ERR_METHOD_NOT_ALLOWED' });
    expect(reports).toBe(0);
  });

  it('answers 413 from the Content-Length alone, without reading the body', async () => {
    const receiver = createReceiver({ ...options, maxBodyBytes: 1024 });
    const reported: string[] = [];
    receiver.onError((error) => void reported.push(error.code));
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(512));
        if (pulled === 8) controller.close();
      },
    });
    const request = new Request(url, {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/json', 'content-length': '4096' },
      duplex: 'half',
    } as RequestInit);
    const response = await receiver.handleRequest(request);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'LH_ERR_BODY_TOO_LARGE' });
    expect(request.bodyUsed).toBe(false);
    expect(reported).toEqual(['LH_ERR_BODY_TOO_LARGE']);
  });

  it('answers 413 to a body without Content-Length as soon as it passes the limit, discarding the rest', async () => {
    const receiver = createReceiver({ ...options, maxBodyBytes: 1024 });
    let pulled = 0;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let finished!: () => void;
    const drained = new Promise<void>((resolve) => (finished = resolve));
    const stream = new ReadableStream<Uint8Array>({
      // Five chunks (2000 bytes), then the sender stalls until released: the answer must not wait for it.
      async pull(controller) {
        pulled++;
        if (pulled === 6) await released;
        controller.enqueue(new Uint8Array(400));
        if (pulled === 100) {
          controller.close();
          finished();
        }
      },
    });
    const request = new Request(url, {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    const response = await receiver.handleRequest(request);
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'LH_ERR_BODY_TOO_LARGE' });
    expect(pulled).toBeLessThanOrEqual(6);
    release();
    await drained;
    expect(pulled).toBe(100);
  });

  it('cancels an oversized body that goes on past the discard limit', async () => {
    const receiver = createReceiver({ ...options, maxBodyBytes: 1024 });
    const chunk = new Uint8Array(1024 * 1024);
    let pulled = 0;
    let cancelled!: () => void;
    const cancellation = new Promise<void>((resolve) => (cancelled = resolve));
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(chunk);
      },
      cancel: () => cancelled(),
    });
    const request = new Request(url, {
      method: 'POST',
      body: endless,
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    const response = await receiver.handleRequest(request);
    expect(response.status).toBe(413);
    await cancellation;
    expect(pulled).toBeGreaterThan(64);
    expect(pulled).toBeLessThan(80);
  });

  it('answers 500 LH_ERR_BODY_CONSUMED when something read the Request body first', async () => {
    const receiver = createReceiver(options);
    const { body, headers } = trtcRequest();
    const request = new Request(url, { method: 'POST', body, headers });
    await request.json();
    const response = await receiver.handleRequest(request);
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ code: 'LH_ERR_BODY_CONSUMED' });
  });

  it('answers 400 to a body that is not JSON', async () => {
    const receiver = createReceiver(options);
    const response = await receiver.handleRequest(
      new Request(url, {
        method: 'POST',
        body: '{"event_type":',
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'LH_ERR_INVALID_JSON' });
  });

  it('keeps every answer under the 2000 bytes Tencent allows', async () => {
    const receiver = createReceiver(options);
    const huge = JSON.stringify({
      event_type: 200,
      stream_id: 'x'.repeat(5000),
      t: 1,
      sign: 'y'.repeat(5000),
    });
    const response = await receiver.handleRequest(
      new Request(url, {
        method: 'POST',
        body: huge,
        headers: { 'content-type': 'text/x-' + 'z'.repeat(3000) },
      }),
    );
    const text = await response.text();
    let headerBytes = 0;
    response.headers.forEach((value, name) => (headerBytes += name.length + value.length + 4));
    expect(response.status).toBe(400);
    expect(text.length + headerBytes).toBeLessThan(2000);
  });
});

describe('createReceiver: without node:crypto', () => {
  function countingNoble(): { hashes: Hashes; calls: string[] } {
    const noble = createHashes('noble');
    const calls: string[] = [];
    return {
      calls,
      hashes: {
        backend: noble.backend,
        md5Hex: (text) => (calls.push('md5'), noble.md5Hex(text)),
        sha256Hex: (bytes) => (calls.push('sha256'), noble.sha256Hex(bytes)),
        hmacSha256: (key, bytes) => (calls.push('hmac'), noble.hmacSha256(key, bytes)),
      },
    };
  }

  it('verifies CSS and TRTC callbacks with the @noble/hashes backend', async () => {
    const { hashes, calls } = countingNoble();
    expect(hashes.backend).toBe('noble');
    const receiver = createReceiver({ ...options, hashes });
    const types: string[] = [];
    receiver.onAny((event) => void types.push(event.type));
    const css = cssRequest();
    const trtc = trtcRequest();
    const url = 'http://livehooks.test/callbacks';
    const answers = await Promise.all([
      receiver.handleRequest(new Request(url, { method: 'POST', body: css.body, headers: css.headers })),
      receiver.handleRequest(new Request(url, { method: 'POST', body: trtc.body, headers: trtc.headers })),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(types.sort()).toEqual(['css.screenshot', 'trtc.moderation.start']);
    expect(calls).toContain('md5');
    expect(calls).toContain('hmac');
  });

  it('rejects a forged TRTC callback with the @noble/hashes backend', async () => {
    const receiver = createReceiver({ ...options, hashes: createHashes('noble') });
    const { body, headers } = trtcRequest({ trtcKey: 'anotherKey' });
    const error = await rejectionOf(receiver.receive(body, headers));
    expect(isLivehooksError(error, 'LH_ERR_SIGNATURE_MISMATCH')).toBe(true);
  });

  it('imports no node: module in the receiver or the adapters', () => {
    const src = fileURLToPath(new URL('..', import.meta.url));
    const files = ['receiver', 'adapters'].flatMap((dir) =>
      readdirSync(`${src}${dir}`)
        .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
        .map((file) => `${src}${dir}/${file}`),
    );
    expect(files.length).toBeGreaterThan(8);
    const offenders = files.filter((file) =>
      /from '(node:|http|https|stream|crypto|buffer)['/]/.test(readFileSync(file, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});
