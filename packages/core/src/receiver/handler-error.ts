import { errorMessage } from '../errors/error-codes.js';
import { LivehooksError } from '../errors/livehooks-error.js';
import type { AnyLivehooksEvent } from '../events/index.js';

/**
 * Thrown by {@link Receiver.receive} when one or more event handlers failed: code
 * `LH_ERR_HANDLER_FAILED`, status 500, so the HTTP answer makes Tencent retry the callback
 * (https://trtc.io/document/39558, https://cloud.tencent.com/document/product/267/32744). Every failure is
 * kept in `errors`, none is swallowed; the message names the event but quotes no handler message, because it is also the HTTP answer.
 *
 * @example
 * ```ts
 * try {
 *   await receiver.receive(rawBody, headers);
 * } catch (error) {
 *   if (error instanceof HandlerError) for (const failure of error.errors) logger.error(failure);
 * }
 * ```
 */
export class HandlerError extends LivehooksError {
  /** What each failed handler threw, in registration order; also what failing `onError` handlers threw. */
  readonly errors: unknown[];
  /** The verified event the handlers were given. */
  readonly event: AnyLivehooksEvent;

  constructor(event: AnyLivehooksEvent, errors: readonly unknown[], handlerCount: number) {
    super(
      'LH_ERR_HANDLER_FAILED',
      errorMessage('LH_ERR_HANDLER_FAILED', {
        failed: errors.length,
        handlers: handlerCount,
        type: event.type,
        id: event.id,
      }),
      { cause: errors.length === 1 ? errors[0] : new AggregateError(errors, 'several handlers failed') },
    );
    this.errors = [...errors];
    this.event = event;
  }
}
