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

/** The centres reported for the ingest path, in the order printed. */
export const CENTRES: Centre[] = [
  {
    name: 'Fastify (routing, hooks, reply, content parsing)',
    match: inPackage('fastify', 'find-my-way', 'avvio'),
  },
  { name: 'parseCallback (@livehooks/core)', match: named('parseCallback') },
  { name: '  zod validation', match: inPackage('zod') },
  {
    name: '  signature checks (HMAC, md5)',
    match: named('authenticateTrtc', 'authenticateCss', 'verifyTrtcSignature', 'verifyCssSignature'),
  },
  { name: '  JSON.parse', match: (frame) => frame.url === '' && frame.functionName === 'parse' },
  { name: 'event id generation (@livehooks/core id)', match: inOwn('core', /\/id\.[jt]s$/) },
  { name: 'header normalisation (@livehooks/core headers)', match: inOwn('core', /\/headers\.[jt]s$/) },
  {
    name: 'JSON.stringify (any caller)',
    match: (frame) => frame.url === '' && frame.functionName === 'stringify',
  },
  { name: 'Kysely (query building and compiling)', match: inPackage('kysely') },
  { name: 'group commit (@livehooks/server store)', match: inOwn('server', /\/store\//) },
  { name: 'projections (@livehooks/server projections)', match: inOwn('server', /\/projections\//) },
  { name: 'dispatch (@livehooks/server dispatch)', match: inOwn('server', /\/dispatch\//) },
  { name: 'postMessage to/from the SQLite worker (structured clone)', match: named('postMessage') },
  {
    name: 'worker message receipt (deserialise, emit)',
    match: (frame) => frame.url.includes('per_context/messageport') || frame.url.includes('worker_threads'),
  },
  { name: 'better-sqlite3', match: inPackage('better-sqlite3') },
  { name: 'pg driver', match: inPackage('pg', 'pg-protocol', 'pg-pool', 'pg-types') },
  {
    name: 'pino logging',
    match: inPackage('pino', 'pino-std-serializers', 'sonic-boom', 'thread-stream', 'fast-redact'),
  },
  { name: 'prom-client metrics', match: inPackage('prom-client') },
  {
    name: 'node:http and sockets',
    match: (frame) => /^node:(_http|net|internal\/(streams|http|net))/.test(frame.url),
  },
  { name: 'garbage collector', match: named('(garbage collector)') },
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
  centres: Map<string, number>;
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
    for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
      const frame = byId.get(current)!.callFrame;
      if (frame.functionName === '(root)') continue;
      functions.add(frameKey(frame));
      groups.add(groupOf(frame.url, frame.functionName));
      for (const centre of CENTRES) if (centre.match(frame)) centres.add(centre.name);
    }
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
    ...table(
      'cost centres (inclusive; a sample counts once per centre, centres overlap):',
      new Map(
        CENTRES.filter((centre) => summary.centres.has(centre.name)).map((centre) => [
          centre.name,
          summary.centres.get(centre.name)!,
        ]),
      ),
      CENTRES.length,
    ),
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
