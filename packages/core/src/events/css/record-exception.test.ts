import { describe, expect, it } from 'vitest';
import { parseAs } from '../../../test/support/css-fixtures.js';

describe('css.record.exception', () => {
  it('reads the exception type of the doc sample into words', () => {
    const event = parseAs('css.record.exception', 'doc-sample');
    expect(event.source).toBe('css:341');
    expect(event.data).toEqual({
      domain: '1234567.livepush.myqcloud.com',
      path: 'live',
      stream_id: 'test_stream_35b4a6e6d4261',
      session_id: '1855245773800540059',
      file_format: 'ts',
      timestamp: 1739934527,
      exception_level: 'info',
      exception: { type: -201, occurs: 4, desc: 'video ts deviation: 100.000000' },
      meaning: 'video timestamp not increasing evenly',
    });
    expect(event.subject).toEqual({ appId: '1234567', streamId: 'test_stream_35b4a6e6d4261' });
    expect(event.occurredAt).toBe(1739934527000);
    expect(event.dedupeKey).toBe(
      'css.record.exception:test_stream_35b4a6e6d4261|1855245773800540059|1739934527|-201',
    );
    expect(event.summary).toBe(
      'stream test_stream_35b4a6e6d4261 recording info: video timestamp not increasing evenly (type -201, 4×)',
    );
  });

  it('reads types, counts and times sent as strings', () => {
    const event = parseAs('css.record.exception', 'variant-string-numbers');
    expect(event.data.exception).toEqual({ type: -16, occurs: 1, desc: 'pull stream failed' });
    expect(event.data.session_id).toBe('1855245773');
    expect(event.occurredAt).toBe(1739934600000);
    expect(event.summary).toBe(
      'stream relay_task_88 recording error: failed to pull the stream (type -16, 1×)',
    );
  });

  it('names an exception type missing from the table as unknown', () => {
    const event = parseAs('css.record.exception', 'variant-unknown-type');
    expect(event.data.meaning).toBe('unknown recording exception -999');
    expect(event.summary).toBe(
      'stream test_stream recording warning: unknown recording exception -999 (type -999, 2×)',
    );
  });
});
