import type { TestGateway } from './gateway';

/** A stream id as long as Tencent allows in practice: the layout must cut it, never widen a column for it. */
export const LONG_STREAM = 'ops-shanghai-studio-03-main-camera-1080p-backup-feed-for-evening-news-2026';
/** The Chinese speech of the operations stream. */
export const CHINESE_SPEECH = '各位观众晚上好，欢迎收看今晚的直播，我们先来看一条突发新闻';
const APP = 251000001;

/**
 * A camera frame as an SVG picture, for the screenshots and flagged images of the seeded events: served
 * from loopback, it loads in the browser where Tencent's storage links would not.
 */
export const FRAME_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 180" width="320" height="180">
<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#3b6fd8"/><stop offset="1" stop-color="#9cc3f5"/></linearGradient></defs>
<rect width="320" height="180" fill="url(#sky)"/><rect y="120" width="320" height="60" fill="#2f7d4f"/>
<circle cx="250" cy="45" r="22" fill="#ffd34d"/><rect x="40" y="70" width="90" height="70" rx="6" fill="#c0392b"/>
<rect x="150" y="90" width="60" height="50" rx="4" fill="#f4f4f4"/></svg>`;

/** Where the seeded events point their images. */
export interface SeedImages {
  /** The URL of a stream's screenshot. */
  frame: string;
  /** The URL of a flagged image. */
  flagged: string;
}

const css = (streamId: string, fields: Record<string, unknown> = {}) => ({
  overrides: { appid: APP, stream_id: streamId, ...fields },
});

/**
 * Sends what a day of operations looks like in small: streams that start, break, drop frames and stop for
 * a reason; Chinese speech, on-screen text and live subtitles (which name no app); flagged images and audio from CSS and TRTC; a TRTC
 * moderation task; a push-problem report; and callbacks the gateway refuses (a wrong signature, a body that
 * is not JSON).
 */
export async function seedOperations(gateway: TestGateway, images?: SeedImages): Promise<void> {
  const news = 'ops-evening-news';
  await gateway.send('css.stream.push', css(news, { channel_id: news }));
  await gateway.send(
    'css.screenshot',
    css(news, { channel_id: news, ...(images ? { pic_full_url: images.frame } : {}) }),
  );
  await gateway.send(
    'css.monitor.asr',
    css(news, {
      event_msg: `stream [ ${news} ] callback message: {StartPtsTime:1.5, EndPtsTime:9.25, Text:${CHINESE_SPEECH}}`,
    }),
  );
  await gateway.send('css.monitor.ocr', css(news));
  // Live subtitles name no app: they join the stream's row all the same.
  await gateway.send('css.subtitles', {
    sample: 'doc-sample-corrected',
    overrides: { stream_id: news, channel_id: news, task_id: 'ops-news-subtitles' },
  });
  await gateway.send(
    'css.moderation.image',
    css(news, { streamId: news, ...(images ? { img: images.flagged } : {}) }),
  );
  await gateway.send('css.moderation.audio', css(news, { streamId: news }));

  await gateway.send('css.stream.push', css(LONG_STREAM, { channel_id: LONG_STREAM }));
  await gateway.send('css.monitor.low_framerate', css(LONG_STREAM));
  await gateway.send('css.monitor.stream_broken', css(LONG_STREAM));
  await gateway.send('css.push.exception', css(LONG_STREAM));

  const sports = 'ops-sports-hall-b';
  await gateway.send('css.stream.push', css(sports, { channel_id: sports }));
  await gateway.send('css.stream.disconnect', {
    sample: 'variant-forbid-21-101',
    overrides: { appid: APP, stream_id: sports, channel_id: sports },
  });

  const task = { 'EventInfo.TaskId': 'ops-moderation-task-room-8801', 'EventInfo.RoomId': '8801' };
  await gateway.send('trtc.moderation.start', { overrides: task });
  await gateway.send('trtc.moderation.result', {
    sample: 'doc-sample-image-corrected',
    overrides: { ...task, ...(images ? { 'EventInfo.Payload.Image': images.flagged } : {}) },
  });
  await gateway.send('trtc.moderation.result', { sample: 'doc-sample-audio', overrides: task });
  await gateway.send('trtc.room.entered', {});

  const refuse = async (body: string) => {
    const response = await fetch(`${gateway.url}/callbacks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    await response.text();
    if (response.ok) throw new Error(`the gateway accepted a callback it should refuse: ${body}`);
  };
  const t = Math.floor(Date.now() / 1000) + 60;
  await refuse(JSON.stringify({ event_type: 1, stream_id: 'forged-1', t, sign: 'bad' }));
  await refuse(JSON.stringify({ event_type: 0, stream_id: 'forged-2', t, sign: 'bad' }));
  await refuse('{"event_type": 1, "stream_id": ');
}
