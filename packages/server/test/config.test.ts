import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../src/config/config-reference.js';
import {
  CONFIG_OPTIONS,
  ConfigError,
  loadConfig,
  parseDatabaseUrl,
  protectionWarnings,
  redactDatabaseUrl,
  resolveApiToken,
} from '../src/index.js';

const temp = () => mkdtempSync(join(tmpdir(), 'livehooks-config-'));

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('starts from defaults: port 8080, SQLite under ./data, info logs, 1 MiB bodies', () => {
    const cwd = temp();
    const config = loadConfig({ env: {}, cwd });
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 8080,
      dataDir: join(cwd, 'data'),
      databaseUrl: join(cwd, 'data', 'livehooks.db'),
      logLevel: 'info',
      maxBodyBytes: 1024 * 1024,
      trustProxy: false,
      css: { keys: [], allowUnsigned: false, rejectStale: false, skewSeconds: 0 },
      trtc: { keys: {}, allowUnsigned: false },
    });
    expect(config.apiToken).toBeUndefined();
    expect(config.ingestSecret).toBeUndefined();
  });

  it('reads LIVEHOOKS_* variables, including key lists for rotation and sdkappid:key pairs', () => {
    const config = loadConfig({
      cwd: temp(),
      env: {
        LIVEHOOKS_HOST: '127.0.0.1',
        LIVEHOOKS_PORT: '9090',
        LIVEHOOKS_DATABASE_URL: 'postgres://gateway@db.internal:5432/livehooks?schema=gw',
        LIVEHOOKS_CSS_KEYS: 'newKey, oldKey',
        LIVEHOOKS_TRTC_KEYS: '1400000001:keyOne,1400000002:keyTwo',
        LIVEHOOKS_INGEST_SECRET: 'a-long-enough-secret-123',
        LIVEHOOKS_API_TOKEN: 'an-api-token-of-some-length',
        LIVEHOOKS_LOG_LEVEL: 'DEBUG',
        LIVEHOOKS_CSS_ALLOW_UNSIGNED: 'yes',
        LIVEHOOKS_EVENT_RETENTION_DAYS: '90',
        LIVEHOOKS_UNRELATED: 'ignored',
      },
    });
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 9090,
      databaseUrl: 'postgres://gateway@db.internal:5432/livehooks?schema=gw',
      css: { keys: ['newKey', 'oldKey'], allowUnsigned: true },
      trtc: { keys: { '1400000001': 'keyOne', '1400000002': 'keyTwo' } },
      ingestSecret: 'a-long-enough-secret-123',
      apiToken: 'an-api-token-of-some-length',
      logLevel: 'debug',
      retention: { eventDays: 90 },
    });
  });

  it('reads the connection limits, with timeouts well inside the reply windows of Tencent by default', () => {
    expect(loadConfig({ env: {}, cwd: temp() }).connections).toEqual({
      headersTimeoutMs: 3000,
      requestTimeoutMs: 4000,
      keepAliveTimeoutMs: 5000,
      max: 1000,
    });
    const config = loadConfig({
      env: {
        LIVEHOOKS_HEADERS_TIMEOUT_MS: '1000',
        LIVEHOOKS_REQUEST_TIMEOUT_MS: '2000',
        LIVEHOOKS_KEEP_ALIVE_TIMEOUT_MS: '65000',
        LIVEHOOKS_MAX_CONNECTIONS: '4096',
      },
      cwd: temp(),
    });
    expect(config.connections).toEqual({
      headersTimeoutMs: 1000,
      requestTimeoutMs: 2000,
      keepAliveTimeoutMs: 65000,
      max: 4096,
    });
    expect(
      problemsOf(() =>
        loadConfig({
          env: { LIVEHOOKS_HEADERS_TIMEOUT_MS: '5000' },
          flags: { connections: { max: 0 } },
          cwd: temp(),
        }),
      ),
    ).toEqual([
      'flag connections.max: "0" is not a valid number (an integer from 1 to 1000000)',
      'LIVEHOOKS_HEADERS_TIMEOUT_MS: 5000 exceeds connections.requestTimeoutMs (4000); the request timeout covers the headers too',
    ]);
  });

  it('layers the config file, then the environment, then flags', () => {
    const cwd = temp();
    const file = join(cwd, 'livehooks.config.json');
    writeFileSync(
      file,
      JSON.stringify({
        $schema: './schema.json',
        port: 7000,
        host: '10.0.0.1',
        logLevel: 'warn',
        trtc: { keys: { '1400000001': 'fileKey' } },
        commit: { maxBatch: 200 },
      }),
    );
    const config = loadConfig({
      cwd,
      file,
      env: { LIVEHOOKS_PORT: '7001', LIVEHOOKS_LOG_LEVEL: 'error' },
      flags: { port: '7002', host: undefined },
    });
    expect(config.port).toBe(7002);
    expect(config.host).toBe('10.0.0.1');
    expect(config.logLevel).toBe('error');
    expect(config.trtc.keys).toEqual({ '1400000001': 'fileKey' });
    expect(config.commit.maxBatch).toBe(200);
  });

  it('finds the config file through LIVEHOOKS_CONFIG', () => {
    const cwd = temp();
    writeFileSync(join(cwd, 'gateway.json'), JSON.stringify({ port: 6001 }));
    expect(loadConfig({ cwd, env: { LIVEHOOKS_CONFIG: 'gateway.json' } }).port).toBe(6001);
  });

  it('lists one line per problem, naming where each value came from', () => {
    const cwd = temp();
    const file = join(cwd, 'bad.json');
    writeFileSync(file, JSON.stringify({ prot: 80, css: { keyz: ['x'] }, trtc: { allowUnsigned: 'maybe' } }));
    const problems = problemsOf(() =>
      loadConfig({
        cwd,
        file,
        env: { LIVEHOOKS_PORT: '99999', LIVEHOOKS_LOG_LEVEL: 'loud', LIVEHOOKS_DATABASE_URL: 'mysql://x/y' },
        flags: { maxBodyBytes: 'huge' },
      }),
    );
    expect(problems).toHaveLength(7);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^config file .*bad\.json: prot: unknown option/),
        expect.stringMatching(/^config file .*bad\.json: css\.keyz: unknown option/),
        expect.stringMatching(/^config file .*bad\.json: trtc\.allowUnsigned: "maybe" is not a boolean/),
        expect.stringMatching(/^LIVEHOOKS_PORT: "99999" is not a TCP port/),
        expect.stringMatching(/^LIVEHOOKS_LOG_LEVEL: "loud" is not a log level/),
        expect.stringMatching(/^LIVEHOOKS_DATABASE_URL: unsupported database URL scheme "mysql"/),
        expect.stringMatching(/^flag maxBodyBytes: "huge" is not a valid number/),
      ]),
    );
    const error = (() => {
      try {
        loadConfig({ cwd, env: { LIVEHOOKS_PORT: 'x' } });
      } catch (caught) {
        return caught as ConfigError;
      }
    })();
    expect(error?.code).toBe('LH_ERR_INVALID_CONFIG');
    expect(error?.message.split('\n')).toHaveLength(2);
  });

  it('never quotes a secret in a problem', () => {
    const problems = problemsOf(() =>
      loadConfig({
        cwd: temp(),
        env: {
          LIVEHOOKS_INGEST_SECRET: 'short/secret',
          LIVEHOOKS_API_TOKEN: 'tiny',
          LIVEHOOKS_TRTC_KEYS: '1400000001:has space,nocolonsecret',
          LIVEHOOKS_CSS_KEYS: 'fine,  ',
        },
      }),
    );
    expect(problems).toHaveLength(3);
    const text = problems.join('\n');
    for (const secret of ['short/secret', 'tiny', 'has space', 'nocolonsecret'])
      expect(text).not.toContain(secret);
  });

  it('reports an unreadable or malformed config file', () => {
    const cwd = temp();
    writeFileSync(join(cwd, 'broken.json'), '{ "port": ');
    expect(problemsOf(() => loadConfig({ cwd, env: {}, file: 'broken.json' }))[0]).toMatch(/not valid JSON/);
    expect(problemsOf(() => loadConfig({ cwd, env: {}, file: 'missing.json' }))[0]).toMatch(
      /missing.json: no such file; check the path given to --config \(ENOENT\)/,
    );
  });

  it('has every option documented in docs/configuration.md', () => {
    const docs = readFileSync(new URL('../../../docs/configuration.md', import.meta.url), 'utf8');
    for (const option of CONFIG_OPTIONS) {
      expect(docs, option.env).toContain(`\`${option.env}\``);
      expect(docs, option.key).toContain(`\`${option.key}\``);
    }
    expect(docs).toContain('`LIVEHOOKS_CONFIG`');
  });
});

describe('the config file schema', () => {
  const root = new URL('../../../', import.meta.url);
  const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
  const validate = new Ajv2020({ strict: false }).compile(configJsonSchema());

  it('is the generated JSON Schema the example config and the docs point editors at', () => {
    expect(JSON.parse(read('packages/server/config.schema.json'))).toMatchObject(configJsonSchema());
    const example = JSON.parse(read('examples/livehooks.config.json')) as { $schema: string };
    expect(new URL(example.$schema, new URL('examples/', root)).href).toBe(
      new URL('packages/server/config.schema.json', root).href,
    );
    expect(read('docs/configuration.md')).toContain(
      '"$schema": "./node_modules/@livehooks/server/config.schema.json"',
    );
  });

  it('accepts the example config, which the gateway loads as it is', () => {
    const file = fileURLToPath(new URL('examples/livehooks.config.json', root));
    expect(validate(JSON.parse(readFileSync(file, 'utf8')))).toBe(true);
    const config = loadConfig({ env: {}, cwd: temp(), file });
    expect(config.sinks.map((sink) => [sink.name, sink.type])).toEqual([
      ['ops', 'webhook'],
      ['bus', 'nats'],
      ['cut', 'tencent'],
    ]);
    expect(config.connections.keepAliveTimeoutMs).toBe(65_000);
  });

  it('refuses what loadConfig refuses: an unknown key, a value out of range, an unknown sink type', () => {
    const bad = [
      { prot: 80 },
      { css: { keyz: ['x'] } },
      { port: 70_000 },
      { dispatch: { pollMs: 1 } },
      { sinks: [{ name: 'x', type: 'smtp' }] },
      { sinks: [{ name: 'x', type: 'webhook', url: 'https://a.example/', colour: 'red' }] },
    ];
    for (const input of bad) {
      expect(validate(input), JSON.stringify(input)).toBe(false);
      expect(() => loadConfig({ env: {}, cwd: temp(), flags: input })).toThrow(ConfigError);
    }
  });

  it('documents each default the gateway applies', () => {
    const schema = configJsonSchema() as { properties: Record<string, { default?: unknown }> };
    const defaults = loadConfig({ env: {}, cwd: temp() });
    expect(schema.properties.port!.default).toBe(defaults.port);
    expect(schema.properties.maxBodyBytes!.default).toBe(defaults.maxBodyBytes);
    expect(schema.properties.logLevel!.default).toBe(defaults.logLevel);
  });
});

describe('parseDatabaseUrl', () => {
  it.each([
    ['./data/x.db', { dialect: 'sqlite', path: '/srv/data/x.db' }],
    ['sqlite:./data/x.db', { dialect: 'sqlite', path: '/srv/data/x.db' }],
    ['sqlite:///var/lib/x.db', { dialect: 'sqlite', path: '/var/lib/x.db' }],
    ['sqlite::memory:', { dialect: 'sqlite', path: ':memory:' }],
    [
      'postgres://u@h:5432/db',
      { dialect: 'postgres', connectionString: 'postgres://u@h:5432/db', schema: 'public' },
    ],
    ['postgresql://u@h/db?schema=gw&sslmode=disable', { dialect: 'postgres', schema: 'gw' }],
  ])('reads %s', (url, expected) => {
    expect(parseDatabaseUrl(url, '/srv')).toMatchObject(expected);
  });

  it('refuses other schemes and odd schema names', () => {
    expect(() => parseDatabaseUrl('mysql://h/db')).toThrow(/unsupported database URL scheme/);
    expect(() => parseDatabaseUrl('postgres://h/db?schema=a;drop')).toThrow(/not a plain identifier/);
  });

  it('hides the password when printing a PostgreSQL URL', () => {
    expect(redactDatabaseUrl('postgres://user:s3cret@db:5432/x')).toBe('postgres://user:***@db:5432/x');
  });
});

describe('resolveApiToken', () => {
  it('generates a token once, keeps it in the data dir with mode 0600, and reuses it', () => {
    const dataDir = join(temp(), 'data');
    const first = resolveApiToken({ dataDir });
    expect(first.source).toBe('generated');
    expect(first.token.length).toBeGreaterThanOrEqual(32);
    expect(statSync(join(dataDir, 'api-token')).mode & 0o777).toBe(0o600);
    const again = resolveApiToken({ dataDir });
    expect(again).toMatchObject({ token: first.token, source: 'file' });
  });

  it('prefers the configured token', () => {
    expect(resolveApiToken({ dataDir: temp(), apiToken: 'configured-token-123' })).toEqual({
      token: 'configured-token-123',
      source: 'config',
    });
  });
});

describe('protectionWarnings', () => {
  it('names each protection left off', () => {
    const open = loadConfig({
      cwd: temp(),
      env: { LIVEHOOKS_CSS_ALLOW_UNSIGNED: 'true', LIVEHOOKS_TRTC_ALLOW_UNSIGNED: 'true' },
    });
    const warnings = protectionWarnings(open);
    expect(warnings.some((line) => line.startsWith('css.allowUnsigned is on'))).toBe(true);
    expect(warnings.some((line) => line.startsWith('trtc.allowUnsigned is on'))).toBe(true);
    expect(warnings.some((line) => line.startsWith('no ingest secret'))).toBe(true);
    expect(warnings.some((line) => line.startsWith('no CSS callback key'))).toBe(true);

    const guarded = loadConfig({
      cwd: temp(),
      env: {
        LIVEHOOKS_CSS_KEYS: 'k',
        LIVEHOOKS_TRTC_KEYS: '1:k',
        LIVEHOOKS_INGEST_SECRET: 'a-long-enough-secret-123',
      },
    });
    expect(protectionWarnings(guarded)).toEqual([]);
  });
});
