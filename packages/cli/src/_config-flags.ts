import { CONFIG_OPTIONS, type ConfigOption } from '@livehooks/server/config';
import { Option, type Command } from 'commander';

/** One gateway configuration option as a `livehooks serve` flag. */
export type ConfigFlag = Pick<ConfigOption, 'key' | 'env' | 'help' | 'default' | 'boolean' | 'secret'>;

/**
 * Every gateway option as a flag: the options an environment variable can set, read from the server's
 * config schema (`@livehooks/server/config` loads no server code). Flag names are the keys in kebab case:
 * `css.keys` -> `--css-keys`.
 */
export const CONFIG_FLAGS: readonly ConfigFlag[] = CONFIG_OPTIONS;

/** `css.allowUnsigned` -> `css-allow-unsigned`. */
export function flagName(key: string): string {
  return key.replace(/\./g, '-').replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** `css-allow-unsigned` -> the property commander stores it under: `cssAllowUnsigned`. */
function attributeName(key: string): string {
  return flagName(key).replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** Adds `--config` and the given configuration flags to a command. */
export function addConfigFlags(command: Command, flags: readonly ConfigFlag[] = CONFIG_FLAGS): Command {
  command.option('--config <file>', 'JSON config file (default: LIVEHOOKS_CONFIG)');
  for (const flag of flags) {
    const fallback = flag.default === undefined ? '' : ` (default ${flag.default})`;
    const description = `${flag.help}${fallback} [${flag.env}]${flag.secret ? ' (prefer the variable: flags show in ps)' : ''}`;
    command.addOption(
      new Option(`--${flagName(flag.key)} ${flag.boolean ? '[true|false]' : '<value>'}`, description),
    );
  }
  return command;
}

/** The configuration flags given, in the config file's nested shape that `loadConfig({ flags })` takes. */
export function configFromFlags(
  options: Record<string, unknown>,
  flags: readonly ConfigFlag[] = CONFIG_FLAGS,
): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const flag of flags) {
    const value = options[attributeName(flag.key)];
    if (value === undefined) continue;
    const dot = flag.key.indexOf('.');
    const target = dot === -1 ? config : ((config[flag.key.slice(0, dot)] ??= {}) as Record<string, unknown>);
    target[flag.key.slice(dot + 1)] = value;
  }
  return config;
}
