import { pino, type Logger } from 'pino';
import type { LogLevel } from '../config/server-config.js';
import { redactPath } from './redact.js';

/**
 * Bytes of log lines gathered before they are written. A gateway under load logs a line per callback, and the
 * lines of one group commit end in different turns of the event loop: gathered, they cost one write instead
 * of one each (docs/performance.md, "Ingest profile (after)").
 */
const WRITE_BYTES = 4096;
/** The longest a line waits for the lines it is written with. */
const FLUSH_INTERVAL_MS = 100;

/**
 * The gateway's pino logger: JSON lines on stdout, written asynchronously so a log line never waits on the
 * terminal, in writes of a few kilobytes and at least every 100 ms; what is pending is written when the
 * process exits. Request serialisers keep only method, redacted path and address (no headers, no bodies).
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
    pino.destination({
      dest: destination,
      sync: false,
      minLength: WRITE_BYTES,
      periodicFlush: FLUSH_INTERVAL_MS,
    }),
  );
}
