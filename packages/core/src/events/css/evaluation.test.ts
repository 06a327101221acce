import { describe, expect, it } from 'vitest';
import { catalog, getEventDefinition } from '../index.js';
import { hasAggregateScores } from './evaluation.js';
import { parseAs } from '../../../test/support/css-fixtures.js';

describe('css.evaluation.threshold', () => {
  it('lists the frames below the threshold', () => {
    const event = parseAs('css.evaluation.threshold', 'doc-sample');
    expect(event.source).toBe('css:344');
    expect(event.data).toEqual({
      appname: 'live',
      domain: 'abc.record.test.org',
      stream_id: 'livestream1',
      event_time: 1752130787,
      transcode_template_id: '12345',
      watermark_template_id: undefined,
      frames: [
        { score: 22.78, time: 1752130785280 },
        { score: 32.75, time: 1752130786281 },
      ],
      function: 'Assessment',
      class: 'PSNR',
    });
    expect(event.subject).toEqual({ appId: '1234576', streamId: 'livestream1' });
    expect(event.occurredAt).toBe(1752130787000);
    expect(event.dedupeKey).toBe(
      'css.evaluation.threshold:livestream1|1752130787|PSNR|12345|[{"score":22.78,"time":1752130785280},{"score":32.75,"time":1752130786281}]',
    );
    expect(event.summary).toBe('stream livestream1 PSNR below threshold in 2 frames (lowest 22.78)');
  });

  it('reads scores and times sent as strings', () => {
    const event = parseAs('css.evaluation.threshold', 'variant-signed-string-scores');
    expect(event.data.frames).toEqual([{ score: 41.5, time: 1752130845000 }]);
    expect(event.summary).toBe('stream livestream1 VMAF below threshold in 1 frame (lowest 41.5)');
  });
});

describe('css.evaluation.average', () => {
  it('recognises the doc sample, which says event_type 344, by its aggregate scores', () => {
    const event = parseAs('css.evaluation.average', 'doc-sample-says-344');
    expect(event.source).toBe('css:344');
    expect(event.data).toMatchObject({
      stream_id: 'livestream1',
      class: 'PSNR',
      average_score: 27.765,
      max_score: 32.75,
      min_score: 22.78,
    });
    expect(event.data.frames).toHaveLength(2);
    expect(event.subject).toEqual({ appId: '1234576', streamId: 'livestream1' });
    expect(event.occurredAt).toBe(1752130787000);
    expect(event.dedupeKey).toBe('css.evaluation.average:livestream1|1752130787|PSNR|12345|27.765');
    expect(event.summary).toBe('stream livestream1 PSNR average 27.77 (min 22.78, max 32.75)');
  });

  it('reads a 345 body without frames, with scores sent as strings', () => {
    const event = parseAs('css.evaluation.average', 'variant-event-type-345-signed');
    expect(event.source).toBe('css:345');
    expect(event.data).toMatchObject({
      average_score: 0.9731,
      max_score: 0.9902,
      min_score: 0.9417,
      frames: [],
    });
    expect(event.summary).toBe('stream livestream1 SSIM average 0.97 (min 0.94, max 0.99)');
  });

  it('decides by aggregate scores, not by frames', () => {
    expect(hasAggregateScores({ event_type: 344, frames: [{ score: 1 }] })).toBe(false);
    expect(hasAggregateScores({ event_type: 344, frames: [{ score: 1 }], average_score: 1 })).toBe(true);
    expect(hasAggregateScores({ event_type: 344, min_score: '0.5' })).toBe(true);
    expect(hasAggregateScores({ event_type: 344, average_score: null })).toBe(false);
  });

  it('is one definition matching both 345 and the 344 its sample says', () => {
    const definition = getEventDefinition('css.evaluation.average');
    expect(definition?.match).toMatchObject({ family: 'css', eventType: [345, 344] });
    expect(catalog.filter((item) => item.type === 'css.evaluation.average')).toHaveLength(1);
  });
});
