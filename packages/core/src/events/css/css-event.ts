import { z } from 'zod';
import type { Subject } from '../../envelope.js';
import { idString, numberish, trimmed } from '../fields.js';

/** Fields most CSS callbacks share. `t`/`sign` are verified before the schema runs. */
export const cssCommonShape = {
  event_type: numberish,
  appid: idString.optional(),
  app: trimmed.optional(),
  appname: trimmed.optional(),
  stream_id: z.string().optional(),
  channel_id: z.string().optional(),
  t: numberish.optional(),
  sign: z.string().optional(),
};

/** The subject of a CSS callback: its APPID and stream. */
export function cssSubject(payload: {
  appid?: string | undefined;
  stream_id?: string | undefined;
  channel_id?: string | undefined;
}): Subject {
  const subject: Subject = {};
  if (payload.appid !== undefined) subject.appId = payload.appid;
  const streamId = payload.stream_id ?? payload.channel_id;
  if (streamId !== undefined) subject.streamId = streamId;
  return subject;
}
