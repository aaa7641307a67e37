/**
 * `ProviderPool`: how many requests one provider gets at once — a bounded, first-come pool —
 * and how fast they go: paced to the provider's rate limit as learned from its answers.
 *
 * @module
 */

import { type _RequestObserver, _requestObservers } from "../judge/_request_hook.ts";
import { _Pacer, type _PacerChange, type _Send } from "./_pacer.ts";
import { _readRateLimit } from "./_rate_limit_headers.ts";

/** A change of a pool's pace, for the run's log. */
export interface PoolEvent {
  /** When, as an ISO 8601 timestamp. */
  time: string;
  /** The provider whose pool changed. */
  provider: string;
  /**
   * `"pace"`: requests now go at `rate` a second (learned from a 429 wave or the rate-limit
   * headers); `"pause"`: no new requests for a while (a 429 too early to learn a rate from).
   */
  kind: "pace" | "pause";
  /** The concurrency before (pacing leaves it at the configured ceiling). */
  from: number;
  /** The concurrency after. */
  to: number;
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

interface Waiter<T> {
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
  /** Set when the waiter left the queue (started or aborted). */
  gone: boolean;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/** The pool's view of one task's requests (the observer its provider client's fetch tells). */
interface TaskObserver extends _RequestObserver {
  readonly pool: ProviderPool;
  /** The send the task was started with, until its first request takes it. */
  send: _Send | undefined;
  /** Whether the task's requests went through the observed fetch (`makeClient`'s clients). */
  hooked: boolean;
}

/**
 * A bounded pool of request slots for one provider, first come first served, whose requests
 * are paced to the provider's rate limit:
 *
 * - at most `concurrency` tasks run at once; the rest wait in arrival order, and a finishing
 *   task hands its slot straight to the next waiter, so a busy pool keeps exactly that many in
 *   flight. Pacing never raises it;
 * - every request goes when the pacer says (see `lib/runner/_pacer.ts`): at once until the
 *   provider's limit is known, then at 97% of it, learned from the rate-limit headers of its
 *   answers (`x-ratelimit-*-requests`, `anthropic-ratelimit-requests-*`) or, without them,
 *   from the most requests it let through in any second before a 429. A wave of 429s sets the
 *   pace once; the pace then creeps up 1% a second until the next 429 measures it again. No
 *   halving, and no whole-second pause on every 429: only a 429 with too little before it to
 *   learn from pauses new requests, for its `Retry-After`;
 * - the pool sees each request of a task when the task's provider client was made by
 *   `makeClient` (its fetch tells the pool, so retries are paced too and every answer's headers
 *   are read); otherwise the task is one request, started when the pacer says, and
 *   `rateLimited()` (from the judge's `onRetry`) is the 429 it hears of.
 *
 * Every change is recorded in `events` and passed to `onEvent`.
 */
export class ProviderPool {
  readonly #provider: string;
  readonly #ceiling: number;
  readonly #onEvent: ((event: PoolEvent) => void) | undefined;
  readonly #events: PoolEvent[] = [];
  readonly #pacer: _Pacer;
  #active = 0;
  /** Tasks waiting for a slot, in arrival order, from `#head`; aborted ones stay, marked `gone`. */
  #queue: Waiter<void>[] = [];
  #head = 0;
  #waiting = 0;
  /** Requests waiting for the pacer, in arrival order, from `#sendHead`. */
  #sendQueue: Waiter<_Send>[] = [];
  #sendHead = 0;
  #sendWaiting = 0;
  #sendTimer: ReturnType<typeof setTimeout> | undefined;

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
    this.#provider = provider;
    this.#ceiling = concurrency;
    this.#onEvent = onEvent;
    this.#pacer = new _Pacer({ onChange: (change) => this.#changed(change) });
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
    return this.#waiting + this.#sendWaiting;
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
   * request go, and frees the slot when it settles, whether it resolved or threw. Requests the
   * task sends through a `makeClient` client after its first (retries, fallbacks) wait for the
   * pacer too.
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
    if (this.#waiting === 0 && this.#active < this.#ceiling) {
      this.#active++; // the fast path: no promise, no timer
    } else {
      await this.#enqueue(signal); // resolves with the slot already counted in #active
    }
    let observer: TaskObserver | undefined;
    try {
      observer = this.#observer(await this.#takeSend(signal));
      return await _requestObservers.run(observer, task);
    } finally {
      // A task whose requests the pool did not see: it went, and no 429 was told.
      if (observer?.send) this.#answered(observer.send, 200, undefined);
      this.#active--;
      this.#dispatch();
    }
  }

  /**
   * Reports a 429 (call it from the judge's `onRetry` when `status` is 429). For a task whose
   * requests the pool sees (clients from `makeClient`), the pool has read that 429 already, with
   * its headers, and this does nothing. Otherwise it is the task's request that was rejected:
   * the first 429 of a wave sets the pace to the most that went through in any second before
   * it; a 429 with too little before it to measure pauses new requests for `retryAfterMs` (1 s
   * without).
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
    const wait = retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0
      ? { retryAfterMs }
      : {};
    this.#pacer.answered(send, 429, wait, performance.now());
    this.#pump();
  }

  /** The observer a task runs under: it hands the task's send to its first request. */
  #observer(send: _Send): TaskObserver {
    const observer: TaskObserver = {
      pool: this,
      send,
      hooked: false,
      sending: (signal) => {
        observer.hooked = true;
        const first = observer.send;
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
    if (this.#sendWaiting > 0) this.#pump();
  }

  /** A send for one request: at once when the pacer allows and nobody waits, else queued. */
  #takeSend(signal: AbortSignal | undefined): _Send | Promise<_Send> {
    const now = performance.now();
    if (this.#sendWaiting === 0 && this.#pacer.delay(now) === 0) return this.#pacer.send(now);
    signal?.throwIfAborted();
    return new Promise<_Send>((resolve, reject) => {
      const waiter: Waiter<_Send> = { resolve, reject, gone: false };
      if (signal) {
        waiter.signal = signal;
        waiter.onAbort = () => {
          if (waiter.gone) return;
          waiter.gone = true;
          this.#sendWaiting--;
          reject(signal.reason);
          this.#pump(); // drops the timer when nobody waits any more
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.#sendQueue.push(waiter);
      this.#sendWaiting++;
      this.#pump();
    });
  }

  /** Lets waiting requests go while the pacer allows; else sets a timer for when it will. */
  #pump(): void {
    if (this.#sendTimer !== undefined) {
      clearTimeout(this.#sendTimer);
      this.#sendTimer = undefined;
    }
    while (this.#sendWaiting > 0) {
      const waiter = this.#sendQueue[this.#sendHead]!;
      if (waiter.gone) {
        this.#sendQueue[this.#sendHead++] = undefined as unknown as Waiter<_Send>;
        continue;
      }
      const now = performance.now();
      const wait = this.#pacer.delay(now);
      if (wait > 0) {
        this.#sendTimer = setTimeout(() => {
          this.#sendTimer = undefined;
          this.#pump();
        }, Math.ceil(wait));
        return;
      }
      this.#sendQueue[this.#sendHead++] = undefined as unknown as Waiter<_Send>;
      waiter.gone = true;
      this.#sendWaiting--;
      if (waiter.onAbort) waiter.signal!.removeEventListener("abort", waiter.onAbort);
      waiter.resolve(this.#pacer.send(now));
    }
    if (this.#sendHead > 1024 && this.#sendHead * 2 > this.#sendQueue.length) {
      this.#sendQueue = this.#sendQueue.slice(this.#sendHead);
      this.#sendHead = 0;
    }
  }

  #changed(change: _PacerChange): void {
    const event: PoolEvent = {
      time: new Date().toISOString(),
      provider: this.#provider,
      kind: change.kind,
      from: this.#ceiling,
      to: this.#ceiling,
      ...(change.rate === undefined ? {} : { rate: change.rate }),
      reason: change.reason,
    };
    this.#events.push(event);
    this.#onEvent?.(event);
  }

  #enqueue(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter<void> = { resolve, reject, gone: false };
      if (signal) {
        waiter.signal = signal;
        waiter.onAbort = () => {
          if (waiter.gone) return;
          waiter.gone = true;
          this.#waiting--;
          reject(signal.reason);
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.#queue.push(waiter);
      this.#waiting++;
      this.#dispatch();
    });
  }

  /** Starts waiting tasks while slots are free. */
  #dispatch(): void {
    while (this.#active < this.#ceiling && this.#waiting > 0) {
      const waiter = this.#queue[this.#head]!;
      this.#queue[this.#head++] = undefined as unknown as Waiter<void>; // let it be collected
      if (waiter.gone) continue;
      waiter.gone = true;
      this.#waiting--;
      if (waiter.onAbort) waiter.signal!.removeEventListener("abort", waiter.onAbort);
      this.#active++;
      waiter.resolve();
    }
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }
}
