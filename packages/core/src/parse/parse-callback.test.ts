import { describe, expect, it } from 'vitest';
import { LivehooksError } from '../errors/livehooks-error.js';
import { signCss } from '../signature/css-signature.js';
import { signTrtc } from '../signature/trtc-signature.js';
import { parseCallback, type ParseOptions } from './parse-callback.js';

const NOW = 1_700_000_000_000;
const options: ParseOptions = {
  css: { keys: ['css-key'] },
  trtc: { keys: { '1400000001': 'trtc-key' } },
  now: () => NOW,
};

function cssBody(fields: Record<string, unknown>, t = NOW / 1000 + 600): string {
  return JSON.stringify({ ...fields, t, sign: signCss('css-key', t) });
}

function screenshot(extra: Record<string, unknown> = {}) {
  return cssBody({
    event_type: 200,
    stream_id: 's1',
    pic_url: '/p.jpg',
    create_time: 1_699_999_990,
    ...extra,
  });
}

function trtcRequest(body: string, sdkAppId = '1400000001', key = 'trtc-key') {
  return {
    body,
    headers: { 'Content-Type': 'application/json', SdkAppId: sdkAppId, Sign: signTrtc(key, body) },
  };
}

const trtcStart = JSON.stringify(
  {
    EventGroupId: 11,
    EventType: 1101,
    CallbackTs: 1_726_125_338_219,
    EventInfo: {
      RoomId: 960025,
      EventTs: '1726125338',
      UserId: 'inspect',
      TaskId: 'task-1',
      Payload: { Status: 0 },
    },
  },
  null,
  '\t',
);

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof LivehooksError) return error.code;
    throw error;
  }
  return undefined;
}

describe('parseCallback', () => {
  it('parses a signed CSS callback into a typed envelope', () => {
    const event = parseCallback(screenshot(), { 'content-type': 'application/json' }, options);
    expect(event).toMatchObject({
      type: 'css.screenshot',
      family: 'css',
      source: 'css:200',
      dedupeKey: 'css.screenshot:s1|/p.jpg',
      occurredAt: 1_699_999_990_000,
      receivedAt: NOW,
      subject: { streamId: 's1' },
      auth: { method: 'css-md5', keyId: 'css:0', stale: false },
      headers: { 'content-type': 'application/json' },
    });
    expect(event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('detects TRTC by its headers and verifies the raw bytes', () => {
    const request = trtcRequest(trtcStart);
    const event = parseCallback(request.body, request.headers, options);
    expect(event).toMatchObject({
      type: 'trtc.moderation.start',
      family: 'trtc',
      source: 'trtc:11:1101',
      subject: { roomId: '960025', taskId: 'task-1', userId: 'inspect', sdkAppId: '1400000001' },
      auth: { method: 'trtc-hmac', keyId: 'trtc:1400000001', stale: false },
      occurredAt: 1_726_125_338_000,
    });
    expect(new TextDecoder().decode(event.raw)).toBe(trtcStart);
  });

  it('accepts Headers objects and header arrays', () => {
    const request = trtcRequest(trtcStart);
    expect(parseCallback(request.body, new Headers(request.headers), options).type).toBe(
      'trtc.moderation.start',
    );
    expect(parseCallback(request.body, Object.entries(request.headers), options).type).toBe(
      'trtc.moderation.start',
    );
  });

  it('refuses a TRTC body that was re-serialised after signing', () => {
    const request = trtcRequest(trtcStart);
    const compact = JSON.stringify(JSON.parse(trtcStart));
    expect(codeOf(() => parseCallback(compact, request.headers, options))).toBe('LH_ERR_SIGNATURE_MISMATCH');
  });

  it('refuses a TRTC callback from an app with no key', () => {
    const request = trtcRequest(trtcStart, '1400000002');
    expect(codeOf(() => parseCallback(request.body, request.headers, options))).toBe('LH_ERR_UNKNOWN_APP');
  });

  it('refuses an unsigned TRTC body on the TRTC endpoint unless allowed', () => {
    expect(codeOf(() => parseCallback(trtcStart, {}, { ...options, family: 'trtc' }))).toBe(
      'LH_ERR_SIGNATURE_MISSING',
    );
    expect(codeOf(() => parseCallback(trtcStart, {}, options))).toBe('LH_ERR_SIGNATURE_MISSING');
    const event = parseCallback(trtcStart, {}, { ...options, trtc: { allowUnsigned: true } });
    expect(event.auth.method).toBe('unsigned');
  });

  it('refuses unsigned CSS callbacks unless allowed', () => {
    const monitor = JSON.stringify({ event_type: 328, event_name: 'Other', stream_id: 's', event_time: NOW });
    expect(codeOf(() => parseCallback(monitor, {}, options))).toBe('LH_ERR_SIGNATURE_MISSING');
    const event = parseCallback(monitor, {}, { ...options, css: { keys: ['css-key'], allowUnsigned: true } });
    expect(event.auth).toEqual({ method: 'unsigned', stale: false });
  });

  it('still verifies a signed CSS callback when unsigned ones are allowed', () => {
    const forged = JSON.stringify({
      event_type: 200,
      pic_url: '/p.jpg',
      t: NOW / 1000 + 600,
      sign: 'f'.repeat(32),
    });
    expect(
      codeOf(() =>
        parseCallback(forged, {}, { ...options, css: { keys: ['css-key'], allowUnsigned: true } }),
      ),
    ).toBe('LH_ERR_SIGNATURE_MISMATCH');
  });

  it('flags an expired CSS callback as stale and keeps it', () => {
    const event = parseCallback(
      cssBody({ event_type: 200, pic_url: '/p.jpg' }, NOW / 1000 - 60),
      {},
      options,
    );
    expect(event.type).toBe('css.screenshot');
    expect(event.auth.stale).toBe(true);
  });

  it('keeps an unknown CSS event_type as css.unknown', () => {
    const event = parseCallback(
      cssBody({ event_type: 9999, stream_id: 'abc', extra: { a: 1 } }),
      {},
      options,
    );
    expect(event.type).toBe('css.unknown');
    expect(event.subject).toEqual({ streamId: 'abc' });
    expect(event.data).toMatchObject({ event_type: 9999, extra: { a: 1 } });
    expect(event.issues).toBeUndefined();
  });

  it('keeps an unknown TRTC group as trtc.unknown', () => {
    const body = JSON.stringify({
      EventGroupId: 99,
      EventType: 9901,
      CallbackTs: 5,
      EventInfo: { RoomId: 7, EventMsTs: 42 },
    });
    const request = trtcRequest(body);
    const event = parseCallback(request.body, request.headers, options);
    expect(event).toMatchObject({
      type: 'trtc.unknown',
      source: 'trtc:99:9901',
      occurredAt: 42,
      subject: { roomId: '7' },
    });
  });

  it('keeps a known event that fails its schema as *.unknown with its issues and the type it matched', () => {
    const event = parseCallback(cssBody({ event_type: 200, stream_id: 's1', pic_url: 42 }), {}, options);
    expect(event.type).toBe('css.unknown');
    expect(event.source).toBe('css:200');
    expect(event.classifiedAs).toBe('css.screenshot');
    expect(event.issues).toEqual([expect.objectContaining({ path: 'pic_url' })]);
    expect(parseCallback(screenshot(), {}, options).classifiedAs).toBeUndefined();
    expect(parseCallback(cssBody({ event_type: 9999 }), {}, options).classifiedAs).toBeUndefined();
  });

  it('gives a retry the same fallback dedupe key even when t, sign and CallbackTs change', () => {
    const first = parseCallback(cssBody({ event_type: 9999, a: 1, b: [1, 2] }), {}, options);
    const retry = parseCallback(
      cssBody({ b: [1, 2], a: 1, event_type: 9999 }, NOW / 1000 + 660),
      {},
      options,
    );
    expect(retry.dedupeKey).toBe(first.dedupeKey);
    const other = parseCallback(cssBody({ event_type: 9999, a: 2, b: [1, 2] }), {}, options);
    expect(other.dedupeKey).not.toBe(first.dedupeKey);

    const trtc = (callbackTs: number) =>
      JSON.stringify({ EventGroupId: 99, EventType: 1, CallbackTs: callbackTs, EventInfo: { X: 1 } });
    const a = trtcRequest(trtc(1));
    const b = trtcRequest(trtc(2));
    expect(parseCallback(a.body, a.headers, options).dedupeKey).toBe(
      parseCallback(b.body, b.headers, options).dedupeKey,
    );
  });

  it('gives the same event the same dedupe key whether ids are numbers or strings', () => {
    const numeric = trtcRequest(trtcStart);
    const stringy = trtcRequest(trtcStart.replace('960025', '"960025"'));
    expect(parseCallback(stringy.body, stringy.headers, options).dedupeKey).toBe(
      parseCallback(numeric.body, numeric.headers, options).dedupeKey,
    );
  });

  it.each([
    ['invalid JSON', '{"event_type": 200,', 'LH_ERR_INVALID_JSON'],
    ['truncated JSON', screenshot().slice(0, 30), 'LH_ERR_INVALID_JSON'],
    ['an empty body', '', 'LH_ERR_INVALID_JSON'],
    ['a JSON array', '[1,2]', 'LH_ERR_UNSUPPORTED_CONTENT'],
    ['a JSON string', '"hello"', 'LH_ERR_UNSUPPORTED_CONTENT'],
    ['JSON null', 'null', 'LH_ERR_UNSUPPORTED_CONTENT'],
    ['an object of neither family', '{"hello":1}', 'LH_ERR_UNKNOWN_CALLBACK'],
  ])('refuses %s', (_name, body, code) => {
    expect(codeOf(() => parseCallback(body, {}, options))).toBe(code);
  });

  it('refuses invalid UTF-8', () => {
    const bytes = new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]);
    expect(codeOf(() => parseCallback(bytes, {}, options))).toBe('LH_ERR_INVALID_JSON');
  });

  it('refuses form bodies by content type', () => {
    expect(
      codeOf(() =>
        parseCallback(screenshot(), { 'content-type': 'application/x-www-form-urlencoded' }, options),
      ),
    ).toBe('LH_ERR_UNSUPPORTED_CONTENT');
    expect(
      parseCallback(screenshot(), { 'content-type': 'application/json; charset=utf-8' }, options).type,
    ).toBe('css.screenshot');
  });

  it('refuses bodies above the size limit with 413', () => {
    let error: unknown;
    try {
      parseCallback(screenshot({ pad: 'x'.repeat(2000) }), {}, { ...options, maxBodyBytes: 1000 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LivehooksError);
    expect((error as LivehooksError).code).toBe('LH_ERR_BODY_TOO_LARGE');
    expect((error as LivehooksError).status).toBe(413);
  });

  it('survives hostile bodies: deep nesting and huge numbers', () => {
    const deep = '{"event_type":200,"pic_url":"/p","x":' + '['.repeat(5000) + ']'.repeat(5000) + '}';
    expect(codeOf(() => parseCallback(deep, {}, options))).toBe('LH_ERR_SIGNATURE_MISSING');
    // Numbers beyond double precision, as text: JSON.parse rounds them, nothing throws.
    const huge = cssBody({ event_type: 200, pic_url: '/p', width: 1e308 }).replace(
      '"width":1e+308',
      '"width":1e400,"file_size":123456789012345678901234567890',
    );
    expect(huge).toContain('1e400');
    // 1e400 reads as Infinity, which no numeric field accepts: the callback is kept as unknown with the issue.
    const event = parseCallback(huge, {}, options);
    expect(event.type).toBe('css.unknown');
    expect(event.issues).toEqual([expect.objectContaining({ path: 'width' })]);
    const large = cssBody({ event_type: 200, pic_url: '/p', width: 1e308 }).replace(
      '"width":1e+308',
      '"width":1e308,"file_size":123456789012345678901234567890',
    );
    expect(parseCallback(large, {}, options).type).toBe('css.screenshot');
  });

  it('never puts a key into an error message', () => {
    const request = trtcRequest(trtcStart, '1400000001', 'S3cretSignerKey');
    try {
      parseCallback(request.body, request.headers, options);
    } catch (error) {
      expect((error as Error).message).not.toContain('trtc-key');
      expect((error as Error).message).not.toContain('S3cretSignerKey');
    }
    expect.assertions(2);
  });
});

describe('parseCallback on hostile bodies', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    'refuses SdkAppId %s as an unknown app, whatever the Sign',
    (sdkAppId) => {
      const request = trtcRequest(trtcStart, sdkAppId);
      let error: unknown;
      try {
        parseCallback(request.body, request.headers, options);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(LivehooksError);
      expect((error as LivehooksError).code).toBe('LH_ERR_UNKNOWN_APP');
      expect((error as LivehooksError).status).toBe(401);
      const withMap = { ...options, trtc: { keys: new Map([['1400000001', 'trtc-key']]) } };
      expect(codeOf(() => parseCallback(request.body, request.headers, withMap))).toBe('LH_ERR_UNKNOWN_APP');
    },
  );

  it('takes TRTC keys from a Map too', () => {
    const request = trtcRequest(trtcStart);
    const withMap = { ...options, trtc: { keys: new Map([['1400000001', 'trtc-key']]) } };
    expect(parseCallback(request.body, request.headers, withMap).type).toBe('trtc.moderation.start');
  });

  const notNumbers: [string, unknown][] = [
    ['an object', { toString: 1 }],
    ['an array', [200]],
    ['null', null],
    ['a 100 000 character word', 'x'.repeat(100_000)],
  ];
  const extremeNumbers: [string, unknown][] = [
    ['a huge number', 1e300],
    ['a 100 000 digit string', '9'.repeat(100_000)],
  ];

  it.each(notNumbers)(
    'keeps a CSS body whose event_type is %s as css.unknown with the issue',
    (_name, value) => {
      const event = parseCallback(
        cssBody({ event_type: value, stream_id: 's1', pic_url: '/p.jpg' }),
        {},
        options,
      );
      expect(event.type).toBe('css.unknown');
      expect(event.classifiedAs).toBeUndefined();
      expect(event.issues).toEqual([expect.objectContaining({ path: 'event_type' })]);
      expect(event.source.length).toBeLessThanOrEqual(70);
      expect(event.summary.length).toBeLessThanOrEqual(100);
      expect(event.dedupeKey).toMatch(/^css:.{1,64}:sha256:[0-9a-f]{64}$/);
    },
  );

  it.each(extremeNumbers)('keeps a CSS body whose event_type is %s with a short source', (_name, value) => {
    const event = parseCallback(cssBody({ event_type: value, stream_id: 's1' }), {}, options);
    expect(event.type).toBe('css.unknown');
    expect(event.source.length).toBeLessThanOrEqual(70);
    expect(event.summary.length).toBeLessThanOrEqual(100);
  });

  const trtcBase = { EventGroupId: 11, EventType: 1101, CallbackTs: 1_726_125_338_219 };
  const trtcInfo = { RoomId: 960025, TaskId: 'task-1', EventMsTs: 1_726_125_338_000, Payload: { Status: 0 } };
  const parseTrtc = (body: unknown) => {
    const request = trtcRequest(JSON.stringify(body));
    return parseCallback(request.body, request.headers, options);
  };

  it.each(notNumbers)(
    'keeps a TRTC body whose EventGroupId or EventType is %s as trtc.unknown',
    (_name, value) => {
      for (const field of ['EventGroupId', 'EventType']) {
        const event = parseTrtc({ ...trtcBase, [field]: value, EventInfo: trtcInfo });
        expect(event.type).toBe('trtc.unknown');
        expect(event.issues).toEqual([expect.objectContaining({ path: field })]);
        expect(event.source.length).toBeLessThanOrEqual(140);
        expect(event.summary.length).toBeLessThanOrEqual(200);
        expect(event.occurredAt).toBe(1_726_125_338_000);
        expect(event.subject).toMatchObject({ roomId: '960025', taskId: 'task-1' });
      }
    },
  );

  it.each(notNumbers)(
    'keeps a TRTC body whose EventMsTs is %s as its type failing its schema',
    (_name, value) => {
      const event = parseTrtc({ ...trtcBase, EventInfo: { ...trtcInfo, EventMsTs: value } });
      expect(event.type).toBe('trtc.unknown');
      expect(event.classifiedAs).toBe('trtc.moderation.start');
      expect(event.issues).toEqual([expect.objectContaining({ path: 'EventInfo.EventMsTs' })]);
      expect(event.occurredAt).toBe(trtcBase.CallbackTs);
    },
  );

  it.each(extremeNumbers)('reads an EventMsTs of %s as no event time', (_name, value) => {
    const event = parseTrtc({ ...trtcBase, EventInfo: { ...trtcInfo, EventMsTs: value } });
    expect(event.type).toBe('trtc.moderation.start');
    expect(event.occurredAt).toBe(NOW);
  });

  it('leaves ids too long for an id out of the subject and bounds keys and summaries', () => {
    const long = 'x'.repeat(100_000);
    const event = parseCallback(screenshot({ stream_id: long }), {}, options);
    expect(event.type).toBe('css.screenshot');
    expect(event.subject.streamId).toBeUndefined();
    expect(event.payload.stream_id).toBe(long);
    expect(event.dedupeKey).toMatch(/^css\.screenshot:sha256:[0-9a-f]{64}$/);
    expect(parseCallback(screenshot({ stream_id: `${long}y` }), {}, options).dedupeKey).not.toBe(
      event.dedupeKey,
    );
    const unknown = parseCallback(cssBody({ event_type: 9999, stream_id: long }), {}, options);
    expect(unknown.summary).toBe('CSS event_type 9999');
  });

  it('tells apart two bodies that differ only in a __proto__ key', () => {
    const plain = cssBody({ event_type: 9999, a: 1 });
    const polluted = plain.replace('{', '{"__proto__":{"a":2},');
    expect(JSON.parse(polluted)).toHaveProperty('__proto__');
    const first = parseCallback(plain, {}, options);
    const second = parseCallback(polluted, {}, options);
    expect(second.dedupeKey).not.toBe(first.dedupeKey);
    expect(Object.hasOwn(second.payload, '__proto__')).toBe(true);
  });
});
