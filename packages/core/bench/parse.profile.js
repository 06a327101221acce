// Runs parseCallback over the seed mix (or the types PROFILE_TYPES matches) for PROFILE_SECONDS, for
// `node --cpu-prof bench/parse.profile.js` (after `npm run build`).
import { parseCallback } from '@livehooks/core';
import { loadSamples, signRequest, TEST_KEYS } from '@livehooks/fixtures';

const SEED_TYPES = process.env.PROFILE_TYPES
  ? new RegExp(process.env.PROFILE_TYPES)
  : /^(css\.monitor\.|css\.moderation\.image$|css\.smart_erase$|css\.screenshot$|trtc\.moderation\.)/;
const SECONDS = Number(process.env.PROFILE_SECONDS ?? 5);
const encoder = new TextEncoder();
const options = {
  css: { keys: [TEST_KEYS.css], allowUnsigned: true },
  trtc: { keys: { [TEST_KEYS.trtc.sdkAppId]: TEST_KEYS.trtc.key } },
};
const items = loadSamples()
  .filter((sample) => SEED_TYPES.test(sample.type))
  .map((sample) => {
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
