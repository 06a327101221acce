import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { CONFIG_OPTIONS, loadConfig } from '@livehooks/server';
import { addConfigFlags, CONFIG_FLAGS, configFromFlags, flagName } from './_config-flags.js';

/** Every flag and environment variable users have been told about; none may disappear or change key. */
const PUBLISHED: readonly (readonly [key: string, env: string])[] = [
  ['host', 'LIVEHOOKS_HOST'],
  ['port', 'LIVEHOOKS_PORT'],
  ['databaseUrl', 'LIVEHOOKS_DATABASE_URL'],
  ['dataDir', 'LIVEHOOKS_DATA_DIR'],
  ['dashboardDir', 'LIVEHOOKS_DASHBOARD_DIR'],
  ['apiToken', 'LIVEHOOKS_API_TOKEN'],
  ['ingestSecret', 'LIVEHOOKS_INGEST_SECRET'],
  ['logLevel', 'LIVEHOOKS_LOG_LEVEL'],
  ['maxBodyBytes', 'LIVEHOOKS_MAX_BODY_BYTES'],
  ['trustProxy', 'LIVEHOOKS_TRUST_PROXY'],
  ['css.keys', 'LIVEHOOKS_CSS_KEYS'],
  ['css.allowUnsigned', 'LIVEHOOKS_CSS_ALLOW_UNSIGNED'],
  ['css.rejectStale', 'LIVEHOOKS_CSS_REJECT_STALE'],
  ['css.skewSeconds', 'LIVEHOOKS_CSS_SKEW_SECONDS'],
  ['trtc.keys', 'LIVEHOOKS_TRTC_KEYS'],
  ['trtc.allowUnsigned', 'LIVEHOOKS_TRTC_ALLOW_UNSIGNED'],
  ['connections.headersTimeoutMs', 'LIVEHOOKS_HEADERS_TIMEOUT_MS'],
  ['connections.requestTimeoutMs', 'LIVEHOOKS_REQUEST_TIMEOUT_MS'],
  ['connections.keepAliveTimeoutMs', 'LIVEHOOKS_KEEP_ALIVE_TIMEOUT_MS'],
  ['connections.max', 'LIVEHOOKS_MAX_CONNECTIONS'],
  ['commit.maxBatch', 'LIVEHOOKS_COMMIT_MAX_BATCH'],
  ['commit.maxQueue', 'LIVEHOOKS_COMMIT_MAX_QUEUE'],
  ['commit.timeoutMs', 'LIVEHOOKS_COMMIT_TIMEOUT_MS'],
  ['retention.eventDays', 'LIVEHOOKS_EVENT_RETENTION_DAYS'],
  ['retention.rejectionDays', 'LIVEHOOKS_REJECTION_RETENTION_DAYS'],
  ['retention.rejectionMaxRows', 'LIVEHOOKS_REJECTION_MAX_ROWS'],
  ['shutdownTimeoutMs', 'LIVEHOOKS_SHUTDOWN_TIMEOUT_MS'],
];

describe('CONFIG_FLAGS', () => {
  it('is the server’s list of options that a variable sets, so a new option is a flag at once', () => {
    expect(CONFIG_FLAGS.map((flag) => [flag.key, flag.env])).toEqual(
      CONFIG_OPTIONS.map((option) => [option.key, option.env]),
    );
  });

  it('keeps every published flag and environment variable, under the same config file key', () => {
    const flags = new Map(CONFIG_FLAGS.map((flag) => [flag.key, flag.env]));
    for (const [key, env] of PUBLISHED) expect(flags.get(key), key).toBe(env);
  });

  it('reads every published flag into the option its variable sets', () => {
    const command = addConfigFlags(new Command('serve').exitOverride());
    const values: Record<string, string> = {
      port: '9000',
      logLevel: 'debug',
      'css.keys': 'k1,k2',
      'retention.eventDays': '30',
    };
    command.parse(
      Object.entries(values).flatMap(([key, value]) => [`--${flagName(key)}`, value]),
      { from: 'user' },
    );
    const config = loadConfig({ env: {}, flags: configFromFlags(command.opts()) });
    expect(config).toMatchObject({
      port: 9000,
      logLevel: 'debug',
      css: { keys: ['k1', 'k2'] },
      retention: { eventDays: 30 },
    });
  });

  it('makes the boolean options switches', () => {
    expect(CONFIG_FLAGS.filter((flag) => flag.boolean).map((flag) => flag.key)).toEqual([
      'trustProxy',
      'css.allowUnsigned',
      'css.rejectStale',
      'trtc.allowUnsigned',
    ]);
    const command = addConfigFlags(new Command('serve').exitOverride());
    command.parse(['--trust-proxy', '--css-reject-stale', 'false'], { from: 'user' });
    expect(configFromFlags(command.opts())).toEqual({ trustProxy: true, css: { rejectStale: 'false' } });
  });

  it('shows each default and advises the variable for secrets in the help', () => {
    const help = addConfigFlags(new Command('serve').configureHelp({ helpWidth: 1000 })).helpInformation();
    expect(help).toMatch(/--port <value>\s+TCP port; 0 picks a free one \(default 8080\) \[LIVEHOOKS_PORT\]/);
    for (const flag of CONFIG_FLAGS.filter((item) => item.secret)) {
      expect(help).toContain(`[${flag.env}] (prefer the variable: flags show in ps)`);
    }
    expect(CONFIG_FLAGS.filter((flag) => flag.secret).map((flag) => flag.key)).toEqual([
      'apiToken',
      'ingestSecret',
      'css.keys',
      'trtc.keys',
    ]);
  });
});

describe('configFromFlags', () => {
  it('turns parsed flags into the config file shape loadConfig takes', () => {
    const command = addConfigFlags(new Command('serve').exitOverride());
    command.parse(
      ['--port', '9000', '--css-keys', 'a,b', '--css-allow-unsigned', '--retention-event-days', '30'],
      {
        from: 'user',
      },
    );
    expect(configFromFlags(command.opts())).toEqual({
      port: '9000',
      css: { keys: 'a,b', allowUnsigned: true },
      retention: { eventDays: '30' },
    });
  });

  it('names flags after the keys in kebab case', () => {
    expect(flagName('trtc.allowUnsigned')).toBe('trtc-allow-unsigned');
    expect(flagName('databaseUrl')).toBe('database-url');
  });
});
