import type { CallbackResponse } from '../receiver/create-receiver.js';

/** The part of a Node `http.ServerResponse` the adapters use, typed structurally. */
export interface NodeResponseLike {
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body?: string): unknown;
  destroy(error?: Error): unknown;
}

/** Writes a {@link CallbackResponse} to a Node response. */
export function sendNodeResponse(res: NodeResponseLike, response: CallbackResponse): void {
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}

/**
 * Runs one request through the receiver and writes the answer. `handle` never rejects, so a failure
 * here is a failure to write (the response was already sent): it goes to `next` where there is one,
 * and otherwise ends the connection rather than leaving the sender waiting.
 */
export function respondFromNode(
  pending: Promise<CallbackResponse>,
  res: NodeResponseLike,
  next: ((error?: unknown) => void) | undefined,
): void {
  pending
    .then((response) => sendNodeResponse(res, response))
    .catch((error: unknown) => {
      if (next) next(error);
      else res.destroy(error instanceof Error ? error : undefined);
    });
}
