// What the hand-written receivers of the ingest benchmark (lean-receiver.js, express-receiver.js) share: the
// signature checks and the dedupe key a careful hand-written receiver applies, and its events table.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { TEST_KEYS } from '@livehooks/fixtures';

const TRTC_KEYS = { [TEST_KEYS.trtc.sdkAppId]: TEST_KEYS.trtc.key };
const SECRET_PATH = `/callbacks/${process.env.BENCH_INGEST_SECRET}`;

function same(a, b) {
  const left = Buffer.from(a);
  const right = Buffer.from(String(b));
  return left.length === right.length && timingSafeEqual(left, right);
}

/** TRTC signs the exact bytes: HMAC-SHA256 with the app's key, base64, in `Sign` (https://trtc.io/document/54912). */
export function trtcSigned(headers, raw) {
  const key = TRTC_KEYS[headers.sdkappid];
  return key !== undefined && same(createHmac('sha256', key).update(raw).digest('base64'), headers.sign);
}

/**
 * CSS signs `t` (expiry, seconds) with `sign` = md5(key + t) in the body
 * (https://cloud.tencent.com/document/product/267/32744); the unsigned types arrive on the secret URL.
 */
export function cssSigned(path, body) {
  if (body.sign === undefined && body.t === undefined) return path === SECRET_PATH;
  if (!(Number(body.t) * 1000 >= Date.now())) return false;
  return same(
    createHash('md5')
      .update(TEST_KEYS.css + String(body.t))
      .digest('hex'),
    body.sign,
  );
}

/**
 * The fields that identify a CSS 200 screenshot and a TRTC 1104 moderation result (the catalog's dedupe keys);
 * any other callback is deduplicated as an exact redelivery of the same bytes.
 */
export function dedupeKeyOf(body, raw) {
  if (body.event_type === 200) return `200|${body.stream_id}|${body.pic_url}`;
  const info = body.EventInfo;
  if (body.EventType === 1104 && info !== undefined)
    return `1104|${info.TaskId}|${info.RoomId}|${info.UserId}|${info.EventMsTs}|${info.Payload?.DataId}`;
  return createHash('sha256').update(raw).digest('base64');
}

/** Opens the events table: the raw bytes kept, a unique dedupe key. */
export function createEventsTable(db) {
  db.pragma('journal_mode = WAL');
  db.exec(
    'CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, dedupe_key TEXT NOT NULL UNIQUE, received_at INTEGER NOT NULL, raw BLOB NOT NULL)',
  );
  return db.prepare('INSERT OR IGNORE INTO events (dedupe_key, received_at, raw) VALUES (?, ?, ?)');
}

/** Tells the benchmark where the server listens. */
export function reportListening(server) {
  const address = server.address();
  process.send?.({ url: `http://127.0.0.1:${address.port}` });
}
