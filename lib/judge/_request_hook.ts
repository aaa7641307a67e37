/**
 * A way for whoever runs a judgement to see, and pace, the HTTP requests the provider clients
 * send for it, without passing anything through the judges: `makeClient` gives every client
 * `_observedFetch()`, and code that runs a judgement inside `_requestObservers.run(observer, …)`
 * is told of each request before it goes and of its answer's status and headers. The benchmark
 * runner's provider pool uses it to pace requests to a provider's rate limit (retries too) and
 * to read the rate-limit headers of every answer, not only of 429s.
 *
 * @module
 */

import { AsyncLocalStorage } from "node:async_hooks";

/** Told of the requests sent inside `_requestObservers.run()`. */
export interface _RequestObserver {
  /**
   * Called before a request goes; the request waits until it settles.
   *
   * @param signal The request's signal (its timeout or the caller's cancellation).
   * @returns A ticket handed back to `answered` (or a promise of one).
   */
  sending(signal: AbortSignal | undefined): unknown;
  /**
   * Called when the request is answered (status and headers), or failed without an answer
   * (status 0, no headers).
   */
  answered(ticket: unknown, status: number, headers: Headers | undefined): void;
}

/** The observer of the judgement running now, if any. */
export const _requestObservers: AsyncLocalStorage<_RequestObserver> = new AsyncLocalStorage();

/**
 * A `fetch` for provider clients that tells the current observer (if any) of each request.
 * Without one it is `globalThis.fetch`, looked up at each call.
 *
 * @returns The fetch function.
 */
export function _observedFetch(): typeof fetch {
  return async (input, init) => {
    const observer = _requestObservers.getStore();
    if (observer === undefined) return await globalThis.fetch(input, init);
    const ticket = await observer.sending(init?.signal ?? undefined);
    let response: Response;
    try {
      response = await globalThis.fetch(input, init);
    } catch (error) {
      observer.answered(ticket, 0, undefined);
      throw error;
    }
    observer.answered(ticket, response.status, response.headers);
    return response;
  };
}
