import { signTrtc } from '@livehooks/core';
import type { Command } from 'commander';
import type { ApiEventDetail } from './_api-types.js';
import { resignCssBody } from './_css-resign.js';

/** Headers a replay carries over: what the receiver needs to classify and verify the bytes. */
const REPLAYED_HEADERS = ['content-type', 'sign', 'sdkappid', 'user-agent'];

/** The receiver's keys of a command that forwards stored callbacks (`events resend`, `listen`). */
export interface ResignFlags {
  cssKey?: string;
  trtcKey?: string;
  sdkAppId?: string;
}

/** Adds `--css-key`, `--trtc-key` and `--sdk-app-id`, read back with {@link resignKeysOf}. */
export function addResignOptions(command: Command): Command {
  return command
    .option('--css-key <key>', 'CSS key of the receiver: a signed CSS callback gets a fresh t and sign')
    .option('--trtc-key <key>', 'TRTC key of the receiver: a TRTC callback is re-signed with it')
    .option('--sdk-app-id <id>', 'TRTC SdkAppId header to send with --trtc-key');
}

/** The keys {@link replayRequest} re-signs with, from the flags {@link addResignOptions} adds. */
export function resignKeysOf(flags: ResignFlags): Parameters<typeof replayRequest>[1] {
  return {
    ...(flags.cssKey === undefined ? {} : { key: flags.cssKey }),
    ...(flags.trtcKey === undefined ? {} : { trtcKey: flags.trtcKey }),
    ...(flags.sdkAppId === undefined ? {} : { sdkAppId: flags.sdkAppId }),
  };
}

/** The request to re-send: the stored bytes and headers, re-signed when keys are given. */
export function replayRequest(
  event: ApiEventDetail,
  keys: { key?: string; trtcKey?: string; sdkAppId?: string },
  now = Date.now(),
): { body: string; headers: Record<string, string>; resigned: boolean } {
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = event.headers[name];
    if (value !== undefined) headers[name] = value;
  }
  headers['content-type'] ??= 'application/json';
  if (event.family === 'css' && keys.key !== undefined && event.auth.method !== 'unsigned') {
    // CSS signs t, not the body: a fresh t keeps a replay from arriving expired
    // (https://cloud.tencent.com/document/product/267/32744).
    const body = resignCssBody(event.raw, keys.key, Math.floor(now / 1000) + 600);
    if (body !== undefined) return { body, headers, resigned: true };
  }
  if (event.family === 'trtc' && keys.trtcKey !== undefined) {
    const sdkAppId = keys.sdkAppId ?? headers.sdkappid;
    return {
      body: event.raw,
      headers: {
        ...headers,
        ...(sdkAppId ? { sdkappid: sdkAppId } : {}),
        sign: signTrtc(keys.trtcKey, event.raw),
      },
      resigned: true,
    };
  }
  return { body: event.raw, headers, resigned: false };
}
