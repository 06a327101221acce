import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EventOf } from '../index.js';
import { parseCallback, type ParseOptions } from '../../parse/parse-callback.js';
import { signCss } from '../../signature/css-signature.js';

const SAMPLES = new URL('../../../../fixtures/samples/css.moderation.image/', import.meta.url);
const KEY = 'css-test-key';
const RECEIVED_AT = 1_615_859_830_000;
// receipt + 600 s, as Tencent sets the expiry (https://cloud.tencent.com/document/product/267/32744)
const T = 1_615_860_430;
const options: ParseOptions = { css: { keys: [KEY] }, now: () => RECEIVED_AT };

/** Re-signs a body with the test key, as the fixtures' signer does: the samples' `sign` is a placeholder. */
function signed(payload: Record<string, unknown>): string {
  return JSON.stringify({ ...payload, t: T, sign: signCss(KEY, T) });
}

function parseSample(name: string) {
  const payload = JSON.parse(readFileSync(new URL(`${name}.json`, SAMPLES), 'utf8')) as Record<
    string,
    unknown
  >;
  return parsePayload(payload);
}

function parsePayload(payload: Record<string, unknown>): EventOf<'css.moderation.image'> {
  const event = parseCallback(signed(payload), { 'content-type': 'application/json' }, options);
  expect(event.issues).toBeUndefined();
  expect(event.type).toBe('css.moderation.image');
  return event as EventOf<'css.moderation.image'>;
}

const pornHit = {
  kind: 'label',
  scene: 'Porn',
  label: 'Porn',
  subLabel: 'PornHigh',
  suggestion: 'Block',
  score: 99,
} as const;

describe('css.moderation.image from the fixtures', () => {
  it('reads the doc sample, its `socre` typo included', () => {
    const event = parseSample('doc-sample');
    expect(event.source).toBe('css:317');
    expect(event.auth).toEqual({ method: 'css-md5', keyId: 'css:0', stale: false });
    const { labelResults, objectResults, ocrResults, libResults, ...verdict } = event.data;
    expect(verdict).toEqual({
      appid: '10000',
      app: '5000.myqcloud.com',
      appname: 'live',
      streamId: 'teststream',
      channelId: 'teststream',
      img: 'http://1.1.1.1/download/porn/test.jpg',
      ocrMsg: '',
      type: [1],
      scores: [99],
      score: 99,
      suggestion: 'Block',
      label: 'Porn',
      subLabel: 'PornHigh',
      hits: [pornHit],
      hitLabels: ['Porn'],
      screenshotTime: 1610640000,
      sendTime: 1615859827,
    });
    expect(labelResults).toHaveLength(4);
    expect(labelResults[1]).toEqual({
      HitFlag: 1,
      Scene: 'Porn',
      Suggestion: 'Block',
      Label: 'Porn',
      SubLabel: 'PornHigh',
      Score: 99,
      Details: [
        { Id: 0, Name: 'PornHigh', Score: 99 },
        { Id: 1, Name: 'WomenChest', Score: 99 },
      ],
    });
    expect(objectResults.map((result) => result.Scene)).toEqual(['QrCode', 'MapRecognition', 'PolityFace']);
    expect(ocrResults).toEqual([
      {
        HitFlag: 0,
        Scene: 'OCR',
        Suggestion: 'Pass',
        Label: 'Normal',
        SubLabel: '',
        Score: 0,
        Text: '',
        Details: [],
      },
    ]);
    expect(libResults).toEqual([]);
    expect(event.subject).toEqual({ appId: '10000', streamId: 'teststream' });
    expect(event.occurredAt).toBe(1610640000000);
    expect(event.dedupeKey).toBe(
      'css.moderation.image:teststream|1610640000|http://1.1.1.1/download/porn/test.jpg',
    );
    expect(event.summary).toBe('stream teststream image Porn/PornHigh score 99: Block');
  });

  it('normalises the lowercase `label` of the field tables to `Label`, in results and details', () => {
    const event = parseSample('lowercase-label');
    const { data } = event;
    expect(data.labelResults[1]).toMatchObject({ Label: 'Ad', SubLabel: 'QRCode', Score: 82 });
    expect(data.labelResults[1]).not.toHaveProperty('label');
    expect(data.ocrResults[0]?.Details).toEqual([
      {
        Text: '扫码领取优惠',
        Label: 'Ad',
        Keywords: ['扫码'],
        Score: 70,
        Location: { X: 10, Y: 300, Width: 200, Height: 30, Rotate: 0 },
      },
    ]);
    expect(data.libResults[0]?.Details).toEqual([
      { Id: 0, ImageId: 'img-1', Label: 'Normal', Tag: '', Score: 0 },
    ]);
    expect(data.hits).toEqual([
      { kind: 'label', scene: 'Ad', label: 'Ad', subLabel: 'QRCode', suggestion: 'Review', score: 82 },
      { kind: 'object', scene: 'QrCode', label: 'Ad', subLabel: 'QRCode', suggestion: 'Review', score: 82 },
      { kind: 'ocr', scene: 'OCR', label: 'Ad', subLabel: '', suggestion: 'Review', score: 70 },
    ]);
    expect(data.hitLabels).toEqual(['Ad']);
    expect(data).toMatchObject({ type: [5], scores: [82], score: 82, suggestion: 'Review', label: 'Ad' });
    expect(event.subject).toEqual({ appId: '10000', streamId: 'shop-live' });
    expect(event.occurredAt).toBe(1715859800000);
    expect(event.dedupeKey).toBe(
      'css.moderation.image:shop-live|1715859800|http://1.1.1.1/download/porn/ad-0001.jpg',
    );
    expect(event.summary).toBe('stream shop-live image Ad/QRCode score 82: Review');
  });

  it('reads `type` and `score` sent as single numbers as lists', () => {
    const event = parseSample('scalar-type-score');
    expect(event.data).toMatchObject({ type: [1], scores: [99], score: 99 });
    expect(event.summary).toBe('stream teststream image Porn/PornHigh score 99: Block');
  });

  it('reads null result lists as empty lists and still gives the verdict', () => {
    const event = parseSample('null-results');
    expect(event.data).toMatchObject({
      labelResults: [],
      objectResults: [],
      ocrResults: [],
      libResults: [],
      hits: [],
      hitLabels: [],
      scores: [99],
      score: 99,
      suggestion: 'Block',
      label: 'Porn',
      subLabel: 'PornHigh',
    });
    expect(event.dedupeKey).toBe(
      'css.moderation.image:teststream|1610640120|http://1.1.1.1/download/porn/test-3.jpg',
    );
  });

  it('reads ids and times sent as numeric strings, and a numeric streamId as a string', () => {
    const event = parseSample('numeric-string-ids');
    expect(event.data).toMatchObject({
      appid: '10000',
      streamId: '20240101',
      channelId: '20240101',
      type: [1],
      scores: [99],
      screenshotTime: 1610640180,
      sendTime: 1615859900,
    });
    expect(event.subject).toEqual({ appId: '10000', streamId: '20240101' });
    expect(event.occurredAt).toBe(1610640180000);
    expect(event.dedupeKey).toBe(
      'css.moderation.image:20240101|1610640180|http://1.1.1.1/download/porn/test-4.jpg',
    );
    expect(event.summary).toBe('stream 20240101 image Porn/PornHigh score 99: Block');
  });

  it('reads `socre` sent as a list, as the English page shows it', () => {
    const event = parseSample('variant-socre-array');
    expect(event.data).toMatchObject({ type: [1], scores: [99], score: 99 });
    expect(event.summary).toBe('stream teststream image Porn/PornHigh score 99: Block');
  });
});

describe('css.moderation.image verdict derivation', () => {
  const minimal = {
    event_type: 317,
    streamId: 's1',
    img: 'http://img/1.jpg',
    screenshotTime: 1700000000,
  };

  it('derives suggestion, label, sub-label and score from the hits when the top-level fields are missing', () => {
    const event = parsePayload({
      ...minimal,
      labelResults: [
        {
          HitFlag: 1,
          Scene: 'Sexy',
          Suggestion: 'Review',
          Label: 'Sexy',
          SubLabel: 'SexyBehavior',
          Score: 70,
        },
        { HitFlag: 1, Scene: 'Porn', Suggestion: 'Block', Label: 'Porn', SubLabel: 'PornHigh', Score: 95 },
      ],
    });
    expect(event.data).toMatchObject({
      suggestion: 'Block',
      label: 'Porn',
      subLabel: 'PornHigh',
      score: 95,
      scores: [],
      type: [],
      hitLabels: ['Sexy', 'Porn'],
    });
    expect(event.summary).toBe('stream s1 image Porn/PornHigh score 95: Block');
  });

  it('counts a result as a hit when its suggestion is not Pass, even with HitFlag 0', () => {
    const event = parsePayload({
      ...minimal,
      objectResults: [
        { HitFlag: 0, Scene: 'QrCode', Suggestion: 'Review', Label: 'Ad', Score: 60 },
        { HitFlag: 0, Scene: 'PolityFace', Suggestion: 'Pass', Label: 'Normal', Score: 0 },
      ],
    });
    expect(event.data.hits).toEqual([
      { kind: 'object', scene: 'QrCode', label: 'Ad', suggestion: 'Review', score: 60 },
    ]);
  });

  it('reads a label key in any casing as `Label`, preferring `Label` when both are sent', () => {
    const event = parsePayload({
      ...minimal,
      labelResults: [
        { HitFlag: 1, Suggestion: 'Block', LABEL: 'Porn', Score: 90 },
        { HitFlag: 1, Suggestion: 'Review', label: 'ignored', Label: 'Sexy', Score: 60 },
      ],
    });
    expect(event.data.labelResults).toEqual([
      { HitFlag: 1, Suggestion: 'Block', Label: 'Porn', Score: 90, Details: [] },
      { HitFlag: 1, Suggestion: 'Review', Label: 'Sexy', Score: 60, Details: [] },
    ]);
    expect(event.data.hitLabels).toEqual(['Porn', 'Sexy']);
  });

  it('prefers `score` over the typo `socre` when both are sent', () => {
    const event = parsePayload({ ...minimal, score: [80, 40], socre: 99 });
    expect(event.data.scores).toEqual([80, 40]);
    expect(event.data.score).toBe(80);
  });

  it('keeps an unknown suggestion in the result but gives no derived verdict for it', () => {
    const event = parsePayload({
      ...minimal,
      suggestion: 'Escalate',
      labelResults: [{ HitFlag: 0, Suggestion: 'Escalate', Label: 'Odd' }],
    });
    expect(event.data.labelResults[0]?.Suggestion).toBe('Escalate');
    expect(event.data).not.toHaveProperty('suggestion');
    expect(event.data.hits).toEqual([]);
    expect(event.summary).toBe('stream s1 image unlabelled');
  });

  it('names the stream from channelId when streamId is missing, and reads a lowercase suggestion', () => {
    const { streamId: _unused, ...rest } = minimal;
    const event = parsePayload({
      ...rest,
      channelId: 'c1',
      appid: 10000,
      suggestion: 'block',
      label: 'Porn',
    });
    expect(event.data).not.toHaveProperty('streamId');
    expect(event.data).toMatchObject({ channelId: 'c1', suggestion: 'Block' });
    expect(event.subject).toEqual({ appId: '10000', streamId: 'c1' });
    expect(event.summary).toBe('stream c1 image Porn: Block');
  });

  it('uses sendTime for the event time when screenshotTime is missing', () => {
    const { screenshotTime: _unused, ...rest } = minimal;
    const event = parsePayload({ ...rest, sendTime: 1700000100 });
    expect(event.occurredAt).toBe(1700000100000);
  });

  it('gives a retry the same dedupe key even with a new t/sign', () => {
    const first = parsePayload(minimal);
    const retry = parseCallback(
      JSON.stringify({ ...minimal, t: T + 60, sign: signCss(KEY, T + 60) }),
      {},
      options,
    );
    expect(retry.dedupeKey).toBe(first.dedupeKey);
    expect(first.dedupeKey).toBe('css.moderation.image:s1|1700000000|http://img/1.jpg');
  });

  it('keeps a `__proto__` key of a result detail as a key, never as its prototype', () => {
    const body = signed({
      ...minimal,
      labelResults: [{ Scene: 'Porn', Suggestion: 'Block', Label: 'Porn', Details: [{ Name: 'x' }] }],
    }).replace('"Details":[{', '"Details":[{"__proto__":{"Label":"Injected","Score":1},');
    const event = parseCallback(body, { 'content-type': 'application/json' }, options);
    expect(event.type).toBe('css.moderation.image');
    const detail = (event as EventOf<'css.moderation.image'>).data.labelResults[0]?.Details[0] as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(detail)).toBe(Object.prototype);
    expect(Object.hasOwn(detail, '__proto__')).toBe(true);
    expect(detail.Label).toBeUndefined();
    expect(detail.Name).toBe('x');
  });

  it('reads a score list longer than a call has room for arguments', () => {
    const socre = Array.from({ length: 200_000 }, (_, index) => index % 100);
    const event = parsePayload({ ...minimal, socre });
    expect(event.data.score).toBe(99);
  });
});
