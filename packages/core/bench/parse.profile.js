// Runs parseCallback over the seed mix (or the types PROFILE_TYPES matches) for PROFILE_SECONDS, for
// `node --cpu-prof bench/parse.profile.js` (after `npm run build`): signed bodies, or with PROFILE_UNSIGNED=1
// the bodies as Tencent sends them unsigned, accepted by configuration (the bench's "parse").
import { parseCallback } from '@livehooks/core';
import { loadSamples, signRequest, TEST_KEYS } from '@livehooks/fixtures';

const SEED_TYPES = process.env.PROFILE_TYPES
  ? new RegExp(process.env.PROFILE_TYPES)
  : /^(css\.monitor\.|css\.moderation\.image$|css\.smart_erase$|css\.screenshot$|trtc\.moderation\.)/;
const SECONDS = Number(process.env.PROFILE_SECONDS ?? 5);
const encoder = new TextEncoder();
const UNSIGNED = process.env.PROFILE_UNSIGNED === '1';
const options = UNSIGNED
  ? { css: { allowUnsigned: true }, trtc: { allowUnsigned: true } }
  : {
      css: { keys: [TEST_KEYS.css], allowUnsigned: true },
      trtc: { keys: { [TEST_KEYS.trtc.sdkAppId]: TEST_KEYS.trtc.key } },
    };

/** The body Tencent would send unsigned: CSS without `t` and `sign`, TRTC without the `Sign` header. */
function unsignedBody(sample) {
  if (sample.family === 'trtc') return sample.body;
  const { t: _t, sign: _sign, ...rest } = JSON.parse(sample.body);
  return JSON.stringify(rest);
}

const items = loadSamples()
  .filter((sample) => SEED_TYPES.test(sample.type))
  .map((sample) => {
    if (UNSIGNED) {
      return { bytes: encoder.encode(unsignedBody(sample)), headers: { 'content-type': 'application/json' } };
    }
    const request = signRequest(sample.family, sample.body);
    return { bytes: encoder.encode(request.body), headers: request.headers };
  });
const deadline = Date.now() + SECONDS * 1000;
let count = 0;
while (Date.now() < deadline) {
  for (const item of items) parseCallback(item.bytes, item.headers, options);
  count += items.length;
}
console.log(`${count} callbacks in ${SECONDS} s`);
