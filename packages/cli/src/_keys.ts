import { TEST_KEYS } from '@livehooks/fixtures';

/** CSS keys from `LIVEHOOKS_CSS_KEYS` (comma-separated, as the gateway reads them). */
export function cssKeysFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.LIVEHOOKS_CSS_KEYS ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
}

/** TRTC keys by SdkAppId from `LIVEHOOKS_TRTC_KEYS` (comma-separated `sdkappid:key`, as the gateway reads them). */
export function trtcKeysFromEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const entry of (env.LIVEHOOKS_TRTC_KEYS ?? '').split(',')) {
    const at = entry.indexOf(':');
    if (at > 0) keys[entry.slice(0, at).trim()] = entry.slice(at + 1).trim();
  }
  return keys;
}

/** The keys a sending command signs with: its flags, else the gateway's environment, else the test keys. */
export function signingKeys(flags: { key?: string; trtcKey?: string; sdkAppId?: string }): {
  cssKey: string;
  trtcKey: string;
  sdkAppId: string;
} {
  const trtc = trtcKeysFromEnv();
  const sdkAppId = flags.sdkAppId ?? Object.keys(trtc)[0] ?? TEST_KEYS.trtc.sdkAppId;
  return {
    cssKey: flags.key ?? cssKeysFromEnv()[0] ?? TEST_KEYS.css,
    trtcKey: flags.trtcKey ?? trtc[sdkAppId] ?? TEST_KEYS.trtc.key,
    sdkAppId,
  };
}
