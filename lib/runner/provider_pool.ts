/**
 * `ProviderPool`: how many requests one provider gets at once — a bounded, first-come pool
 * whose bound adapts to the provider's rate limit.
 *
 * @module
 */

/** A change of a pool's concurrency, or a pause, for the run's log. */
export interface PoolEvent {
  /** When, as an ISO 8601 timestamp. */
  time: string;
  /** The provider whose pool changed. */
  provider: string;
  /** `"decrease"` after a 429, `"increase"` after successes, `"pause"` while honouring `Retry-After`. */
  kind: "decrease" | "increase" | "pause";
  /** The concurrency before. */
  from: number;
  /** The concurrency after (unchanged by a pause, which stops new starts for a while). */
  to: number;
  /** Why, in words. */
  reason: string;
}

/** How a pool behaves. */
export interface ProviderPoolOptions {
  /** The provider's name, for events. */
  provider: string;
  /** The configured ceiling: the most requests ever in flight at once (an integer ≥ 1). */
  concurrency: number;
  /** The floor that 429s never push the concurrency below (default 1). */
  min?: number;
  /**
   * Successes at the current concurrency before it goes up by one. Default: the current
   * concurrency (about one round of requests), or half of it while climbing back to the
   * concurrency that drew the last 429.
   */
  increaseAfter?: number;
  /** Told of every change as it happens. */
  onEvent?: (event: PoolEvent) => void;
}

/** The wait assumed for the quiet window when a 429 gives no `Retry-After`. */
const QUIET_WITHOUT_RETRY_AFTER_MS = 1000;
/** The shortest quiet window: 429s closer together than this are one wave. */
const QUIET_MIN_MS = 100;
/** How far back successes count towards the rate the provider is delivering. */
const RATE_WINDOW_MS = 1000;

interface Waiter {
  resolve: () => void;
  reject: (reason: unknown) => void;
  /** Set when the waiter left the queue (started or aborted). */
  gone: boolean;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/**
 * A bounded pool of request slots for one provider, first come first served, with an adaptive
 * bound (additive increase, multiplicative decrease, as TCP does for congestion):
 *
 * - at most `limit` tasks run at once; the rest wait in arrival order, and a finishing task hands
 *   its slot straight to the next waiter, so a busy pool keeps exactly `limit` in flight;
 * - `rateLimited()` (a 429) halves `limit`, not below `min` nor below the concurrency that
 *   sustains the rate of successes of the last second (when `succeeded()` is told latencies:
 *   halving 17 to 8 against a limit that 12 meets loses a third of the throughput until the
 *   climb back), at most once per quiet window, so
 *   that the burst of 429s one wave of requests brings back halves it once. The window is the
 *   `Retry-After` (1 s without one) plus the typical time a task takes, and at least 100 ms:
 *   the requests of the wave that drew the 429 retry after the `Retry-After` and answer one
 *   task time later, and their 429s say nothing about the new limit. It also stops starting
 *   new tasks until the `Retry-After` has passed (tasks already running carry on, and do their
 *   own retrying);
 * - `succeeded()` adds one to `limit` after `increaseAfter` successes (by default one round,
 *   half a round while climbing back to the limit that drew the last 429), up to the
 *   configured ceiling.
 *
 * Every change is recorded in `events` and passed to `onEvent`.
 */
export class ProviderPool {
  readonly #provider: string;
  readonly #ceiling: number;
  readonly #min: number;
  readonly #increaseAfter: number | undefined;
  readonly #onEvent: ((event: PoolEvent) => void) | undefined;
  readonly #events: PoolEvent[] = [];
  #limit: number;
  #active = 0;
  /** Waiters in arrival order, from `#head`; aborted ones stay, marked `gone`, until reached. */
  #queue: Waiter[] = [];
  #head = 0;
  #waiting = 0;
  #pausedUntil = 0;
  #pauseTimer: ReturnType<typeof setTimeout> | undefined;
  #pauseTimerAt = 0;
  #quietUntil = -Infinity;
  #successes = 0;
  /** The limit in force when the last decrease came: what to climb back to quickly. */
  #recoverTo = 0;
  /** A running mean of how long tasks take, in milliseconds (0 until one has finished). */
  #taskMs = 0;
  /** A running mean of one request's latency, from `succeeded(latencyMs)` (0: none told). */
  #requestMs = 0;
  /** When the successes of the last `RATE_WINDOW_MS` came, oldest first, from `#rateHead`. */
  #successTimes: number[] = [];
  #rateHead = 0;

  /**
   * Makes a pool that starts at its ceiling.
   *
   * @param options The provider, the ceiling and floor, the pace of increase, and a listener.
   * @throws {RangeError} When `concurrency` or `min` is not an integer ≥ 1, `min` exceeds
   *   `concurrency`, or `increaseAfter` is not an integer ≥ 1.
   *
   * @example
   * ```ts
   * import { ProviderPool } from "./provider_pool.ts";
   * import assert from "node:assert/strict";
   *
   * const pool = new ProviderPool({ provider: "openai", concurrency: 8 });
   * assert.deepEqual([pool.limit, pool.active, pool.waiting], [8, 0, 0]);
   * assert.throws(() => new ProviderPool({ provider: "openai", concurrency: 0 }), RangeError);
   * ```
   */
  constructor(options: ProviderPoolOptions) {
    const { provider, concurrency, min = 1, increaseAfter, onEvent } = options;
    const whole = (name: string, value: number) => {
      if (!Number.isInteger(value) || value < 1) {
        throw new RangeError(`${provider}: ${name} must be an integer ≥ 1, got ${value}`);
      }
    };
    whole("concurrency", concurrency);
    whole("min", min);
    if (increaseAfter !== undefined) whole("increaseAfter", increaseAfter);
    if (min > concurrency) {
      throw new RangeError(`${provider}: min (${min}) exceeds concurrency (${concurrency})`);
    }
    this.#provider = provider;
    this.#ceiling = concurrency;
    this.#min = min;
    this.#increaseAfter = increaseAfter;
    this.#onEvent = onEvent;
    this.#limit = concurrency;
  }

  /** How many tasks may run at once now. */
  get limit(): number {
    return this.#limit;
  }

  /** How many tasks are running. */
  get active(): number {
    return this.#active;
  }

  /** How many tasks wait for a slot. */
  get waiting(): number {
    return this.#waiting;
  }

  /** Every change so far, oldest first. */
  get events(): readonly PoolEvent[] {
    return this.#events;
  }

  /**
   * Runs `task` once a slot is free (first come, first served), and frees the slot when it
   * settles, whether it resolved or threw.
   *
   * @param task The work, typically one judgement (with its own retries).
   * @param signal Gives up waiting for a slot when aborted; a task already started is not
   *   interrupted by it (pass the signal to the task for that).
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
    if (this.#waiting === 0 && this.#active < this.#limit && !this.#paused()) {
      this.#active++; // the fast path: no promise, no timer
    } else {
      await this.#enqueue(signal); // resolves with the slot already counted in #active
    }
    const started = performance.now();
    try {
      return await task();
    } finally {
      const ms = performance.now() - started;
      this.#taskMs = this.#taskMs === 0 ? ms : this.#taskMs + (ms - this.#taskMs) / 8;
      this.#active--;
      this.#dispatch();
    }
  }

  /**
   * Reports a 429 (call it from the judge's `onRetry` when `status` is 429). Halves the limit,
   * not below `min`, unless it was already lowered within the quiet window; and stops starting
   * new tasks until `retryAfterMs` has passed.
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
   * pool.rateLimited(0);
   * pool.rateLimited(0); // the same wave: no second halving
   * assert.equal(pool.limit, 4);
   * assert.deepEqual(pool.events.map((e) => [e.kind, e.from, e.to]), [["decrease", 8, 4]]);
   * ```
   */
  rateLimited(retryAfterMs?: number): void {
    const now = performance.now();
    const wait = retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs > 0
      ? retryAfterMs
      : 0;
    const said = retryAfterMs === undefined ? "no Retry-After" : `Retry-After ${ms(wait)}`;
    if (now >= this.#quietUntil) {
      const expected = retryAfterMs === undefined ? QUIET_WITHOUT_RETRY_AFTER_MS : wait;
      this.#quietUntil = now + Math.max(QUIET_MIN_MS, expected + this.#taskMs);
      this.#successes = 0;
      let to = Math.max(this.#min, Math.floor(this.#limit / 2));
      let why = "";
      // Not below what the provider has just been delivering: successes per second times the
      // request latency is the concurrency that sustains that rate (a bandwidth-delay product).
      const rate = this.#recentSuccesses(now) * 1000 / RATE_WINDOW_MS;
      const sustained = Math.floor(rate * this.#requestMs / 1000);
      if (this.#requestMs > 0 && sustained > to) {
        to = Math.min(this.#limit - 1, sustained);
        why = `; ${Math.round(rate)}/s at ${ms(this.#requestMs)} a request sustains ${sustained}`;
      }
      if (to < this.#limit) {
        this.#emit("decrease", this.#limit, to, `429 Too Many Requests (${said}${why})`);
        // Climb back quickly only to what halving gave up; past a sustainable rate, probe.
        this.#recoverTo = why === "" ? this.#limit : to;
        this.#limit = to;
      }
    }
    if (wait > 0 && now + wait > this.#pausedUntil) {
      if (!this.#paused()) {
        this.#emit(
          "pause",
          this.#limit,
          this.#limit,
          `429 Too Many Requests: no new requests for ${ms(wait)}, as Retry-After asks`,
        );
      }
      this.#pausedUntil = now + wait;
      this.#dispatch(); // (re)arms the timer that ends the pause, if anyone waits
    }
  }

  /**
   * Reports a request that finished without a rate limit. After `increaseAfter` of them at the
   * current limit, the limit goes up by one, up to the configured ceiling. Without
   * `increaseAfter`, that is one round of requests (`limit` successes), or half a round while
   * the limit is below the one that drew the last 429: halving is a big step down, and against
   * a fixed rate limit the time spent climbing back is throughput lost, so the climb back is
   * twice as fast as the probing beyond it (the idea of TCP CUBIC's fast return to the last
   * window, in additive steps).
   *
   * @param latencyMs How long the request took, when it was answered at the first attempt: with
   *   the rate of successes it sets how far `rateLimited()` may lower the limit.
   * @throws Nothing.
   *
   * @example
   * ```ts
   * import { ProviderPool } from "./provider_pool.ts";
   * import assert from "node:assert/strict";
   *
   * const pool = new ProviderPool({ provider: "openai", concurrency: 4, increaseAfter: 2 });
   * pool.rateLimited(0);
   * assert.equal(pool.limit, 2);
   * for (let i = 0; i < 4; i++) pool.succeeded(); // +1 every 2 successes
   * assert.equal(pool.limit, 4);
   * pool.succeeded(); // at the ceiling: stays
   * assert.deepEqual(pool.events.map((e) => e.to), [2, 3, 4]);
   * ```
   */
  succeeded(latencyMs?: number): void {
    const now = performance.now();
    this.#successTimes.push(now);
    this.#recentSuccesses(now); // drops the old ones
    if (latencyMs !== undefined && Number.isFinite(latencyMs) && latencyMs > 0) {
      this.#requestMs = this.#requestMs === 0
        ? latencyMs
        : this.#requestMs + (latencyMs - this.#requestMs) / 8;
    }
    if (this.#limit >= this.#ceiling) {
      this.#successes = 0;
      return;
    }
    const needed = this.#increaseAfter ??
      (this.#limit < this.#recoverTo ? Math.ceil(this.#limit / 2) : this.#limit);
    if (++this.#successes < needed) return;
    this.#successes = 0;
    this.#emit(
      "increase",
      this.#limit,
      this.#limit + 1,
      `${needed} success${needed === 1 ? "" : "es"} at ${this.#limit} without a 429`,
    );
    this.#limit++;
    this.#dispatch();
  }

  /** How many successes came in the last `RATE_WINDOW_MS`. */
  #recentSuccesses(now: number): number {
    const times = this.#successTimes;
    while (this.#rateHead < times.length && now - times[this.#rateHead]! > RATE_WINDOW_MS) {
      this.#rateHead++;
    }
    if (this.#rateHead > 1024 && this.#rateHead * 2 > times.length) {
      this.#successTimes = times.slice(this.#rateHead);
      this.#rateHead = 0;
    }
    return this.#successTimes.length - this.#rateHead;
  }

  #paused(): boolean {
    return this.#pausedUntil > 0 && performance.now() < this.#pausedUntil;
  }

  #enqueue(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, gone: false };
      if (signal) {
        waiter.signal = signal;
        waiter.onAbort = () => {
          if (waiter.gone) return;
          waiter.gone = true;
          this.#waiting--;
          reject(signal.reason);
          this.#dispatch(); // drops the pause timer when nobody waits any more
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.#queue.push(waiter);
      this.#waiting++;
      this.#dispatch();
    });
  }

  /** Starts waiters while slots are free and the pool is not paused. */
  #dispatch(): void {
    if (this.#waiting === 0) {
      this.#clearPauseTimer();
      return;
    }
    const now = performance.now();
    if (now < this.#pausedUntil) {
      if (this.#pauseTimer === undefined || this.#pauseTimerAt !== this.#pausedUntil) {
        this.#clearPauseTimer();
        this.#pauseTimerAt = this.#pausedUntil;
        this.#pauseTimer = setTimeout(() => {
          this.#pauseTimer = undefined;
          this.#dispatch();
        }, this.#pausedUntil - now);
      }
      return;
    }
    while (this.#active < this.#limit && this.#waiting > 0) {
      const waiter = this.#queue[this.#head]!;
      this.#queue[this.#head++] = undefined as unknown as Waiter; // let it be collected
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

  #clearPauseTimer(): void {
    if (this.#pauseTimer !== undefined) {
      clearTimeout(this.#pauseTimer);
      this.#pauseTimer = undefined;
    }
  }

  #emit(kind: PoolEvent["kind"], from: number, to: number, reason: string): void {
    const event: PoolEvent = {
      time: new Date().toISOString(),
      provider: this.#provider,
      kind,
      from,
      to,
      reason,
    };
    this.#events.push(event);
    this.#onEvent?.(event);
  }
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}
