// Parse + verify throughput per event kind, as a ratio to bare JSON.parse of the same bodies, in one run.
// Run with `npm run bench -w @livehooks/core` (after `npm run build`).
import { parseCallback } from '@livehooks/core';
import { loadSamples, signRequest, TEST_KEYS } from '@livehooks/fixtures';

const SEED_TYPES =
  /^(css\.monitor\.|css\.moderation\.image$|css\.smart_erase$|css\.screenshot$|trtc\.moderation\.)/;
const DURATION_MS = Number(process.env.BENCH_MS ?? 400);
const encoder = new TextEncoder();
const options = {
  css: { keys: [TEST_KEYS.css], allowUnsigned: true },
  trtc: { keys: { [TEST_KEYS.trtc.sdkAppId]: TEST_KEYS.trtc.key } },
};

/** Runs `fn` over `items` round-robin for DURATION_MS after a warm-up; returns operations per second. */
function measure(items, fn) {
  for (let i = 0; i < 2000; i++) fn(items[i % items.length]);
  let ops = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(DURATION_MS) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 200; i++) fn(items[(ops + i) % items.length]);
    ops += 200;
    now = process.hrtime.bigint();
  }
  return ops / (Number(now - start) / 1e9);
}

function prepare(samples) {
  return samples.map((sample) => {
    const request = signRequest(sample.family, sample.body);
    return { text: request.body, bytes: encoder.encode(request.body), headers: request.headers };
  });
}

const rows = [];
function run(label, samples) {
  const items = prepare(samples);
  const bare = measure(items, (item) => JSON.parse(item.text));
  const ours = measure(items, (item) => parseCallback(item.bytes, item.headers, options));
  rows.push({ label, bodies: items.length, bare, ours, ratio: ours / bare });
}

const samples = loadSamples();
const byType = Map.groupBy
  ? Map.groupBy(samples, (s) => s.type)
  : samples.reduce((map, s) => map.set(s.type, [...(map.get(s.type) ?? []), s]), new Map());
for (const [type, list] of byType) run(type, list);
run(
  'seed mix',
  samples.filter((s) => SEED_TYPES.test(s.type)),
);
run('all samples', samples);

const pad = (text, width) => String(text).padEnd(width);
const num = (value) => Math.round(value).toLocaleString('en-US').padStart(11);
console.log(`parse + verify vs bare JSON.parse (${DURATION_MS} ms per measurement, node ${process.version})`);
console.log(
  `${pad('event kind', 36)}${pad('bodies', 8)}${'JSON.parse/s'.padStart(13)}${'parse+verify/s'.padStart(16)}  ratio`,
);
for (const row of rows) {
  console.log(
    `${pad(row.label, 36)}${pad(row.bodies, 8)}${num(row.bare)}  ${num(row.ours)}    ${row.ratio.toFixed(2)}`,
  );
}
