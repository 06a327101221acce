import { describe, expect, it } from 'vitest';
import { samplesOf, TEST_KEYS } from '@livehooks/fixtures';
import { LivehooksError } from '../../errors/livehooks-error.js';
import { parseCallback } from '../../parse/parse-callback.js';
import { codeOfInvalid, parseAs } from '../../../test/support/css-fixtures.js';

describe('css.push.exception', () => {
  it('reads the 2022 doc sample, which carries no t/sign, with each anomaly in words', () => {
    const event = parseAs('css.push.exception', 'doc-sample-2022');
    expect(event.source).toBe('css:321');
    expect(event.auth.method).toBe('unsigned');
    expect(event.data).toMatchObject({
      domain: 'xxxx.xxxxx.xxxx.xxxx',
      stream_id: 'xxxxxx',
      data_time: 1670588074971,
      report_interval: 5000,
      sequence: '000000000000000000',
      timeout: 5000,
    });
    expect(
      event.data.abnormal_event.map((anomaly) => [anomaly.type, anomaly.count, anomaly.meaning]),
    ).toEqual([
      [6, 2, 'video frames arrived too far apart'],
      [7, 2, 'audio frames arrived too far apart'],
    ]);
    expect(event.data.abnormal_event[0]?.detail[1]).toEqual({
      desc: 'video frame arrive interval too long, interval=2953(msec)',
      occur_time: 1670588073522,
    });
    expect(event.subject).toEqual({ appId: '0', streamId: 'xxxxxx' });
    expect(event.occurredAt).toBe(1670588074971);
    expect(event.dedupeKey).toBe('css.push.exception:xxxxxx|000000000000000000|1670588074971');
    expect(event.summary).toBe(
      'stream xxxxxx push anomalies in 5 s: video frames arrived too far apart ×2; audio frames arrived too far apart ×2',
    );
  });

  it('refuses an unsigned push exception unless unsigned callbacks are allowed', () => {
    const body =
      samplesOf('css.push.exception').find((sample) => sample.name === 'doc-sample-2022')?.body ?? '';
    let error: unknown;
    try {
      parseCallback(body, {}, { css: { keys: [TEST_KEYS.css] } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LivehooksError);
    expect((error as LivehooksError).code).toBe('LH_ERR_SIGNATURE_MISSING');
  });

  it('refuses the current doc sample verbatim (missing comma) and verifies its signed, corrected copy', () => {
    expect(codeOfInvalid('css-321-doc-missing-comma')).toBe('LH_ERR_INVALID_JSON');
    const event = parseAs('css.push.exception', 'doc-sample-current-corrected');
    expect(event.auth.method).toBe('css-md5');
    expect(event.data.user_ip).toBe('1.1.1.1');
    expect(event.data.abnormal_event[1]).toMatchObject({ customer_visible: 'true', event_key: '', type: 7 });
    expect(event.subject).toEqual({ appId: '12345678', streamId: 'teststream' });
  });

  it('reads numeric strings and names an unknown anomaly type', () => {
    const event = parseAs('css.push.exception', 'variant-string-numbers');
    expect(event.data.data_time).toBe(1670588094971);
    expect(event.data.abnormal_event).toEqual([
      {
        type: 1,
        count: 1,
        detail: [{ desc: 'video dts back, last=120400 cur=120000', occur_time: 1670588090100 }],
        event_key: undefined,
        customer_visible: undefined,
        type_desc_cn: '',
        type_desc_en: 'video timestamp rollback',
        meaning: 'video timestamp went backwards',
      },
      {
        type: 42,
        count: 3,
        detail: [],
        event_key: undefined,
        customer_visible: undefined,
        type_desc_cn: '',
        type_desc_en: 'something Tencent added later',
        meaning: 'unknown push exception 42',
      },
    ]);
    expect(event.occurredAt).toBe(1670588094971);
    expect(event.summary).toBe(
      'stream teststream push anomalies in 5 s: video timestamp went backwards ×1; unknown push exception 42 ×3',
    );
  });
});
