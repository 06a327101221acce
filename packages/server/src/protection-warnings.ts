import type { ServerConfig } from './config/server-config.js';

/**
 * One line per protection the configuration leaves off, logged as warnings at start-up, so an operator
 * sees what an attacker who can reach the gateway could do.
 *
 * @example
 * ```ts
 * for (const line of protectionWarnings(config)) logger.warn(line);
 * ```
 */
export function protectionWarnings(config: ServerConfig): string[] {
  const warnings: string[] = [];
  if (config.css.allowUnsigned) {
    warnings.push(
      'css.allowUnsigned is on: CSS callbacks without t/sign are accepted on every ingest URL; anyone who reaches the gateway can inject CSS events',
    );
  }
  if (config.trtc.allowUnsigned) {
    warnings.push(
      'trtc.allowUnsigned is on: TRTC callbacks without a Sign header are accepted; anyone who reaches the gateway can inject TRTC events',
    );
  }
  if (config.ingestSecret === undefined) {
    const unsigned = config.css.allowUnsigned
      ? ''
      : ', the CSS callbacks Tencent never signs (328, 314, 315, 321, 343, 344, 345, 348, 349) are refused';
    warnings.push(
      `no ingest secret: callbacks are accepted on guessable URLs${unsigned}, and a captured CSS t/sign pair can forge any CSS body until t expires (the sign does not cover the body)`,
    );
  }
  if (config.css.keys.length === 0) {
    warnings.push('no CSS callback key: every signed CSS callback is refused (LH_ERR_NO_KEY)');
  }
  if (Object.keys(config.trtc.keys).length === 0 && !config.trtc.allowUnsigned) {
    warnings.push('no TRTC callback key: every TRTC callback is refused (LH_ERR_UNKNOWN_APP)');
  }
  return warnings;
}
