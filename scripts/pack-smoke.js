// Installs the packed packages the way a new user installs them from the registry, and uses them.
//
//   node scripts/pack-smoke.js [--no-build] [--keep]
//
// 1. Builds the workspace (skipped with --no-build), checks every package's manifest, runs
//    `npm publish --dry-run` and `npm pack` for each, and checks what each tarball holds.
// 2. Installs the tarballs into an empty folder with nothing else (their registry dependencies come from the
//    registry), with TypeScript and @types/node, and fails on any EBADENGINE warning.
// 3. Starts the installed `livehooks serve --dev` on a free port with a temporary data dir, loads the
//    dashboard and its assets, and triggers every event type of `livehooks trigger --list` against it.
// 4. Compiles a TypeScript receiver against the installed `@livehooks/core` and has it receive callbacks.
//
// Prints each check; exits 1 on the first failure. --keep leaves the temporary folder for inspection.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const started = Date.now();
const rootManifest = readJson(join(root, 'package.json'));
const workspaces = rootManifest.workspaces.map((dir) => ({
  dir,
  manifest: readJson(join(root, dir, 'package.json')),
}));
const names = new Set(workspaces.map(({ manifest }) => manifest.name));

/** What each tarball must hold beyond what its manifest points at (`exports`, `types`, `bin`). */
const REQUIRED_FILES = {
  '@livehooks/core': [/^schemas\/css\.screenshot\.json$/],
  '@livehooks/fixtures': [
    /^samples\/css\.screenshot\/.+\.json$/,
    /^samples\/trtc\.moderation\.result\/.+\.json$/,
  ],
  '@livehooks/server': [/^dist\/store\/sqlite-worker\.js$/],
  '@livehooks/dashboard': [/^dist\/index\.html$/, /^dist\/assets\/.+\.js$/, /^dist\/assets\/.+\.css$/],
};
/** Nothing a user needs: tests, TypeScript sources, benchmarks, source maps without their sources, build state. */
const FORBIDDEN_FILES = [
  /(^|\/)(test|tests|__tests__|bench)\//,
  /\.test\.[cm]?[jt]sx?$/,
  /^src\//,
  /(?<!\.d)\.[cm]?tsx?$/,
  /\.map$/,
  /tsbuildinfo$/,
];
/** The test keys `livehooks serve --dev` accepts and `livehooks trigger` signs with (@livehooks/fixtures). */
const CSS_TEST_KEY = 'livehooksTestCssKey';

let work;
let gateway;
let passed = 0;

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function step(title) {
  console.log(`\n== ${title} (at ${Math.round((Date.now() - started) / 1000)} s)`);
}

function ok(message) {
  passed += 1;
  console.log(`  ok  ${message}`);
}

function check(condition, message) {
  if (!condition) throw new Error(message);
  ok(message.split('\n')[0]);
}

/** Runs a command; resolves with its exit code and output, never rejects on a non-zero exit. */
function run(command, commandArgs, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, commandArgs, {
      cwd: options.cwd ?? root,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs a command that must succeed; fails with its output otherwise. */
async function runOk(command, commandArgs, options) {
  const result = await run(command, commandArgs, options);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${commandArgs.join(' ')} exited with ${result.code}\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result;
}

/** Every file path an `exports` map, `types` and `bin` point at, except the monorepo's `source` condition. */
function manifestTargets(manifest) {
  const targets = [];
  const walk = (value, condition) => {
    if (condition === 'source') return;
    if (typeof value === 'string') {
      if (!value.includes('*')) targets.push(value.replace(/^\.\//, ''));
    } else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) walk(inner, key);
    }
  };
  walk(manifest.exports);
  walk(manifest.types);
  walk(typeof manifest.bin === 'string' ? { [manifest.name]: manifest.bin } : manifest.bin);
  return targets;
}

function checkManifest({ dir, manifest }) {
  const name = manifest.name;
  check(manifest.private !== true, `${name} is public`);
  check(manifest.license === 'MIT', `${name} declares its license`);
  if (name.startsWith('@'))
    check(manifest.publishConfig?.access === 'public', `${name} publishes with public access`);
  const runtime = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies });
  const privateDeps = runtime.filter(
    (dep) => names.has(dep) && workspaces.find((w) => w.manifest.name === dep).manifest.private,
  );
  check(
    privateDeps.length === 0,
    `${name} depends on public packages only (${runtime.join(', ') || 'none'})`,
  );
  if (manifest.exports?.['.']) {
    check(
      manifest.engines?.node === rootManifest.engines.node,
      `${name} requires node ${rootManifest.engines.node}`,
    );
    check(typeof manifest.types === 'string', `${name} declares its types`);
  }
  return dir;
}

function checkTarball(manifest, files) {
  const name = manifest.name;
  const forbidden = files.filter((file) => FORBIDDEN_FILES.some((pattern) => pattern.test(file)));
  check(
    forbidden.length === 0,
    `${name}: no tests, sources or build state (${files.length} files)\n${forbidden.join('\n')}`,
  );
  const missing = [
    ...manifestTargets(manifest).filter((target) => !files.includes(target)),
    ...(REQUIRED_FILES[name] ?? [])
      .filter((pattern) => !files.some((file) => pattern.test(file)))
      .map(String),
    ...['LICENSE', 'package.json'].filter((file) => !files.includes(file)),
  ];
  check(
    missing.length === 0,
    `${name}: holds its entry points, types, LICENSE and data\nmissing: ${missing.join(', ')}`,
  );
}

async function packAll(tarballs) {
  step('manifests, npm publish --dry-run, npm pack');
  mkdirSync(tarballs);
  const paths = [];
  for (const workspace of workspaces) {
    const { manifest } = workspace;
    checkManifest(workspace);
    const publish = await runOk('npm', ['publish', '--dry-run', '--ignore-scripts', '-w', manifest.name]);
    const output = publish.stdout + publish.stderr;
    check(
      !/auto-corrected|npm error/i.test(output),
      `${manifest.name}: npm publish --dry-run is clean\n${output}`,
    );
    const pack = await runOk('npm', [
      'pack',
      '--ignore-scripts',
      '--json',
      '--pack-destination',
      tarballs,
      '-w',
      manifest.name,
    ]);
    const [packed] = JSON.parse(pack.stdout);
    checkTarball(
      manifest,
      packed.files.map((file) => file.path),
    );
    paths.push(join(tarballs, packed.filename));
  }
  return paths;
}

async function install(app, tarballs) {
  step('npm install of the tarballs into an empty folder');
  mkdirSync(app);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'pack-smoke', private: true, type: 'module' }),
  );
  const typescript = rootManifest.devDependencies.typescript;
  const typesNode = rootManifest.devDependencies['@types/node'];
  const result = await runOk(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      ...tarballs,
      `typescript@${typescript}`,
      `@types/node@${typesNode}`,
    ],
    { cwd: app },
  );
  const warnings = `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => /npm warn/i.test(line));
  for (const line of warnings) console.log(`  ${line}`);
  check(
    !warnings.some((line) => line.includes('EBADENGINE')),
    `installed on node ${process.version} without EBADENGINE`,
  );
  const bin = join(app, 'node_modules/.bin/livehooks');
  const version = await runOk(bin, ['--version'], { cwd: app });
  check(
    version.stdout.trim() === workspaces.find((w) => w.manifest.name === 'livehooks').manifest.version,
    `livehooks --version: ${version.stdout.trim()}`,
  );
  return bin;
}

/** Starts the installed `livehooks serve --dev`; resolves with its start-up summary. */
async function startGateway(bin, app) {
  step('livehooks serve --dev');
  const child = spawn(bin, ['serve', '--dev', '--port', '0', '--json'], {
    cwd: app,
    env: {
      ...process.env,
      LIVEHOOKS_DATA_DIR: join(app, 'data'),
      LIVEHOOKS_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  gateway = child;
  let output = '';
  child.stderr.on('data', (chunk) => (output += chunk));
  const banner = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`livehooks serve did not start in 60 s\n${output}`)),
      60_000,
    );
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      output += chunk;
      for (const line of buffer.split('\n').slice(0, -1)) {
        if (line.includes('"apiUrl"')) {
          clearTimeout(timer);
          resolve(JSON.parse(line));
        }
      }
      buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
    });
    child.on('exit', (code) => reject(new Error(`livehooks serve exited with ${code}\n${output}`)));
  });
  check(banner.dev === true && /^http:\/\/127\.0\.0\.1:\d+$/.test(banner.url), `listening on ${banner.url}`);
  return banner;
}

async function checkDashboard(app, url) {
  step('the dashboard');
  const dist = join(app, 'node_modules/@livehooks/dashboard/dist');
  const response = await fetch(`${url}/`);
  const html = await response.text();
  check(
    response.status === 200 && response.headers.get('content-type')?.startsWith('text/html'),
    `GET / answers ${response.status} ${response.headers.get('content-type')}`,
  );
  check(
    html === readFileSync(join(dist, 'index.html'), 'utf8'),
    'GET / is the installed dashboard index.html',
  );
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]);
  check(
    assets.some((asset) => asset.endsWith('.js')) && assets.some((asset) => asset.endsWith('.css')),
    `it loads ${assets.join(', ')}`,
  );
  for (const asset of assets) {
    const answer = await fetch(`${url}${asset}`);
    const body = Buffer.from(await answer.arrayBuffer());
    check(
      answer.status === 200 && body.equals(readFileSync(join(dist, asset))),
      `GET ${asset} answers ${answer.status} ${answer.headers.get('content-type')}, ${body.length} bytes`,
    );
  }
}

/** `livehooks trigger <type> --no-retry --json` for each type, four at a time; resolves with each report. */
async function triggerEach(bin, app, types, url) {
  const reports = new Map();
  const queue = [...types];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let type = queue.shift(); type !== undefined; type = queue.shift()) {
        const result = await run(bin, ['trigger', type, '--url', url, '--no-retry', '--json'], { cwd: app });
        let report;
        try {
          report = JSON.parse(result.stdout);
        } catch {
          throw new Error(
            `livehooks trigger ${type} printed no report (exit ${result.code})\n${result.stdout}\n${result.stderr}`,
          );
        }
        reports.set(type, { code: result.code, report });
      }
    }),
  );
  return reports;
}

async function triggerAll(bin, app, banner) {
  step('livehooks trigger, every type');
  const list = JSON.parse((await runOk(bin, ['trigger', '--list', '--json'], { cwd: app })).stdout);
  const types = list.filter((entry) => entry.samples.length > 0).map((entry) => entry.type);
  check(types.length > 70, `trigger --list: ${list.length} types, ${types.length} with samples`);

  const tour = await triggerEach(bin, app, types, banner.callbackUrl);
  const refused = types.filter((type) => tour.get(type).code !== 0);
  // In dev mode every type trigger can send is stored, Tencent's unsigned CSS callbacks included.
  check(
    refused.length === 0,
    `${types.length - refused.length} of ${types.length} types delivered to ${banner.callbackUrl}\n${refused.map((type) => `${type}: ${JSON.stringify(tour.get(type).report.callbacks[0].attempts)}`).join('\n')}`,
  );

  const stored = new Set();
  for (let cursor; ;) {
    const response = await fetch(
      `${banner.apiUrl}/events?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      {
        headers: { authorization: `Bearer ${banner.apiToken}` },
      },
    );
    const page = await response.json();
    for (const event of page.items) stored.add(event.type);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  const missing = types.filter((type) => !stored.has(type));
  check(
    missing.length === 0,
    `the gateway stored every type (${stored.size})\nmissing: ${missing.join(', ')}`,
  );
}

const RECEIVER = `import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeMiddleware, createReceiver, isLivehooksError, type LivehooksEvent } from '@livehooks/core';

const receiver = createReceiver({ css: { keys: [process.env.CSS_KEY!] } });
const received: string[] = [];

receiver.on('css.screenshot', (event) => {
  const picture: string = event.data.pic_url;
  received.push(\`\${event.type} \${event.auth.method} \${picture}\`);
  server.close();
});
try {
  // @ts-expect-error: not an event type of the catalog
  receiver.on('css.no_such_event', (event: LivehooksEvent) => received.push(event.type));
  throw new Error('an unknown event type was accepted');
} catch (error) {
  if (!isLivehooksError(error) || error.code !== 'LH_ERR_UNKNOWN_EVENT_TYPE') throw error;
}

const server = createServer(createNodeMiddleware(receiver)).listen(0, '127.0.0.1', () => {
  console.log(\`port \${(server.address() as AddressInfo).port}\`);
});
server.on('close', () => console.log(\`received \${received.join(', ')}\`));
`;

async function checkReceiver(bin, app) {
  step('a TypeScript receiver on the installed @livehooks/core');
  writeFileSync(join(app, 'receiver.ts'), RECEIVER);
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        exactOptionalPropertyTypes: true,
        types: ['node'],
      },
      files: ['receiver.ts'],
    }),
  );
  const tsc = await run(join(app, 'node_modules/.bin/tsc'), ['-p', '.'], { cwd: app });
  check(tsc.code === 0, `tsc compiles receiver.ts against the installed types\n${tsc.stdout}${tsc.stderr}`);

  const child = spawn(process.execPath, ['receiver.js'], {
    cwd: app,
    env: { ...process.env, CSS_KEY: CSS_TEST_KEY },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const closed = new Promise((resolve) => child.on('close', resolve));
  const port = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /port (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.on('close', (code) => reject(new Error(`receiver exited with ${code}\n${output}`)));
  });
  const trigger = await run(
    bin,
    ['trigger', 'css.screenshot', '--url', `http://127.0.0.1:${port}/`, '--no-retry'],
    {
      cwd: app,
    },
  );
  check(
    trigger.code === 0,
    `livehooks trigger css.screenshot delivered to the receiver\n${trigger.stdout}${trigger.stderr}`,
  );
  const code = await closed;
  check(
    code === 0 && /received css\.screenshot css-md5 \S+/.test(output),
    `the receiver got a typed, verified event: ${output.split('\n').find((line) => line.startsWith('received'))}`,
  );
}

async function stopGateway() {
  step('stop');
  const exited = new Promise((resolve) => gateway.on('exit', (code, signal) => resolve(code ?? signal)));
  gateway.kill('SIGTERM');
  const code = await exited;
  gateway = undefined;
  check(code === 0, `livehooks serve stops gracefully on SIGTERM (exit ${code})`);
}

async function main() {
  work = mkdtempSync(join(tmpdir(), 'livehooks-pack-smoke-'));
  console.log(`pack smoke in ${work}`);
  if (!args.has('--no-build')) {
    step('npm run build');
    await runOk('npm', ['run', 'build']);
    ok('built');
  }
  const tarballs = await packAll(join(work, 'tarballs'));
  const app = join(work, 'app');
  const bin = await install(app, tarballs);
  const banner = await startGateway(bin, app);
  await checkDashboard(app, banner.url);
  await triggerAll(bin, app, banner);
  await checkReceiver(bin, app);
  await stopGateway();
}

try {
  await main();
  console.log(`\npack smoke passed in ${Math.round((Date.now() - started) / 1000)} s`);
  console.log(`pack-smoke: ${passed} passed, 0 failed`);
} catch (error) {
  console.error(`\npack smoke FAILED: ${error instanceof Error ? error.message : String(error)}`);
  console.log(`pack-smoke: ${passed} passed, 1 failed`);
  process.exitCode = 1;
} finally {
  gateway?.kill('SIGKILL');
  if (work && !args.has('--keep')) rmSync(work, { recursive: true, force: true });
  else if (work) console.log(`kept ${work}`);
}
