import { isLivehooksError, type LivehooksError } from '@livehooks/core';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { toHttpError } from './http-errors.js';

/** The answer to an error that is neither a {@link LivehooksError} nor a refusal of the HTTP layer. */
export type UnexpectedErrorAnswer = (
  error: unknown,
  request: FastifyRequest,
) => LivehooksError | Promise<LivehooksError>;

/**
 * An error handler that answers every error as `{ code, error }`: a {@link LivehooksError} with its status,
 * an error of Fastify's routing or body reading with its {@link toHttpError} answer, and anything else with
 * what `unexpected` makes of it (which also logs it). The message of an unexpected error, and its stack,
 * never reach the client: they may quote data, hosts or secrets.
 *
 * @example
 * ```ts
 * app.setErrorHandler(
 *   createErrorHandler({ maxBodyBytes: 1_048_576 }, () =>
 *     LivehooksError.of('LH_ERR_INTERNAL', { during: 'serving the request' }),
 *   ),
 * );
 * ```
 */
export function createErrorHandler(
  limits: { maxBodyBytes: number },
  unexpected: UnexpectedErrorAnswer,
): (
  error: FastifyError | LivehooksError,
  request: FastifyRequest,
  reply: FastifyReply,
) => Promise<FastifyReply> {
  return async (error, request, reply) => {
    const answer = isLivehooksError(error)
      ? error
      : (toHttpError(error, limits) ?? (await unexpected(error, request)));
    return reply.code(answer.status).send(answer.toJSON());
  };
}
