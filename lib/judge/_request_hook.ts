/**
 * A way for whoever runs a judgement to see, and pace, the HTTP requests the provider clients
 * send for it without passing anything through the judges: every client from `makeClient`
 * fetches with `_observedFetch()`, which tells the observer of `_requestObservers.run(observer,
 * …)` of each request before it goes and of its answer. The runner's provider pool uses it to
 * pace every request (retries too) and to read the rate-limit headers of every answer.
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
  /** Called with the answer's status and headers, or status 0 and no headers when none came. */
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
