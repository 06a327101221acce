import { describe, expect, it } from 'vitest';
import { samplesOf, signRequest, TEST_KEYS } from '@livehooks/fixtures';
import { createReceiver, type EventOf } from '../src/index.js';

// The README's library example, exercised: it must type-check and behave as the README says.
describe('README example', () => {
  it('routes a low frame rate alert and a blocking moderation result to their handlers', async () => {
    const receiver = createReceiver({
      css: { keys: [TEST_KEYS.css], allowUnsigned: true },
      trtc: { keys: { [TEST_KEYS.trtc.sdkAppId]: TEST_KEYS.trtc.key } },
    });
    const summaries: string[] = [];
    const cut: EventOf<'trtc.moderation.result'>[] = [];
    receiver.on('css.monitor.low_framerate', (event) => {
      summaries.push(event.summary);
    });
    receiver.on('trtc.moderation.*', (event) => {
      if (event.type === 'trtc.moderation.result' && event.data.suggestion === 'Block') cut.push(event);
    });

    for (const sample of [
      ...samplesOf('css.monitor.low_framerate'),
      ...samplesOf('trtc.moderation.result'),
    ]) {
      const { body, headers } = signRequest(sample.family, sample.body);
      const response = await receiver.handleRequest(
        new Request('http://localhost/callbacks', { method: 'POST', body, headers }),
      );
      expect(response.status).toBe(200);
    }
    expect(summaries).toContain('stream test1 frame rate below 10 fps');
    expect(cut.length).toBeGreaterThan(0);
    expect(cut.every((event) => event.data.suggestion === 'Block')).toBe(true);
  });
});
