import { describe, expect, it } from 'vitest';
import { errorCodes, errorMessage, type ErrorCode, type ErrorParams } from './error-codes.js';
import { isLivehooksError, LivehooksError } from './livehooks-error.js';

/** One set of parameters per code: adding a code without a template, or changing a template's parameters, fails to compile here. */
const samples: { [C in ErrorCode]: ErrorParams<C> } = {
  LH_ERR_SIGNATURE_MISSING: { family: 'css', missing: ['t', 'sign'] },
  LH_ERR_SIGNATURE_MISMATCH: { reason: 'css-mismatch', keyCount: 2 },
  LH_ERR_UNKNOWN_APP: { sdkAppId: '1400000002' },
  LH_ERR_NO_KEY: { family: 'css' },
  LH_ERR_CSS_SIGN_EXPIRED: { t: '1700000000', secondsAgo: 61.4 },
  LH_ERR_INVALID_JSON: { problem: 'syntax', detail: 'Unexpected token } in JSON at position 9' },
  LH_ERR_UNSUPPORTED_CONTENT: { contentType: 'text/plain' },
  LH_ERR_UNKNOWN_CALLBACK: { signHeader: false },
  LH_ERR_BODY_TOO_LARGE: { limit: 1024, size: 4096 },
  LH_ERR_BODY_CONSUMED: { what: 'express.json() parsed the body', hint: 'Mount it first.' },
  LH_ERR_BODY_UNREADABLE: { reason: 'connection-closed' },
  LH_ERR_METHOD_NOT_ALLOWED: { method: 'get' },
  LH_ERR_BAD_REQUEST: { reason: 'url-encoding' },
  LH_ERR_HEADERS_TOO_LARGE: { limit: 16384 },
  LH_ERR_REQUEST_TIMEOUT: { headersTimeoutMs: 3000, requestTimeoutMs: 4000 },
  LH_ERR_UNKNOWN_EVENT_TYPE: { reason: 'no-match', selector: 'css.screnshot' },
  LH_ERR_INTERNAL: { during: 'handling the callback' },
  LH_ERR_HANDLER_FAILED: { failed: 2, handlers: 3, type: 'css.screenshot', id: '01J0' },
  LH_ERR_STORE_UNAVAILABLE: { action: 'commit the callback', reason: 'the commit queue is full' },
  LH_ERR_UNAUTHORIZED: { reason: 'wrong-token' },
  LH_ERR_NOT_FOUND: { what: 'event', id: '01J0' },
  LH_ERR_INVALID_QUERY: { parameter: 'limit', expected: 'an integer from 1 to 500', got: '0' },
  LH_ERR_INVALID_CONFIG: { problems: ['port: must be an integer'] },
};

const codes = Object.keys(errorCodes) as ErrorCode[];

describe('LivehooksError.of', () => {
  it.each(codes)('builds %s with its status and the message its template makes', (code) => {
    const error = LivehooksError.of(code, samples[code]);
    expect(error).toBeInstanceOf(LivehooksError);
    expect(isLivehooksError(error, code)).toBe(true);
    expect(error.status).toBe(errorCodes[code].status);
    expect(error.message).toBe(errorMessage(code, samples[code]));
    expect(error.message.trim()).not.toBe('');
    expect(error.toJSON()).toEqual({ code, error: error.message });
  });

  it('builds the messages the call sites relied on', () => {
    expect(LivehooksError.of('LH_ERR_BODY_TOO_LARGE', { limit: 1024, size: 4096 }).message).toBe(
      'body is 4096 bytes; the limit is 1024',
    );
    expect(LivehooksError.of('LH_ERR_BODY_TOO_LARGE', { limit: 1024 }).message).toBe(
      'body is larger than the limit of 1024 bytes',
    );
    expect(LivehooksError.of('LH_ERR_SIGNATURE_MISSING', { family: 'css', missing: ['sign'] }).message).toBe(
      'CSS callback has no `sign` field; expected t (expiry) and sign = md5(key + t)',
    );
    expect(LivehooksError.of('LH_ERR_CSS_SIGN_EXPIRED', { t: '1700000000', secondsAgo: 61.4 }).message).toBe(
      'CSS callback is correctly signed but expired at t="1700000000", 61 s ago',
    );
    expect(
      LivehooksError.of('LH_ERR_INVALID_CONFIG', { problems: ['port: must be an integer', 'host: empty'] })
        .message,
    ).toBe('invalid configuration (2 problems):\n  - port: must be an integer\n  - host: empty');
  });

  it('quotes an offending value and cuts it, so a message never carries a whole body', () => {
    const id = `"${'x'.repeat(10_000)}`;
    const { message } = LivehooksError.of('LH_ERR_NOT_FOUND', { what: 'event', id });
    expect(message.length).toBeLessThan(120);
    expect(message.startsWith('no event "\\"xxx')).toBe(true);
    const method = LivehooksError.of('LH_ERR_METHOD_NOT_ALLOWED', { method: 'g\u001bet'.repeat(50) }).message;
    expect(method).toContain('"G\\u001bETG');
    expect(method.length).toBeLessThan(120);
  });

  it('builds the variants a server site needs: a named dialect, a schema issue, a bug, an unnamed content type', () => {
    expect(
      errorMessage('LH_ERR_STORE_UNAVAILABLE', {
        dialect: 'sqlite',
        action: 'answer',
        reason: 'SQLITE_BUSY',
      }),
    ).toBe('the sqlite store cannot answer: SQLITE_BUSY');
    expect(errorMessage('LH_ERR_INVALID_QUERY', { issue: `limit: ${'9'.repeat(1000)}` })).toHaveLength(400);
    expect(errorMessage('LH_ERR_INTERNAL', { bug: 'the route GET /x has no schema' })).toBe(
      'a bug in livehooks: the route GET /x has no schema',
    );
    expect(errorMessage('LH_ERR_UNSUPPORTED_CONTENT', { malformed: true })).toBe(
      'the Content-Type header is not a valid media type; Tencent sends application/json',
    );
  });

  it('keeps a cause and a status override', () => {
    const cause = new Error('disk full');
    const error = LivehooksError.of(
      'LH_ERR_BAD_REQUEST',
      { reason: 'path-segment-too-long' },
      { cause, status: 414 },
    );
    expect(error.cause).toBe(cause);
    expect(error.status).toBe(414);
  });

  it('answers LH_ERR_INTERNAL with 500: the request was not served', () => {
    const error = LivehooksError.of('LH_ERR_INTERNAL', { during: 'listing events' });
    expect(error.status).toBe(500);
    expect(error.message).toBe('an unexpected error while listing events; the request was not served');
  });
});

describe('new LivehooksError', () => {
  it('still takes a code and a message of its own', () => {
    const error = new LivehooksError('LH_ERR_NOT_FOUND', 'no such thing');
    expect(error.message).toBe('no such thing');
    expect(error.status).toBe(404);
  });
});
