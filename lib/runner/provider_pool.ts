/**
 * `ProviderPool`: how many requests one provider gets at once — a bounded, first-come pool —
 * and how fast they go: paced to the provider's rate limit as learned from its answers.
 *
 * @module
 */

import { type _RequestObserver, _requestObservers } from "../judge/_request_hook.ts";
import { _Pacer, type _Send } from "./_pacer.ts";
import { _readRateLimit } from "../judge/_rate_limit_headers.ts";

/** A change of a pool's pace, for the run's log. */
export interface PoolEvent {
  /** When, as an ISO 8601 timestamp. */
  time: string;
  /** The provider whose pool changed. */
  provider: string;
  /** `"pace"`: requests now go at `rate` a second; `"pause"`: none for a while after a 429. */
  kind: "pace" | "pause";
  /** The pace after, in requests per second (absent while unpaced). */
  rate?: number;
  /** Why, in words. */
  reason: string;
}

/** How a pool behaves. */
export interface ProviderPoolOptions {
  /** The provider's name, for events. */
  provider: string;
  /** The configured ceiling: the most requests ever in flight at once (an integer ≥ 1). */
  concurrency: number;
  /** Told of every change as it happens. */
  onEvent?: (event: PoolEvent) => void;
}

/** The send a task started with, until its first request or a 429 takes it. */
interface TaskObserver extends _RequestObserver {
  readonly pool: ProviderPool;
  send: _Send | undefined;
  /** Whether its requests go through the observed fetch (`makeClient`'s clients). */
  hooked: boolean;
}

/**
 * A bounded pool of request slots for one provider, first come first served, whose requests
 * are paced to the provider's rate limit:
 *
 * - at most `concurrency` tasks run at once; a finishing task hands its slot straight to the
 *   next waiter. Pacing never changes the concurrency;
 * - every request goes when the pacer (`_pacer.ts`) says: at once until the provider's limit is
 *   known, then at 97% of it, learned from its rate-limit headers or from its 429s;
 * - a task whose client was made by `makeClient` tells the pool of each request (retries are
 *   paced too, and every answer's headers read); any other task is one request, and
 *   `rateLimited()` (from the judge's `onRetry`) is the 429 it hears of.
 *
 * Every change is recorded in `events` and passed to `onEvent`.
 */
export class ProviderPool {
  readonly #ceiling: number;
  readonly #events: PoolEvent[] = [];
  readonly #pacer: _Pacer;
  #active = 0;
  /** Tasks waiting for a slot (while all are taken), and requests waiting for the pacer. */
  readonly #slots = new Line<void>();
  readonly #sends = new Line<_Send>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * Makes a pool at its ceiling, unpaced until the provider says how fast it may go.
   *
   * @param options The provider, the ceiling, and a listener.
   * @throws {RangeError} When `concurrency` is not an integer ≥ 1.
   *
   * @example
   * ```ts
   * import { ProviderPool } from "./provider_pool.ts";
   * import assert from "node:assert/strict";
   *
   * const pool = new ProviderPool({ provider: "openai", concurrency: 8 });
   * assert.deepEqual([pool.limit, pool.active, pool.waiting, pool.rate], [8, 0, 0, undefined]);
   * assert.throws(() => new ProviderPool({ provider: "openai", concurrency: 0 }), RangeError);
   * ```
   */
  constructor(options: ProviderPoolOptions) {
    const { provider, concurrency, onEvent } = options;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`${provider}: concurrency must be an integer ≥ 1, got ${concurrency}`);
    }
    this.#ceiling = concurrency;
    this.#pacer = new _Pacer({
      onChange: ({ kind, rate, reason }) => {
        const event: PoolEvent = {
          time: new Date().toISOString(),
          provider,
          kind,
          ...(rate === undefined ? {} : { rate }),
          reason,
        };
        this.#events.push(event);
        onEvent?.(event);
      },
    });
  }

  /** How many tasks may run at once: the configured ceiling. */
  get limit(): number {
    return this.#ceiling;
  }

  /** How many tasks are running. */
  get active(): number {
    return this.#active;
  }

  /** How many tasks wait for a slot, and requests for their turn to go. */
  get waiting(): number {
    return this.#slots.length + this.#sends.length;
  }

  /** The pace, in requests per second, or `undefined` while unpaced. */
  get rate(): number | undefined {
    return this.#pacer.rate(performance.now());
  }

  /** Every change so far, oldest first. */
  get events(): readonly PoolEvent[] {
    return this.#events;
  }

  /**
   * Runs `task` once a slot is free (first come, first served) and the pacer lets its first
   * request go, and frees the slot when it settles. Its later requests through a `makeClient`
   * client (retries, fallbacks) wait for the pacer too.
   *
   * @param task The work, typically one judgement (with its own retries).
   * @param signal Gives up waiting for a slot or the pacer when aborted; a task already
   *   started is not interrupted by it (pass the signal to the task for that).
   * @returns What `task` returned.
   * @throws What `task` threw; `signal.reason` when aborted before the task started.
   *
   * @example
   * ```ts
   * import { ProviderPool } from "./provider_pool.ts";
   * import assert from "node:assert/strict";
   *
   * const pool = new ProviderPool({ provider: "openai", concurrency: 2 });
   * let most = 0;
   * const task = async (i: number) => {
   *   most = Math.max(most, pool.active);
   *   await new Promise((resolve) => setTimeout(resolve, 5));
   *   return i * i;
   * };
   * const squares = await Promise.all([1, 2, 3, 4, 5].map((i) => pool.run(() => task(i))));
   * assert.deepEqual(squares, [1, 4, 9, 16, 25]);
   * assert.equal(most, 2);
   * ```
   */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    signal?.throwIfAborted();
    if (this.#active < this.#ceiling) this.#active++;
    else await this.#slots.join(signal); // the slot comes still counted in #active
    let observer: TaskObserver | undefined;
    try {
      observer = this.#observer(await this.#takeSend(signal));
      return await _requestObservers.run(observer, task);
    } finally {
      // A task whose requests the pool did not see: it went, and no 429 was told.
      if (observer?.send) this.#answered(observer.send, 200, undefined);
      if (this.#slots.length > 0) this.#slots.serve();
      else this.#active--;
    }
  }

  /**
   * Reports a 429 (call it from the judge's `onRetry`). A task whose requests the pool sees
   * (clients from `makeClient`) told it already, and this does nothing. Otherwise the first 429
   * of a wave sets the pace to the most that went through in any second before it; one with
   * too little before it pauses new requests for `retryAfterMs` (1 s without).
   *
   * @param retryAfterMs The server's `Retry-After`, in milliseconds, if it gave one.
   * @throws Nothing.
   *
   * @example
   * ```ts
   * import { ProviderPool } from "./provider_pool.ts";
   * import assert from "node:assert/strict";
   *
   * const pool = new ProviderPool({ provider: "openai", concurrency: 8 });
   * await Promise.all(Array.from({ length: 10 }, () => pool.run(async () => {})));
   * pool.rateLimited(1000); // 10 went through in the second before it: the limit is 10/s
   * await new Promise((resolve) => setTimeout(resolve, 60)); // the rest of the wave's answers
   * assert.equal(pool.rate?.toFixed(1), "9.7"); // paced 3% under it
   * assert.deepEqual(pool.events.map((e) => e.kind), ["pace"]);
   * ```
   */
  rateLimited(retryAfterMs?: number): void {
    const store = _requestObservers.getStore() as Partial<TaskObserver> | undefined;
    const mine = store?.pool === this ? store as TaskObserver : undefined;
    if (mine?.hooked) return;
    const send = mine?.send;
    if (mine) mine.send = undefined;
    const valid = retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0;
    this.#pacer.answered(send, 429, valid ? { retryAfterMs } : {}, performance.now());
    this.#pump();
  }

  /** What a task runs under: it hands the task's send to its first request. */
  #observer(send: _Send): TaskObserver {
    const observer: TaskObserver = {
      pool: this,
      send,
      hooked: false,
      sending: (signal) => {
        const first = observer.send;
        observer.hooked = true;
        observer.send = undefined;
        return first ?? this.#takeSend(signal);
      },
      answered: (ticket, status, headers) => this.#answered(ticket as _Send, status, headers),
    };
    return observer;
  }

  /** Tells the pacer of an answer, and starts what it now lets go. */
  #answered(send: _Send, status: number, headers: Headers | undefined): void {
    const info = headers === undefined ? {} : _readRateLimit(headers);
    this.#pacer.answered(send, status, info, performance.now());
    this.#pump();
  }

  /** A send for one request: at once when the pacer allows and nobody waits, else queued. */
  #takeSend(signal: AbortSignal | undefined): _Send | Promise<_Send> {
    const now = performance.now();
    if (this.#sends.length === 0 && this.#pacer.delay(now) === 0) return this.#pacer.send(now);
    signal?.throwIfAborted();
    const send = this.#sends.join(signal, () => this.#pump()); // the pump drops an idle timer
    this.#pump();
    return send;
  }

  /** Lets waiting requests go while the pacer allows; else sets a timer for when it will. */
  #pump(): void {
    clearTimeout(this.#timer);
    while (this.#sends.length > 0) {
      const now = performance.now();
      const wait = this.#pacer.delay(now);
      if (wait > 0) {
        this.#timer = setTimeout(() => this.#pump(), Math.ceil(wait));
        return;
      }
      this.#sends.serve(this.#pacer.send(now));
    }
  }
}

/** Waiters served in arrival order; one whose signal aborts leaves, rejected with its reason. */
class Line<T> {
  readonly #waiters: { resolve: (value: T) => void; detach?: () => void }[] = [];

  get length(): number {
    return this.#waiters.length;
  }

  /** Waits for a turn (`signal` not aborted yet); `onAbort` runs once an abort took it out. */
  join(signal: AbortSignal | undefined, onAbort?: () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const waiter: { resolve: (value: T) => void; detach?: () => void } = { resolve };
      if (signal) {
        const abort = () => {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          reject(signal.reason);
          onAbort?.();
        };
        signal.addEventListener("abort", abort, { once: true });
        waiter.detach = () => signal.removeEventListener("abort", abort);
      }
      this.#waiters.push(waiter);
    });
  }

  /** Hands `value` to the first waiter (there must be one). */
  serve(value: T): void {
    const waiter = this.#waiters.shift()!;
    waiter.detach?.();
    waiter.resolve(value);
  }
}
