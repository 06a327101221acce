import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { CONFIG_OPTIONS } from '@livehooks/server';
import { addConfigFlags, CONFIG_FLAGS, configFromFlags, flagName } from './_config-flags.js';

describe('CONFIG_FLAGS', () => {
  it('mirrors every gateway configuration option, with the same environment variable', () => {
    expect(CONFIG_FLAGS.map((flag) => [flag.key, flag.env])).toEqual(
      CONFIG_OPTIONS.map((option) => [option.key, option.env]),
    );
  });

  it('marks exactly the boolean options as switches', () => {
    const booleans = CONFIG_OPTIONS.filter((option) => option.kind === 'bool').map((option) => option.key);
    expect(CONFIG_FLAGS.filter((flag) => flag.boolean).map((flag) => flag.key)).toEqual(booleans);
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
