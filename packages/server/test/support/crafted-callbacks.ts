import { loadSamples, signRequest } from '@livehooks/fixtures';
import type { LivehooksServer } from '../../src/index.js';
import { TEST_INGEST_SECRET } from './test-secrets.js';

const samples = loadSamples();

type Json = Record<string, unknown>;

function merge(base: Json, patch: Json): Json {
  const out: Json = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const current = out[key];
    out[key] =
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      current !== null &&
      typeof current === 'object'
        ? merge(current as Json, value as Json)
        : value;
  }
  return out;
}

/** A fixture sample of `type` (the first, or the one named) with fields replaced, signed with the test keys. */
export function craft(type: string, patch: Json, name?: string) {
  const sample = samples.find(
    (candidate) => candidate.type === type && (name === undefined || candidate.name === name),
  );
  if (sample === undefined) throw new Error(`no sample ${type}/${name ?? '*'}`);
  const payload = merge(JSON.parse(sample.body) as Json, patch);
  const unsigned = sample.family === 'css' && !('t' in payload) && !('sign' in payload);
  const body = sample.family === 'trtc' ? JSON.stringify(payload, null, '\t') : JSON.stringify(payload);
  const request = signRequest(sample.family, body);
  return { ...request, unsigned };
}

/** Posts a signed callback (unsigned ones to the secret URL) and fails unless the gateway stored it (200). */
export async function deliver(
  server: LivehooksServer,
  callback: Pick<ReturnType<typeof craft>, 'body' | 'headers' | 'unsigned'>,
): Promise<void> {
  const response = await server.app.inject({
    method: 'POST',
    url: callback.unsigned ? `/callbacks/${TEST_INGEST_SECRET}` : '/callbacks',
    payload: callback.body,
    headers: callback.headers,
  });
  if (response.statusCode !== 200)
    throw new Error(`callback refused: ${response.statusCode} ${response.body}`);
}

/** CSS push (1) or disconnect (0) of a stream session; `at` in seconds. */
export function streamEvent(kind: 'push' | 'disconnect', streamId: string, sequence: string, at: number) {
  return craft(kind === 'push' ? 'css.stream.push' : 'css.stream.disconnect', {
    stream_id: streamId,
    channel_id: streamId,
    sequence,
    event_time: at,
  });
}

/** A CSS 328 monitoring event (unsigned); `at` in ms. */
export function monitorEvent(type: string, streamId: string, at: number, message?: string) {
  return craft(type, {
    // The push samples' app: the same account's monitoring events carry the same appid.
    appid: 12345678,
    stream_id: streamId,
    event_time: at,
    ...(message === undefined ? { event_msg: `stream [ ${streamId} ] is broken` } : { event_msg: message }),
  });
}

/** A TRTC cloud moderation event of task `taskId`; `at` in ms. */
export function taskEvent(type: string, taskId: string, at: number, payload: Json = {}, name?: string) {
  return craft(
    type,
    {
      EventInfo: {
        TaskId: taskId,
        RoomId: 'room-7',
        EventMsTs: at,
        EventTs: Math.floor(at / 1000),
        Payload: payload,
      },
    },
    name,
  );
}
