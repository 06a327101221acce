/**
 * Summarises V8 CPU profiles (`node --cpu-prof`): where a thread spent its busy time, by function (self time
 * and inclusive time), by package or file, and by the cost centres of the ingest path (Fastify, zod, Kysely,
 * logging, metrics, ...), each inclusive: a sample counts for a centre when one of its frames is in it.
 *
 * Run on its own: `npx tsx packages/server/bench/profile-summary.ts [--requests N] [--top N] <file.cpuprofile>...`
 * (with `--requests`, times are also given in µs per request). `ingest-profile.ts` uses it on the profiles of
 * a gateway under load.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The parts of a `.cpuprofile` (Chrome DevTools protocol `Profiler.Profile`) read here. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: an npm package, a livehooks package file, a Node.js module, or V8. */
export function groupOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(V8 builtins and native)';
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (packageMatch) return packageMatch[1]!;
  const own = /packages\/([^/]+)\/(?:dist|src)\/(.+?)(?:\.[jt]s)?$/.exec(url);
  if (own) return `@livehooks/${own[1]} ${own[2]}`;
  if (url.startsWith('node:')) return url.replace(/^node:(internal\/)?/, 'node:').replace(/\/.*$/, '');
  return basename(url);
}

function frameKey(frame: CpuProfile['nodes'][number]['callFrame']): string {
  const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
  if (frame.url === '') return name;
  return `${name} ${groupOf(frame.url, frame.functionName)}:${frame.lineNumber + 1}`;
}

/** A cost centre of the ingest path: a sample counts for it when one of its frames matches. */
interface Centre {
  name: string;
  match: (frame: CpuProfile['nodes'][number]['callFrame']) => boolean;
}

const inPackage = (...names: string[]) => {
  const pattern = new RegExp(`node_modules/(${names.join('|')})/`);
  return (frame: { url: string }) => pattern.test(frame.url);
};
const inOwn = (pkg: string, file: RegExp) => (frame: { url: string }) =>
  frame.url.includes(`packages/${pkg}/`) && file.test(frame.url);
const named = (...names: string[]) => {
  const set = new Set(names);
  return (frame: { functionName: string; url: string }) => set.has(frame.functionName);
};

const ownServer = (file: RegExp) => inOwn('server', file);
const NODE_OTHER = 'node: other (events, microtasks, timers, async hooks)';

/**
 * The cost centres of the ingest path. Each sample belongs to the innermost frame of its stack that is in a
 * centre, Node.js's generic internals (events, microtasks, crypto's wrappers) only when no other centre is on
 * the stack (the partition: the socket write of an answer counts as node:http, the HMAC as the signature
 * check), and counts towards every centre on its stack (the inclusive view). V8 builtins written in C++
 * (JSON.parse, JSON.stringify, TextDecoder) have no frame of their own: their time is their caller's.
 */
export const CENTRES: Centre[] = [
  { name: 'zod validation', match: inPackage('zod') },
  {
    name: 'signature checks (HMAC-SHA256, md5)',
    match: (frame) =>
      named('authenticateTrtc', 'authenticateCss')(frame) || inOwn('core', /\/(signature|crypto)\//)(frame),
  },
  { name: 'body decoding and JSON.parse (core decodeJson)', match: named('decodeJson') },
  { name: 'classification (core classify)', match: inOwn('core', /\/parse\/classify\./) },
  {
    name: 'dedupe key (core)',
    match: named('dedupeKeyOf', 'fallbackDedupeKey', 'stableStringify', 'dedupePathsOf'),
  },
  {
    name: 'schema validation (validators compiled from zod, core events)',
    match: inOwn('core', /\/_compile-schema\./),
  },
  { name: 'event data, subject, summary (core events)', match: inOwn('core', /\/events\//) },
  { name: 'event id generation (core id)', match: inOwn('core', /\/id\.[jt]s$/) },
  { name: 'header normalisation (core headers)', match: inOwn('core', /\/headers\.[jt]s$/) },
  {
    name: 'parseCallback, the rest (core)',
    match: (frame) => frame.url.includes('packages/core/'),
  },
  {
    name: "logging (pino, sonic-boom, the gateway's redaction)",
    match: (frame) =>
      inPackage('pino', 'pino-std-serializers', 'sonic-boom', 'thread-stream', 'fast-redact')(frame) ||
      ownServer(/\/http\/(redact|create-logger|error-log-throttle)\./)(frame),
  },
  {
    name: 'metrics (prom-client)',
    match: (frame) => inPackage('prom-client')(frame) || ownServer(/-metrics\./)(frame),
  },
  { name: 'Kysely (query building, compiling, result parsing)', match: inPackage('kysely') },
  { name: 'postMessage to the SQLite worker (structured clone)', match: named('postMessage') },
  {
    name: 'worker message receipt (deserialise, dispatch)',
    match: (frame) => /^node:internal\/(per_context\/messageport|worker)/.test(frame.url),
  },
  {
    name: 'event rows: payload, data and headers as JSON text (server store/storable, stored-event)',
    match: ownServer(/\/store\/(storable|stored-event)\./),
  },
  { name: 'store, the rest (group commit, Kysely store, worker dialect)', match: ownServer(/\/store\//) },
  { name: 'projections (server projections)', match: ownServer(/\/projections\//) },
  { name: 'dispatch (server dispatch)', match: ownServer(/\/dispatch\//) },
  { name: 'ingest route (server ingest)', match: ownServer(/\/ingest\//) },
  {
    name: 'gateway hooks and the rest of the server',
    match: (frame) => frame.url.includes('packages/server/'),
  },
  { name: 'better-sqlite3 (SQLite itself)', match: inPackage('better-sqlite3') },
  { name: 'pg driver', match: inPackage('pg', 'pg-protocol', 'pg-pool', 'pg-types') },
  {
    name: 'Fastify (routing, hooks, reply)',
    match: inPackage('fastify', 'find-my-way', 'avvio', 'light-my-request'),
  },
  {
    name: 'node:http, net, streams (request parsing, socket writes)',
    match: (frame) => /^node:(_http|net|stream|internal\/(streams|http|net|stream_base))/.test(frame.url),
  },
  { name: 'garbage collector', match: named('(garbage collector)') },
  { name: 'V8 (program): compiler, runtime', match: named('(program)') },
  { name: NODE_OTHER, match: (frame) => frame.url.startsWith('node:') },
];

/** Busy time by function, by group and by centre, in µs. */
export interface ProfileSummary {
  /** Sampled time in the window, idle included (µs). */
  total: number;
  /** Sampled time not idle (µs). */
  busy: number;
  self: Map<string, number>;
  inclusive: Map<string, number>;
  selfByGroup: Map<string, number>;
  inclusiveByGroup: Map<string, number>;
  /** Inclusive time per centre. */
  centres: Map<string, number>;
  /** Time per centre, each sample in its innermost centre only. */
  partition: Map<string, number>;
  /** Time in V8 builtins and native code by the nearest JavaScript caller: who calls JSON.stringify. */
  nativeByCaller: Map<string, number>;
}

const IDLE = new Set(['(idle)']);

/**
 * Adds up a profile's samples whose time (µs on the profile's clock, `startTime` based) lies in
 * [`from`, `to`).
 */
export function summariseProfile(
  profile: CpuProfile,
  window: { from?: number; to?: number } = {},
): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  // Time per node in the window.
  const nodeTime = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    at += profile.timeDeltas[index] ?? 0;
    if ((window.from !== undefined && at < window.from) || (window.to !== undefined && at >= window.to))
      return;
    // The delta before a sample is the time it stands for (V8 records the interval ending at the sample).
    nodeTime.set(
      id,
      (nodeTime.get(id) ?? 0) + (profile.timeDeltas[index + 1] ?? profile.timeDeltas[index] ?? 0),
    );
  });
  const summary: ProfileSummary = {
    total: 0,
    busy: 0,
    self: new Map(),
    inclusive: new Map(),
    selfByGroup: new Map(),
    inclusiveByGroup: new Map(),
    centres: new Map(),
    partition: new Map(),
    nativeByCaller: new Map(),
  };
  const add = (map: Map<string, number>, key: string, time: number) =>
    map.set(key, (map.get(key) ?? 0) + time);
  for (const [id, time] of nodeTime) {
    const node = byId.get(id)!;
    summary.total += time;
    if (IDLE.has(node.callFrame.functionName)) continue;
    summary.busy += time;
    add(summary.self, frameKey(node.callFrame), time);
    add(summary.selfByGroup, groupOf(node.callFrame.url, node.callFrame.functionName), time);
    const functions = new Set<string>();
    const groups = new Set<string>();
    const centres = new Set<string>();
    let innermost: string | undefined;
    let caller: string | undefined;
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const frame = byId.get(current)!.callFrame;
      if (frame.functionName === '(root)') continue;
      functions.add(frameKey(frame));
      groups.add(groupOf(frame.url, frame.functionName));
      const matched = CENTRES.filter((centre) => centre.match(frame)).map((centre) => centre.name);
      for (const name of matched) centres.add(name);
      if (innermost === undefined || innermost === NODE_OTHER) innermost = matched[0] ?? innermost;
      if (current !== id && caller === undefined && frame.url !== '') caller = frameKey(frame);
    }
    add(summary.partition, innermost ?? 'other', time);
    const leaf = node.callFrame;
    if (leaf.url === '' && !leaf.functionName.startsWith('('))
      add(summary.nativeByCaller, `${frameKey(leaf)} <- ${caller ?? '?'}`, time);
    for (const key of functions) add(summary.inclusive, key, time);
    for (const key of groups) add(summary.inclusiveByGroup, key, time);
    for (const key of centres) add(summary.centres, key, time);
  }
  return summary;
}

/** The summary as text: top entries by self and inclusive time, per group, and the centres. */
export function formatSummary(
  summary: ProfileSummary,
  options: { requests?: number; cpuPerRequest?: number; top?: number } = {},
): string {
  const top = options.top ?? 20;
  const percent = (time: number) => `${((time * 100) / summary.busy).toFixed(1).padStart(5)} %`;
  // The profiler samples wall time while the thread is not idle (a thread descheduled or blocked in a system
  // call is still in its function): given the thread's measured CPU per request, shares are scaled to it.
  const { requests, cpuPerRequest } = options;
  const perRequest = (time: number) => {
    if (cpuPerRequest !== undefined)
      return `${((time / summary.busy) * cpuPerRequest).toFixed(1).padStart(7)} µs/req`;
    return requests ? `${(time / requests).toFixed(1).padStart(7)} µs/req` : '';
  };
  const table = (title: string, map: Map<string, number>, limit: number) => [
    title,
    ...[...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([key, time]) => `  ${percent(time)} ${perRequest(time)}  ${key}`),
  ];
  const lines = [
    `busy ${(summary.busy / 1e6).toFixed(2)} s of ${(summary.total / 1e6).toFixed(2)} s sampled` +
      (requests ? `, ${requests} requests` : '') +
      (cpuPerRequest === undefined ? '' : `; the thread's CPU (/proc): ${cpuPerRequest.toFixed(1)} µs/req`) +
      ' (percentages of busy time)',
    'cost centres: own (each sample in its innermost centre; sums to 100 %) | inclusive (with what it calls):',
    ...CENTRES.map((centre) => centre.name)
      .concat('other')
      .filter((name) => summary.partition.has(name) || summary.centres.has(name))
      .sort((a, b) => (summary.partition.get(b) ?? 0) - (summary.partition.get(a) ?? 0))
      .map((name) => {
        const own = summary.partition.get(name) ?? 0;
        const inclusive = summary.centres.get(name);
        return `  ${percent(own)} ${perRequest(own)} | ${inclusive === undefined ? '        ' : percent(inclusive)}  ${name}`;
      }),
    ...table('V8 builtins and native code by JavaScript caller:', summary.nativeByCaller, top),
    ...table('self time by package or file:', summary.selfByGroup, top),
    ...table('inclusive time by package or file:', summary.inclusiveByGroup, top),
    ...table('self time by function:', summary.self, top),
    ...table('inclusive time by function:', summary.inclusive, top),
  ];
  return lines.join('\n');
}

async function main(argv: string[]): Promise<void> {
  let requests: number | undefined;
  let top: number | undefined;
  const files: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--requests') requests = Number(argv[++index]);
    else if (arg === '--top') top = Number(argv[++index]);
    else files.push(arg);
  }
  if (files.length === 0)
    throw new Error('usage: profile-summary.ts [--requests N] [--top N] <file.cpuprofile>...');
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    console.log(`\n${file}`);
    console.log(
      formatSummary(summariseProfile(profile), {
        ...(requests ? { requests } : {}),
        ...(top ? { top } : {}),
      }),
    );
  }
  await Promise.resolve();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(process.argv.slice(2));
