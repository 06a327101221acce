import { pino, type Logger } from 'pino';
import type { LogLevel } from '../config/server-config.js';
import { redactPath } from './redact.js';

/**
 * The gateway's pino logger: JSON lines on stdout, written asynchronously so a log line never waits on the
 * terminal. Request serialisers keep only method, redacted path and address (no headers, no bodies).
 *
 * @example
 * ```ts
 * const logger = createLogger('info');
 * logger.info({ port: 8080 }, 'listening');
 * ```
 */
export function createLogger(level: LogLevel, destination: number | string = 1): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      serializers: {
        req: (req: { method?: string; url?: string; ip?: string }) => ({
          method: req.method,
          path: redactPath(req.url ?? ''),
          remoteAddress: req.ip,
        }),
        res: (res: { statusCode?: number }) => ({ status: res.statusCode }),
      },
    },
    pino.destination({ dest: destination, sync: false }),
  );
}
