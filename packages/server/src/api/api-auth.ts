import { createHash, timingSafeEqual } from 'node:crypto';
import { LivehooksError } from '@livehooks/core';
import type { FastifyInstance } from 'fastify';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Requires `Authorization: Bearer <token>` on every route registered in `scope` (an encapsulated plugin),
 * whatever spelling of the URL the router matched: authentication belongs to the matched route, never to
 * the raw URL string (`/%61pi/events` and `//api/events` reach the same routes as `/api/events`).
 *
 * @example
 * ```ts
 * await app.register(async (api) => {
 *   requireApiToken(api, token);
 *   api.get('/api/events', listEvents);
 * });
 * ```
 */
export function requireApiToken(scope: FastifyInstance, apiToken: string): void {
  const expected = digest(apiToken);
  scope.addHook('onRequest', async (request, reply) => {
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
    // Hashing both sides gives equal lengths, so the comparison is constant-time whatever was sent.
    if (token === undefined || !timingSafeEqual(digest(token), expected)) {
      reply.header('www-authenticate', 'Bearer realm="livehooks"');
      throw LivehooksError.of('LH_ERR_UNAUTHORIZED', {
        reason: token === undefined ? 'no-token' : 'wrong-token',
      });
    }
  });
}
