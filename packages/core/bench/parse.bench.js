// parseCallback throughput per event kind, as a ratio to bare JSON.parse of the same bodies, in one run:
// parse only (unsigned bodies, accepted by configuration) and parse + verify (signed with the test keys).
// Run with `npm run bench -w @livehooks/core` (after `npm run build`).
//
// Times are the process's CPU time (process.cpuUsage), not the wall clock, and the two sides of a ratio are
// measured in alternating rounds: on a machine shared with other work, both keep a ratio from swinging
// with what else runs. Every side first runs BENCH_WARMUP_CALLS times over all samples (default 150 000):
// parseCallback reaches its steady speed only after about 80 000 calls (V8 compiles the generated
// validators and each event's functions as they get hot, on threads whose CPU time counts here), while
// JSON.parse is native and fast from the first call; a gateway runs at the steady speed. BENCH_MS sets the
// time per measurement (default 200 ms), BENCH_ROUNDS the rounds of the seed-mix and all-samples rows
// (default 5; each kind gets 1). BENCH_PER_TYPE=0 leaves out the rows per event kind.
import { parseCallback } from '@livehooks/core';
import { loadSamples, signRequest, TEST_KEYS } from '@livehooks/fixtures';

const SEED_TYPES =
  /^(css\.monitor\.|css\.moderation\.image$|css\.smart_erase$|css\.screenshot$|trtc\.moderation\.)/;
const DURATION_MS = Number(process.env.BENCH_MS ?? 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARMUP_CALLS = Number(process.env.BENCH_WARMUP_CALLS ?? 150_000);
const PER_TYPE = process.env.BENCH_PER_TYPE !== '0';
const encoder = new TextEncoder();
const verifying = {
  css: { keys: [TEST_KEYS.css], allowUnsigned: true },
  trtc: { keys: { [TEST_KEYS.trtc.sdkAppId]: TEST_KEYS.trtc.key } },
};
const unsigned = { css: { allowUnsigned: true }, trtc: { allowUnsigned: true } };

function cpuMicros() {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

/** Runs `fn` over `items` round-robin for about DURATION_MS of CPU time; returns [operations, CPU µs]. */
function measure(items, fn) {
  let ops = 0;
  const start = cpuMicros();
  const deadline = start + DURATION_MS * 1000;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 100; i++) fn(items[(ops + i) % items.length]);
    ops += 100;
    now = cpuMicros();
  }
  return [ops, now - start];
}

const sides = {
  bare: (item) => JSON.parse(item.text),
  parse: (item) => parseCallback(item.unsigned, item.unsignedHeaders, unsigned),
  verify: (item) => parseCallback(item.bytes, item.headers, verifying),
};

/** Operations per CPU second of `bare`, `parse` and `verify`, measured in `rounds` alternating rounds. */
function compare(items, rounds) {
  const totals = { bare: [0, 0], parse: [0, 0], verify: [0, 0] };
  for (const fn of Object.values(sides)) for (let i = 0; i < 2000; i++) fn(items[i % items.length]);
  for (let round = 0; round < rounds; round++) {
    for (const [name, fn] of Object.entries(sides)) {
      const [ops, micros] = measure(items, fn);
      totals[name][0] += ops;
      totals[name][1] += micros;
    }
  }
  const perSecond = (name) => (totals[name][0] / totals[name][1]) * 1e6;
  return { bare: perSecond('bare'), parse: perSecond('parse'), verify: perSecond('verify') };
}

/** The body Tencent would send unsigned: CSS without `t` and `sign`, TRTC without the `Sign` header. */
function unsignedBody(sample) {
  if (sample.family === 'trtc') return sample.body;
  const { t: _t, sign: _sign, ...rest } = JSON.parse(sample.body);
  return JSON.stringify(rest);
}

function prepare(samples) {
  return samples.map((sample) => {
    const request = signRequest(sample.family, sample.body);
    const headers = { 'content-type': 'application/json' };
    return {
      text: request.body,
      bytes: encoder.encode(request.body),
      headers: request.headers,
      unsigned: encoder.encode(unsignedBody(sample)),
      unsignedHeaders: headers,
    };
  });
}

const rows = [];
function run(label, samples, rounds) {
  const result = compare(prepare(samples), rounds);
  rows.push({ label, bodies: samples.length, ...result });
}

const samples = loadSamples();
const everything = prepare(samples);
const warmupStarted = cpuMicros();
for (const fn of Object.values(sides)) {
  for (let i = 0; i < WARMUP_CALLS; i++) fn(everything[i % everything.length]);
}
const warmupSeconds = (cpuMicros() - warmupStarted) / 1e6;
const byType = new Map();
for (const sample of samples) byType.set(sample.type, [...(byType.get(sample.type) ?? []), sample]);
if (PER_TYPE) for (const [type, list] of byType) run(type, list, 1);
run(
  'seed mix',
  samples.filter((sample) => SEED_TYPES.test(sample.type)),
  ROUNDS,
);
run('all samples', samples, ROUNDS);

const pad = (text, width) => String(text).padEnd(width);
const num = (value) => Math.round(value).toLocaleString('en-US').padStart(12);
const ratio = (value) => value.toFixed(2).padStart(7);
console.log(
  `parseCallback vs bare JSON.parse, operations per CPU second (${DURATION_MS} ms per measurement, after ${WARMUP_CALLS} calls of each over all samples in ${warmupSeconds.toFixed(1)} s of CPU, node ${process.version})`,
);
console.log(
  `${pad('event kind', 36)}${pad('bodies', 7)}${'JSON.parse/s'.padStart(12)}${'parse/s'.padStart(12)}${'ratio'.padStart(7)}${'+verify/s'.padStart(12)}${'ratio'.padStart(7)}`,
);
for (const row of rows) {
  console.log(
    `${pad(row.label, 36)}${pad(row.bodies, 7)}${num(row.bare)}${num(row.parse)}${ratio(row.parse / row.bare)}${num(row.verify)}${ratio(row.verify / row.bare)}`,
  );
}
