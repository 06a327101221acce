import { resolve } from 'node:path';
import { LivehooksError } from '@livehooks/core';

/** Where a store lives, parsed from a database URL. */
export type DatabaseLocation =
  { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; connectionString: string; schema: string };

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** The database a URL names, or what is wrong with the URL, in words. */
function locate(databaseUrl: string, cwd: string): DatabaseLocation | { problem: string } {
  const value = databaseUrl.trim();
  if (value === '') return { problem: 'the database URL is empty' };
  if (/^postgres(ql)?:\/\//i.test(value)) {
    // Not the parser's own error: it carries the whole URL, password included.
    if (!URL.canParse(value)) return { problem: 'the PostgreSQL URL is not a valid URL' };
    const url = new URL(value);
    const schema = url.searchParams.get('schema') ?? 'public';
    if (!SCHEMA_NAME.test(schema)) {
      return {
        problem: `the PostgreSQL schema ${JSON.stringify(schema.slice(0, 80))} is not a plain identifier (letters, digits, _)`,
      };
    }
    url.searchParams.delete('schema');
    return { dialect: 'postgres', connectionString: url.toString(), schema };
  }
  if (/^sqlite:/i.test(value)) {
    const rest = value.slice('sqlite:'.length);
    if (rest === ':memory:') return { dialect: 'sqlite', path: ':memory:' };
    // sqlite:///abs/path keeps its leading slash; sqlite://./rel and sqlite:./rel are relative.
    const path = rest.startsWith('//') ? rest.slice(2) : rest;
    if (path === '') return { problem: 'the sqlite: URL names no file' };
    return { dialect: 'sqlite', path: resolve(cwd, path) };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    return {
      problem: `unsupported database URL scheme ${JSON.stringify(value.slice(0, value.indexOf(':')))}; use a SQLite path, sqlite: or postgres://`,
    };
  }
  return { dialect: 'sqlite', path: resolve(cwd, value) };
}

/**
 * What is wrong with a database URL, in words, or undefined when it names a database: one problem of an
 * `LH_ERR_INVALID_CONFIG`.
 *
 * @example
 * ```ts
 * databaseUrlProblem('mysql://h/db'); // 'unsupported database URL scheme "mysql"; use a SQLite path, sqlite: or postgres://'
 * ```
 */
export function databaseUrlProblem(databaseUrl: string): string | undefined {
  const location = locate(databaseUrl, process.cwd());
  return 'problem' in location ? location.problem : undefined;
}

/**
 * Parses a database URL: a SQLite file path (`./data/livehooks.db`), a `sqlite:` URL
 * (`sqlite:./data/livehooks.db`, `sqlite:///var/lib/livehooks.db`, `sqlite::memory:`), or a PostgreSQL URL
 * (`postgres://user@host:5432/db`, with an optional `?schema=name` query parameter; default `public`). A URL
 * that names no database fails with `LH_ERR_INVALID_CONFIG`.
 *
 * @example
 * ```ts
 * parseDatabaseUrl('postgres://postgres@127.0.0.1/livehooks?schema=gateway');
 * // { dialect: 'postgres', connectionString: 'postgres://postgres@127.0.0.1/livehooks', schema: 'gateway' }
 * ```
 */
export function parseDatabaseUrl(databaseUrl: string, cwd: string = process.cwd()): DatabaseLocation {
  const location = locate(databaseUrl, cwd);
  if ('problem' in location)
    throw LivehooksError.of('LH_ERR_INVALID_CONFIG', { problems: [location.problem] });
  return location;
}

/** The URL with its password removed, for logs and start-up output. */
export function redactDatabaseUrl(databaseUrl: string): string {
  if (!/^postgres(ql)?:\/\//i.test(databaseUrl.trim())) return databaseUrl;
  try {
    const url = new URL(databaseUrl.trim());
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://(unparseable URL)';
  }
}
