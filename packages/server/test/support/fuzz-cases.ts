import { signCss, signTrtc } from '@livehooks/core';
import { loadSamples, TEST_KEYS, type Sample } from '@livehooks/fixtures';
import fc from 'fast-check';
import type { ModelRequest } from './fuzz-oracle.js';
import { TEST_INGEST_SECRET } from './test-secrets.js';

/**
 * How a raw request's bytes frame its body: `exact` (the server reads the body the case states), `short`
 * (Content-Length below the bytes sent: the rest reads as a second, garbage request), `unfinished`
 * (Content-Length above the bytes sent, then the sender hangs up), `broken` (the HTTP parser must refuse
 * the framing), `oversized-head` (request line and headers well over Node's 16 KiB), `head-near-limit`
 * (close to it: refused with 431 or served), `no-answer-allowed`
 * (CONNECT: Node hands the socket to a tunnel handler the gateway does not have).
 */
export type Framing =
  'exact' | 'short' | 'unfinished' | 'broken' | 'oversized-head' | 'head-near-limit' | 'no-answer-allowed';

/** One generated hostile (or genuine) request. */
export interface FuzzCase {
  /** Which generator made it and how. */
  label: string;
  /** What the gateway sees once the bytes are framed: the input of the answer model. */
  request: ModelRequest;
  /** Header lines in sending order (the test puts its case id first). */
  headers: [string, string][];
  /** Bytes for a raw socket, when an HTTP client would refuse or repair the request. */
  raw?: { head: string | Buffer; tail: Buffer; framing: Framing; halfClose: boolean };
}

/** A Date the genuine CSS signatures expire after: fixed, so a seed replays the same bytes. */
const SIGN_NOW_SECONDS = Math.floor(Date.UTC(2035, 0, 1) / 1000);
const JSON_TYPE = 'application/json';
const samples = loadSamples();
const SIGNED_CSS = (sample: Sample) =>
  sample.family === 'css' && /"sign"\s*:/.test(sample.body) && /"t"\s*:/.test(sample.body);

/** Headers as Node's server hands them over: lowercase names, repeats joined, a few kept once. */
const SINGLE_HEADERS = new Set(['content-type', 'content-length', 'user-agent', 'host', 'authorization']);
export function modelHeaders(lines: readonly (readonly [string, string])[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rawName, rawValue] of lines) {
    const name = rawName.toLowerCase();
    const value = rawValue.trim();
    if (out[name] === undefined) out[name] = value;
    else if (!SINGLE_HEADERS.has(name)) out[name] = `${out[name]}, ${value}`;
  }
  return out;
}

/** Short text of a case for fast-check's counterexample report. */
function describeCase(value: FuzzCase): string {
  const { request } = value;
  const head = request.body.subarray(0, 300);
  const printable = /^[\t\n\r\x20-\x7e]*$/.test(head.toString('latin1'));
  return JSON.stringify({
    label: value.label.length > 200 ? `${value.label.slice(0, 200)}…` : value.label,
    method: request.method,
    path: request.path.length > 200 ? `${request.path.slice(0, 200)}…` : request.path,
    headers:
      value.headers.length > 12
        ? [...value.headers.slice(0, 12), `…${value.headers.length} in all`]
        : value.headers,
    bodyBytes: request.body.byteLength,
    body: printable ? head.toString('latin1') : `hex:${head.toString('hex')}`,
    ...(value.raw === undefined ? {} : { raw: value.raw.framing, halfClose: value.raw.halfClose }),
  });
}

function finish<T extends FuzzCase | StalledCase>(value: T): T {
  const describe = 'request' in value ? () => describeCase(value) : () => JSON.stringify(value.label);
  Object.defineProperty(value, fc.toStringMethod, { value: describe });
  return value;
}

function httpCase(label: string, method: string, path: string, headers: [string, string][], body: Buffer) {
  return finish({ label, request: { method, path, headers: modelHeaders(headers), body }, headers });
}

// ---------- bodies ----------

type Json = Record<string, unknown>;
/** Placeholder strings replaced, after serialising, by text or bytes JSON.stringify cannot produce. */
const MARK = (n: number) => `\u0001mark${n}\u0001`;
const markText = (n: number) => JSON.stringify(MARK(n)).slice(1, -1);

/** Every field path of a payload (objects included), as arrays of keys. */
function fieldPaths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [];
  const out: string[][] = [];
  for (const [key, child] of Object.entries(value as Json)) {
    out.push([...prefix, key]);
    out.push(...fieldPaths(child, [...prefix, key]));
  }
  return out;
}

function setPath(payload: Json, path: readonly string[], value: unknown): Json {
  const copy = structuredClone(payload);
  let target: Json = copy;
  for (const key of path.slice(0, -1)) target = target[key] as Json;
  const last = path.at(-1)!;
  if (value === undefined) delete target[last];
  else target[last] = value;
  return copy;
}

function payloadOf(sample: Sample): Json {
  const payload = JSON.parse(sample.body) as Json;
  delete payload.t;
  delete payload.sign;
  return payload;
}

/** Serialises like Tencent: TRTC pretty-printed with tabs, CSS compact. */
function serialise(sample: Sample, payload: Json): string {
  return sample.family === 'trtc' ? JSON.stringify(payload, null, '\t') : JSON.stringify(payload);
}

/** Splices `"t":…,"sign":…` into the outer object of a JSON text as raw text, so any spelling fits. */
function withCssSignature(text: string, t: string, sign: string): string {
  const fields = `"t":${t},"sign":${sign}`;
  return text.trimStart() === '{}' ? `{${fields}}` : text.replace(/^\s*\{/, `{${fields},`);
}

/** A genuine request for `body`: signed as its family signs, on a URL where it is genuine. */
function signed(sample: Sample, text: string | Buffer) {
  const body = Buffer.isBuffer(text) ? text : Buffer.from(text);
  if (sample.family === 'trtc') {
    return {
      body,
      headers: [
        ['content-type', JSON_TYPE],
        ['sdkappid', TEST_KEYS.trtc.sdkAppId],
        ['sign', signTrtc(TEST_KEYS.trtc.key, body)],
      ] as [string, string][],
    };
  }
  if (!SIGNED_CSS(sample)) return { body, headers: [['content-type', JSON_TYPE]] as [string, string][] };
  const t = String(SIGN_NOW_SECONDS);
  const signedText = withCssSignature(body.toString('latin1'), t, JSON.stringify(signCss(TEST_KEYS.css, t)));
  return {
    body: Buffer.from(signedText, 'latin1'),
    headers: [['content-type', JSON_TYPE]] as [string, string][],
  };
}

/** URLs on which a sample is genuine (unsigned CSS only on the secret URL). */
function genuinePaths(sample: Sample): string[] {
  const secret = [`/callbacks/${TEST_INGEST_SECRET}`, `/callbacks/${TEST_INGEST_SECRET}/${sample.family}`];
  if (sample.family === 'css' && !SIGNED_CSS(sample)) return secret;
  return ['/callbacks', `/callbacks/${sample.family}`, ...secret];
}

const sampleArb = fc.constantFrom(...samples);
/** A sample with its payload (t/sign removed) and one of its genuine URLs. */
const baseArb = sampleArb.chain((sample) =>
  fc.record({
    sample: fc.constant(sample),
    payload: fc.constant(payloadOf(sample)),
    path: fc.constantFrom(...genuinePaths(sample)),
  }),
);

const PROTO_WORDS = [
  '__proto__',
  'constructor',
  'toString',
  'prototype',
  'hasOwnProperty',
  'valueOf',
] as const;
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    -0.0001,
    1e308,
    -1e308,
    2 ** 53 + 1,
    '',
    ' ',
    '0',
    '1e999',
    'NaN',
    '💥',
    '\u0000',
    '\ud800',
    'a'.repeat(5000),
    [],
    [null],
    {},
    { a: 1 },
    [[[[]]]],
    ...PROTO_WORDS,
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 3 }),
);

// ---------- generators ----------

/** Genuine callbacks: a fixture sample on a URL where it is genuine, maybe with a fresh dedupe key. */
const genuine = fc.tuple(baseArb, fc.nat(1_000_000)).map(([{ sample, payload, path }, seq]) => {
  const varied = fieldPaths(payload).reduce(
    (current, fieldPath) =>
      typeof readPath(current, fieldPath) === 'string' &&
      /(stream_?id|TaskId|RoomId)$/i.test(fieldPath.at(-1)!)
        ? setPath(current, fieldPath, `${String(readPath(current, fieldPath))}-${seq}`)
        : current,
    payload,
  );
  const { body, headers } = signed(sample, serialise(sample, varied));
  return httpCase(`genuine ${sample.type}`, 'POST', path, headers, body);
});

function readPath(payload: Json, path: readonly string[]): unknown {
  let value: unknown = payload;
  for (const key of path) value = (value as Json | undefined)?.[key];
  return value;
}

/** A real sample with one field (any depth, classifiers included) of a wrong type, then signed. */
const wrongTypes = fc
  .tuple(baseArb, fc.nat(), hostileValue, fc.boolean())
  .map(([base, index, value, drop]) => {
    const paths = fieldPaths(base.payload);
    const path = paths[index % paths.length]!;
    const payload = setPath(base.payload, path, drop ? undefined : value);
    const { body, headers } = signed(base.sample, serialise(base.sample, payload));
    return httpCase(
      `wrong type at ${path.join('.')} of ${base.sample.type}`,
      'POST',
      base.path,
      headers,
      body,
    );
  });

/** `__proto__`, `constructor`, `toString`, … as keys (top level or nested) and as values, then signed. */
const prototypeKeys = fc
  .tuple(
    baseArb,
    fc.nat(),
    fc.constantFrom(...PROTO_WORDS),
    hostileValue,
    fc.constantFrom('key', 'value', 'nested'),
  )
  .map(([base, index, word, value, where]) => {
    const paths = fieldPaths(base.payload);
    const path = paths[index % paths.length]!;
    let payload: Json;
    let replacement = '';
    if (where === 'value') payload = setPath(base.payload, path, word);
    else {
      // JSON.parse makes `"__proto__"` an own key; JSON.stringify of an object never writes one, so splice it.
      payload = where === 'key' ? { [MARK(1)]: 0, ...base.payload } : setPath(base.payload, path, MARK(1));
      replacement =
        where === 'key'
          ? `"${word}":${JSON.stringify(value) ?? 'null'}`
          : `{"${word}":${JSON.stringify(value) ?? 'null'},"${word}":{"${word}":1}}`;
    }
    let text = serialise(base.sample, payload);
    if (where === 'key') text = text.replace(new RegExp(`"${markText(1)}":\\s*0`), replacement);
    if (where === 'nested') text = text.replace(`"${markText(1)}"`, replacement);
    const { body, headers } = signed(base.sample, text);
    return httpCase(
      `${word} as ${where} at ${path.join('.')} of ${base.sample.type}`,
      'POST',
      base.path,
      headers,
      body,
    );
  });

/** `SdkAppId`/`Sign` headers spelled every which way, prototype words included. */
const trtcHeaders = fc
  .tuple(
    baseArb.filter(({ sample }) => sample.family === 'trtc'),
    fc.constantFrom('Sign', 'SIGN', 'sign', 'sIgN'),
    fc.constantFrom('SdkAppId', 'SDKAPPID', 'sdkappid'),
    fc.constantFrom(
      'as-is',
      'padded',
      'tabbed',
      'urlsafe',
      'unpadded',
      'lowercase',
      'empty',
      'missing',
      'twice',
      'garbage',
      'hex',
      'one-bit',
    ),
    fc.oneof(
      fc.constantFrom(
        TEST_KEYS.trtc.sdkAppId,
        ` ${TEST_KEYS.trtc.sdkAppId} `,
        `0${TEST_KEYS.trtc.sdkAppId}`,
        `${TEST_KEYS.trtc.sdkAppId}.0`,
        '1400000002',
        '99999999999999999999999999',
        '-1400000001',
        '0x5370d201',
        '',
        ...PROTO_WORDS,
        `${TEST_KEYS.trtc.sdkAppId}, ${TEST_KEYS.trtc.sdkAppId}`,
      ),
      fc.string({ unit: 'grapheme-ascii', maxLength: 20 }),
    ),
  )
  .map(([base, signName, appName, spelling, sdkAppId]) => {
    const body = Buffer.from(serialise(base.sample, base.payload));
    const sign = signTrtc(TEST_KEYS.trtc.key, body);
    const spelled: Record<typeof spelling, string[]> = {
      'as-is': [sign],
      padded: [`  ${sign}  `],
      tabbed: [`\t${sign}`],
      urlsafe: [sign.replace(/\+/g, '-').replace(/\//g, '_')],
      unpadded: [sign.replace(/=+$/, '')],
      lowercase: [sign.toLowerCase()],
      empty: [''],
      missing: [],
      twice: [sign, sign],
      garbage: ['not base64 at all!'],
      hex: [Buffer.from(sign, 'base64').toString('hex')],
      'one-bit': [
        Buffer.from(Buffer.from(sign, 'base64').map((byte, i) => (i === 0 ? byte ^ 1 : byte))).toString(
          'base64',
        ),
      ],
    };
    const headers: [string, string][] = [
      ['content-type', JSON_TYPE],
      [appName, sdkAppId],
    ];
    for (const value of spelled[spelling]) headers.push([signName, value]);
    return httpCase(
      `TRTC ${signName}: ${spelling}, ${appName}: ${JSON.stringify(sdkAppId)}`,
      'POST',
      base.path,
      headers,
      body,
    );
  });

/** CSS `t` and `sign` in every spelling: case, whitespace, huge, negative, hex, other types. */
const cssSignatures = fc
  .tuple(
    baseArb.filter(({ sample }) => SIGNED_CSS(sample)),
    fc.oneof(
      fc.constantFrom(String(SIGN_NOW_SECONDS), '0', '1', '1700000000', '999999999999', '9007199254740991'),
      fc.nat().map(String),
    ),
    fc.constantFrom(
      'number',
      'string',
      'spaced',
      'hex',
      'negative',
      'float',
      'exponent',
      'huge',
      'leading-zeros',
      'null',
      'bool',
      'array',
      'object',
      'missing',
    ),
    fc.constantFrom(
      'lower',
      'upper',
      'spaced',
      'other-key',
      'other-t',
      'truncated',
      'number',
      'null',
      'missing',
      'array',
    ),
  )
  .map(([base, tDigits, tSpelling, signSpelling]) => {
    const tTexts: Record<typeof tSpelling, string | undefined> = {
      number: tDigits,
      string: `"${tDigits}"`,
      spaced: `" ${tDigits} "`,
      hex: `"0x${Number(tDigits).toString(16)}"`,
      negative: `-${tDigits}`,
      float: `${tDigits}.5`,
      exponent: `${tDigits}e0`,
      huge: `1${tDigits}${'9'.repeat(400)}`,
      'leading-zeros': `"000${tDigits}"`,
      null: 'null',
      bool: 'true',
      array: `[${tDigits}]`,
      object: `{"t":${tDigits}}`,
      missing: undefined,
    };
    const md5 = signCss(TEST_KEYS.css, tDigits);
    const signs: Record<typeof signSpelling, string | undefined> = {
      lower: `"${md5}"`,
      upper: `"${md5.toUpperCase()}"`,
      spaced: `" ${md5}"`,
      'other-key': `"${signCss('another-key', tDigits)}"`,
      'other-t': `"${signCss(TEST_KEYS.css, `${tDigits}0`)}"`,
      truncated: `"${md5.slice(0, 31)}"`,
      number: '12345',
      null: 'null',
      missing: undefined,
      array: `["${md5}"]`,
    };
    const t = tTexts[tSpelling];
    const sign = signs[signSpelling];
    const fields = [t === undefined ? '' : `"t":${t}`, sign === undefined ? '' : `"sign":${sign}`].filter(
      Boolean,
    );
    const text = serialise(base.sample, base.payload);
    const body = fields.length === 0 ? text : text.replace(/^\{/, `{${fields.join(',')},`);
    return httpCase(
      `CSS t ${tSpelling} ${tDigits}, sign ${signSpelling}`,
      'POST',
      base.path,
      [['content-type', JSON_TYPE]],
      Buffer.from(body),
    );
  });

/** A signed body with one byte changed, or cut short, after signing. */
const tampered = fc
  .tuple(baseArb, fc.nat(), fc.integer({ min: 1, max: 255 }), fc.constantFrom('flip', 'truncate', 'append'))
  .map(([base, position, xor, how]) => {
    const { body, headers } = signed(base.sample, serialise(base.sample, base.payload));
    const at = position % body.byteLength;
    const changed =
      how === 'flip'
        ? Buffer.from(body.map((byte, i) => (i === at ? byte ^ xor : byte)))
        : how === 'truncate'
          ? body.subarray(0, at)
          : Buffer.concat([body, Buffer.from([xor])]);
    return httpCase(
      `${how} at ${at} (^${xor}) of signed ${base.sample.type}`,
      'POST',
      base.path,
      headers,
      changed,
    );
  });

const INVALID_UTF8 = [
  [0xff],
  [0xc3],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe2, 0x82],
  [0x80],
  [0xfe, 0xfe, 0xff],
];

/** Invalid UTF-8 inside a string of a sample, signed over the bytes (TRTC) or with a valid CSS sign. */
const invalidUtf8 = fc
  .tuple(baseArb, fc.nat(), fc.constantFrom(...INVALID_UTF8), fc.boolean())
  .map(([base, index, bytes, whole]) => {
    const paths = fieldPaths(base.payload);
    const path = paths[index % paths.length]!;
    const text = serialise(base.sample, setPath(base.payload, path, whole ? MARK(2) : `a${MARK(2)}b`));
    const [before, after] = text.split(markText(2)) as [string, string];
    const raw = Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]);
    const { body, headers } = signed(base.sample, raw);
    return httpCase(
      `invalid UTF-8 ${Buffer.from(bytes).toString('hex')} at ${path.join('.')}`,
      'POST',
      base.path,
      headers,
      body,
    );
  });

/** Nesting past (or near) the depth limit in a field of a signed sample. */
const deeplyNested = fc
  .tuple(
    baseArb,
    fc.nat(),
    fc.oneof(fc.integer({ min: 55, max: 70 }), fc.integer({ min: 1, max: 100_000 })),
    fc.constantFrom('array', 'object', 'unbalanced'),
  )
  .map(([base, index, depth, shape]) => {
    const paths = fieldPaths(base.payload);
    const path = paths[index % paths.length]!;
    const nested =
      shape === 'array'
        ? `${'['.repeat(depth)}${']'.repeat(depth)}`
        : shape === 'object'
          ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
          : '['.repeat(depth);
    const text = serialise(base.sample, setPath(base.payload, path, MARK(3))).replace(
      `"${markText(3)}"`,
      nested,
    );
    const { body, headers } = signed(base.sample, text);
    return httpCase(`${shape} nested ${depth} deep at ${path.join('.')}`, 'POST', base.path, headers, body);
  });

/** Bodies over (or at) the size limit: JSON with a huge string, or non-JSON bytes. */
function oversized(maxBodyBytes: number) {
  return fc
    .tuple(baseArb, fc.integer({ min: -2, max: 70_000 }), fc.constantFrom('json', 'spaces', 'binary'))
    .map(([base, extra, fill]) => {
      const size = maxBodyBytes + extra;
      const text = serialise(base.sample, setPath(base.payload, [Object.keys(base.payload)[0]!], MARK(4)));
      const [before, after] = text.split(markText(4)) as [string, string];
      const room = Math.max(0, size - Buffer.byteLength(before) - Buffer.byteLength(after));
      const body =
        fill === 'json'
          ? Buffer.concat([Buffer.from(before), Buffer.alloc(room, 0x61), Buffer.from(after)])
          : Buffer.alloc(size, fill === 'spaces' ? 0x20 : 0xff);
      const { headers } = signed(base.sample, Buffer.from('{}'));
      return httpCase(
        `${fill} body of ${size} bytes (limit ${maxBodyBytes})`,
        'POST',
        base.path,
        headers,
        body,
      );
    });
}

/** Genuine bodies under odd content types and a claimed encoding that was not applied. */
const contentTypes = fc
  .tuple(
    baseArb,
    fc.option(
      fc.constantFrom(
        'application/json; charset=utf-8',
        'APPLICATION/JSON',
        'application/json;charset=latin1',
        'application/json; charset="utf-8"',
        'application/json, text/html',
        'text/plain',
        'text/json',
        'text/html',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/xml',
        'application/octet-stream',
        'application/cloudevents+json',
        'application/problem+json',
        'image/png',
        'json',
        '',
        '*/*',
        '__proto__',
        'application/__proto__',
      ),
      { nil: undefined },
    ),
    fc.option(
      fc.constantFrom('gzip', 'br', 'deflate', 'identity', 'gzip, chunked', 'x-unknown', '__proto__'),
      {
        nil: undefined,
      },
    ),
  )
  .map(([base, type, encoding]) => {
    const { body, headers } = signed(base.sample, serialise(base.sample, base.payload));
    const lines = headers.filter(([name]) => name !== 'content-type');
    if (type !== undefined) lines.unshift(['content-type', type]);
    if (encoding !== undefined) lines.push(['content-encoding', encoding]);
    return httpCase(
      `content-type ${String(type)}, encoding ${String(encoding)}`,
      'POST',
      base.path,
      lines,
      body,
    );
  });

// ---------- raw socket requests ----------

function rawCase(
  label: string,
  request: ModelRequest,
  headers: [string, string][],
  raw: NonNullable<FuzzCase['raw']>,
): FuzzCase {
  return finish({ label, request, headers, raw });
}

function headText(requestLine: string, headers: readonly (readonly [string, string])[]): string {
  return [requestLine, ...headers.map(([name, value]) => `${name}: ${value}`)].join('\r\n');
}

/** Node's limit on the request line plus headers (`--max-http-header-size`). */
const MAX_HEADER_BYTES = 16 * 1024;

/** Many headers, or one huge one, around Node's 16 KiB header limit. */
const headerFlood = fc
  .tuple(
    genuine,
    fc.constantFrom('many', 'huge', 'many-signs'),
    fc.integer({ min: 1, max: 3000 }),
    fc.integer({ min: 1, max: 40_000 }),
  )
  .map(([base, how, count, size]) => {
    const extra: [string, string][] =
      how === 'many'
        ? Array.from({ length: count }, (_, i) => [`x-flood-${i}`, 'v'.repeat(i % 17)])
        : how === 'huge'
          ? [['x-huge', 'h'.repeat(size)]]
          : Array.from({ length: Math.min(count, 400) }, () => ['sign', 'AAAA']);
    const headers: [string, string][] = [
      ...base.headers,
      ...extra,
      ['content-length', String(base.request.body.byteLength)],
      ['connection', 'close'],
    ];
    const head = headText(`POST ${base.request.path} HTTP/1.1`, headers);
    const bytes = Buffer.byteLength(head);
    // Node counts the limit over parsed names and values, not these bytes: near it either answer is right.
    const framing: Framing =
      bytes > MAX_HEADER_BYTES * 1.5
        ? 'oversized-head'
        : bytes > MAX_HEADER_BYTES * 0.9
          ? 'head-near-limit'
          : 'exact';
    return rawCase(
      `${how} headers (${extra.length}, ${bytes} bytes of head) on ${base.label}`,
      { ...base.request, headers: modelHeaders(headers) },
      headers,
      { head, tail: base.request.body, framing, halfClose: false },
    );
  });

/** Lying Content-Length, chunked bodies (valid and broken), and conflicting framing headers. */
const framing = fc
  .tuple(
    fc.oneof(genuine, tampered),
    fc.constantFrom(
      'short',
      'unfinished',
      'not-a-number',
      'negative',
      'two-lengths',
      'length-and-chunked',
      'chunked',
      'chunked-extensions',
      'chunked-bad-size',
      'chunked-unterminated',
      'chunked-trailer',
      'gzip-transfer',
      'http10',
      'http-version-9',
    ),
    fc.integer({ min: 1, max: 64 }),
    fc.integer({ min: 1, max: 7 }),
  )
  .map(([base, how, delta, pieces]) => {
    const { body } = base.request;
    const lines = base.headers.filter(([name]) => name.toLowerCase() !== 'content-length');
    const chunked = (extension: string): Buffer => {
      const parts: Buffer[] = [];
      const step = Math.max(1, Math.ceil(body.byteLength / pieces));
      for (let at = 0; at < body.byteLength; at += step) {
        const piece = body.subarray(at, at + step);
        parts.push(
          Buffer.from(`${piece.byteLength.toString(16)}${extension}\r\n`),
          piece,
          Buffer.from('\r\n'),
        );
      }
      return Buffer.concat(parts);
    };
    let version = 'HTTP/1.1';
    let extra: [string, string][] = [['content-length', String(body.byteLength)]];
    let tail: Buffer = body;
    let framingKind: Framing = 'exact';
    let halfClose = false;
    let effective = body;
    switch (how) {
      case 'short':
        extra = [['content-length', String(Math.max(0, body.byteLength - delta))]];
        effective = body.subarray(0, Math.max(0, body.byteLength - delta));
        framingKind = 'short';
        break;
      case 'unfinished':
        extra = [['content-length', String(body.byteLength + delta)]];
        framingKind = 'unfinished';
        halfClose = true;
        break;
      case 'not-a-number':
        extra = [['content-length', `${body.byteLength}abc`]];
        framingKind = 'broken';
        break;
      case 'negative':
        extra = [['content-length', `-${delta}`]];
        framingKind = 'broken';
        break;
      case 'two-lengths':
        extra = [
          ['content-length', String(body.byteLength)],
          ['content-length', String(body.byteLength + delta)],
        ];
        framingKind = 'broken';
        break;
      case 'length-and-chunked':
        extra = [
          ['content-length', String(body.byteLength)],
          ['transfer-encoding', 'chunked'],
        ];
        tail = Buffer.concat([chunked(''), Buffer.from('0\r\n\r\n')]);
        framingKind = 'broken';
        break;
      case 'chunked':
      case 'chunked-extensions':
      case 'chunked-trailer':
        extra = [['transfer-encoding', delta % 2 === 0 ? 'chunked' : 'Chunked']];
        tail = Buffer.concat([
          chunked(how === 'chunked-extensions' ? ';name=value' : ''),
          Buffer.from(how === 'chunked-trailer' ? '0\r\nx-trailer: 1\r\n\r\n' : '0\r\n\r\n'),
        ]);
        break;
      case 'chunked-bad-size':
        extra = [['transfer-encoding', 'chunked']];
        tail = Buffer.concat([Buffer.from('zz\r\n'), body, Buffer.from('\r\n0\r\n\r\n')]);
        framingKind = 'broken';
        break;
      case 'chunked-unterminated':
        extra = [['transfer-encoding', 'chunked']];
        tail = chunked('');
        framingKind = 'unfinished';
        halfClose = true;
        break;
      case 'gzip-transfer':
        extra = [['transfer-encoding', 'gzip']];
        framingKind = 'broken';
        break;
      case 'http10':
        version = 'HTTP/1.0';
        break;
      case 'http-version-9':
        version = 'HTTP/9.9';
        framingKind = 'broken';
        break;
    }
    const headers: [string, string][] = [...lines, ...extra, ['connection', 'close']];
    return rawCase(
      `${how} framing of ${base.label}`,
      { ...base.request, headers: modelHeaders(headers), body: effective },
      headers,
      {
        head: headText(`POST ${base.request.path} ${version}`, headers),
        tail,
        framing: framingKind,
        halfClose,
      },
    );
  });

function nearMisses(secret: string): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.nat(secret.length - 1),
      fc.constantFrom('replace', 'delete', 'insert', 'upper', 'prefix', 'suffix'),
      fc.constantFrom('a', 'Z', '0', '-', '_', '~'),
    )
    .map(([at, how, char]) => {
      switch (how) {
        case 'replace':
          return secret.slice(0, at) + (secret[at] === char ? 'q' : char) + secret.slice(at + 1);
        case 'delete':
          return secret.slice(0, at) + secret.slice(at + 1);
        case 'insert':
          return secret.slice(0, at) + char + secret.slice(at);
        case 'upper':
          return secret.toUpperCase();
        case 'prefix':
          return secret.slice(0, at + 1);
        default:
          return secret + char;
      }
    });
}

const percentEncoded = (text: string) =>
  [...text].map((char) => `%${char.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');

/** Odd request targets: encodings, dot segments, near misses of the secret, `/%`, absolute form. */
const oddPaths = fc
  .tuple(
    genuine,
    fc.oneof(
      nearMisses(TEST_INGEST_SECRET).map((miss) => `/callbacks/${miss}`),
      nearMisses(TEST_INGEST_SECRET).map((miss) => `/callbacks/${miss}/css`),
      fc.constantFrom(
        '/%',
        '/callbacks/%',
        '/callbacks/%zz',
        '/callbacks/%2e%2e/callbacks',
        '/callbacks/..',
        '/callbacks/.',
        '/callbacks/./css',
        '/callbacks/../callbacks',
        '/callbacks%2Fcss',
        '/callbacks/%63ss',
        `/callbacks/${TEST_INGEST_SECRET}%2Fcss`,
        `/callbacks/${percentEncoded(TEST_INGEST_SECRET)}`,
        `/callbacks/${TEST_INGEST_SECRET}/`,
        `/callbacks/${TEST_INGEST_SECRET}/css/`,
        `/callbacks/${TEST_INGEST_SECRET}/xss`,
        `/callbacks/${TEST_INGEST_SECRET}/css/extra`,
        `/callbacks/${TEST_INGEST_SECRET}%00`,
        `/callbacks/${TEST_INGEST_SECRET}%20`,
        '/callbacks/',
        '//callbacks',
        '/callbacks//css',
        '/CALLBACKS',
        '/Callbacks/css',
        '/callbacks;x=1',
        '/callbacks/css;jsessionid=1',
        '/callbacks?__proto__=1&constructor[prototype]=2',
        '/callbacks/trtc?secret=1',
        '/callbacks#fragment',
        '/callbacks/%00',
        '/callbacks/%ff%fe',
        '/callbacks/__proto__',
        '/callbacks/constructor',
        '/callbacks/toString',
        '/callbacks/__proto__/css',
        '/callbacks/\u00e9',
        '/callbacks/ /css',
        '*',
        'http://127.0.0.1/callbacks',
        '/api/../callbacks',
        `/callbacks/${'x'.repeat(5000)}`,
        '/',
        '/healthz',
      ),
    ),
  )
  .map(([base, path]) => {
    const request = { ...base.request, path };
    if (/^[\x21-\x7e]+$/.test(path))
      return httpCase(`path ${path} with ${base.label}`, 'POST', path, base.headers, base.request.body);
    const headers: [string, string][] = [
      ...base.headers,
      ['content-length', String(base.request.body.byteLength)],
      ['connection', 'close'],
    ];
    const head = Buffer.concat([
      Buffer.from('POST '),
      Buffer.from(path, 'latin1'),
      Buffer.from(` HTTP/1.1\r\n${headText('', headers).slice(2)}`),
    ]);
    return rawCase(
      `raw path ${JSON.stringify(path)} with ${base.label}`,
      { ...request, headers: modelHeaders(headers) },
      headers,
      {
        head,
        tail: base.request.body,
        framing: 'exact',
        halfClose: false,
      },
    );
  });

const ROUTER_METHODS = [
  'GET',
  'HEAD',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'TRACE',
  'PROPFIND',
  'SEARCH',
  'MKCOL',
  'COPY',
  'LOCK',
  'PURGE',
  'QUERY',
];

/** Methods other than POST on callback URLs, including ones the HTTP parser does not know. */
const oddMethods = fc
  .tuple(
    genuine,
    fc.constantFrom(...ROUTER_METHODS, 'post', 'Post', 'P0ST', 'FOO', 'CONNECT', 'BREW'),
    fc.constantFrom(
      '/callbacks',
      '/callbacks/css',
      '/callbacks/trtc',
      `/callbacks/${TEST_INGEST_SECRET}`,
      `/callbacks/${TEST_INGEST_SECRET}/trtc`,
      '/callbacks/wrong-secret',
    ),
  )
  .map(([base, method, path]) => {
    if (ROUTER_METHODS.includes(method))
      return httpCase(`${method} ${path}`, method, path, base.headers, base.request.body);
    const headers: [string, string][] = [
      ...base.headers,
      ['content-length', String(base.request.body.byteLength)],
      ['connection', 'close'],
    ];
    const target = method === 'CONNECT' ? '127.0.0.1:1' : path;
    return rawCase(
      `raw ${method} ${target}`,
      { method, path, headers: modelHeaders(headers), body: base.request.body },
      headers,
      {
        head: headText(`${method} ${target} HTTP/1.1`, headers),
        tail: base.request.body,
        framing: method === 'CONNECT' ? 'no-answer-allowed' : 'broken',
        halfClose: false,
      },
    );
  });

/** Every kind of hostile request, and genuine ones among them, for a gateway with this body limit. */
export function fuzzCases(maxBodyBytes: number): fc.Arbitrary<FuzzCase> {
  return fc.oneof(
    { weight: 4, arbitrary: genuine },
    { weight: 4, arbitrary: wrongTypes },
    { weight: 3, arbitrary: prototypeKeys },
    { weight: 3, arbitrary: cssSignatures },
    { weight: 3, arbitrary: trtcHeaders },
    { weight: 3, arbitrary: tampered },
    { weight: 1, arbitrary: invalidUtf8 },
    { weight: 1, arbitrary: deeplyNested },
    { weight: 1, arbitrary: oversized(maxBodyBytes) },
    { weight: 2, arbitrary: contentTypes },
    { weight: 1, arbitrary: headerFlood },
    { weight: 3, arbitrary: framing },
    { weight: 3, arbitrary: oddPaths },
    { weight: 2, arbitrary: oddMethods },
  );
}

/** A request that stops mid-way and holds its connection open: head cut short, or body short of its length. */
export interface StalledCase {
  label: string;
  bytes: Buffer;
}

/** Senders that stall: part of the head, or the head and part of the body, then nothing. */
export const stalledCases: fc.Arbitrary<StalledCase> = fc
  .tuple(genuine, fc.constantFrom('head', 'body', 'chunked'), fc.nat())
  .map(([base, where, cut]) => {
    const { body } = base.request;
    const lines: [string, string][] = [
      ['host', '127.0.0.1'],
      ...base.headers,
      where === 'chunked' ? ['transfer-encoding', 'chunked'] : ['content-length', String(body.byteLength)],
    ];
    const head = Buffer.from(`${headText(`POST ${base.request.path} HTTP/1.1`, lines)}\r\n\r\n`);
    const bytes =
      where === 'head'
        ? head.subarray(0, 1 + (cut % (head.byteLength - 4)))
        : where === 'body'
          ? Buffer.concat([head, body.subarray(0, cut % body.byteLength)])
          : Buffer.concat([
              head,
              Buffer.from(`${body.byteLength.toString(16)}\r\n`),
              body.subarray(0, cut % body.byteLength),
            ]);
    return finish({ label: `${where} stalled after ${bytes.byteLength} bytes of ${base.label}`, bytes });
  });
