/**
 * `_Pacer`: when the next request to a provider may go, so that a run keeps just under the
 * provider's rate limit instead of running into it and backing off.
 *
 * @module
 */

import type { _RateLimitInfo } from "./_rate_limit_headers.ts";

/** One request the pacer let go, and what became of it. */
export interface _Send {
  /** When it went, on the pacer's clock (milliseconds). */
  readonly at: number;
  /** Its place among the sends, from 1. */
  readonly seq: number;
  /** `"pending"` until answered; `"rejected"` after a 429 (it did not count at the provider). */
  state: "pending" | "admitted" | "rejected";
}

/** A change of pace, for the pool's events. */
export type _PacerChange =
  | { kind: "pace"; rate: number; reason: string }
  | { kind: "pause"; ms: number; rate: number | undefined; reason: string };

/** How a pacer behaves; the defaults suit per-second and per-minute limits. */
export interface _PacerOptions {
  /** How far under the learned rate to pace (default 0.03: 3%). */
  margin?: number;
  /**
   * How fast a rate learned from 429s grows while no 429 comes, as a share per second
   * (default 0.01): a limit that was underestimated, or has been raised, is found again.
   */
  probePerSecond?: number;
  /** Told of each change of pace worth logging (a new rate, or a pause). */
  onChange?: (change: _PacerChange) => void;
}

/** The window a limit is assumed to count over when nothing says otherwise. */
const DEFAULT_WINDOW_MS = 1000;
/** Added to the window when counting sends in it: our clock and the provider's differ a little. */
const SLACK_MS = 25;
/** The least time a wave's other answers are waited for before it is measured. */
const SETTLE_MS = 50;
/** Learned rates closer than this to the last one told are not told again. */
const TELL_CHANGE = 0.05;
/** How much the header rate moves towards each new reading. */
const HEADER_SMOOTHING = 0.25;

/**
 * Paces requests to a rate learned from the provider, a token-bucket pacer with a guard:
 *
 * - **unknown rate**: requests go at once (only the pool's concurrency bounds them);
 * - **from headers** (`x-ratelimit-*-requests`, `anthropic-ratelimit-requests-*`): a limit `L`
 *   with `r` remaining that is full again in `t` refills at `(L − r) / t`, exactly so for the
 *   token buckets OpenAI and Anthropic describe; the window is `L` over that rate (a minute for
 *   a requests-per-minute limit). While the bucket reported has room to spare (its `remaining`,
 *   less what was sent since), requests go at once, else one per interval;
 * - **from 429s** (and headers too, when a 429 comes despite them): the first 429 of a wave
 *   means the provider's window is full. Once the rest of the wave's answers are in (429s come
 *   at once: 50 ms, or three times the first one's wait; before any pace is known, nothing new
 *   goes meanwhile), the most requests that went through in any one window before it (a
 *   second, or the `Retry-After` if longer, up to two windows) is the limit `R`. The most in
 *   any window, not the count in the window ending at the 429: our clock and the provider's
 *   differ by tens of milliseconds, enough to put a burst on either side of a window's edge.
 *   A 429 for a request sent before the wave was measured belongs to it and changes nothing.
 *   The rate then grows by `probePerSecond` while no 429 comes, so the next wave measures it
 *   again;
 * - requests go at `(1 − margin)` of the lower of the two, evenly spaced (a late timer may
 *   catch up half an interval), and never more than the limit in any window: after a burst at
 *   the start, the window has to empty before pacing begins, as the provider's own does;
 * - a 429 that says nothing (fewer than two requests let through in the window before it)
 *   pauses every new request for the `Retry-After` (1 s without one).
 *
 * Every method takes the time (`now`, in milliseconds on one monotonic clock), so tests drive
 * it with a fake one.
 */
export class _Pacer {
  readonly #margin: number;
  readonly #probe: number;
  readonly #onChange: ((change: _PacerChange) => void) | undefined;
  /** The limit measured at the start of the last 429 wave, and when (for the probe). */
  #wave: { rate: number; at: number } | undefined;
  /** The refill rate the headers give (smoothed) and the limit they name. */
  #header: { rate: number; limit: number } | undefined;
  /** The latest header reading: remaining after the send numbered `seq`. */
  #bucket: { remaining: number; seq: number } | undefined;
  #windowMs = DEFAULT_WINDOW_MS;
  /** 429s for requests sent before this belong to the wave that set the estimate. */
  #estimatedAt = -Infinity;
  /** A wave whose first 429 came: new requests wait until `until`, then it is measured. */
  #wavePending:
    | { sentAt: number; heardAt: number; until: number; retryAfterMs?: number }
    | undefined;
  #holdUntil = -Infinity;
  #next = -Infinity;
  #seq = 0;
  /** Recent sends, oldest first, from `#logHead`. */
  #log: _Send[] = [];
  #logHead = 0;
  /** The first send still inside the window, and how many not rejected are inside. */
  #windowHead = 0;
  #inWindow = 0;
  #told: number | undefined;

  /**
   * @param options Margin, probe and listener.
   * @throws {RangeError} When `margin` is not in [0, 0.5) or `probePerSecond` is negative.
   */
  constructor(options: _PacerOptions = {}) {
    const { margin = 0.03, probePerSecond = 0.01, onChange } = options;
    if (!(margin >= 0 && margin < 0.5)) throw new RangeError(`margin must be in [0, 0.5)`);
    if (!(probePerSecond >= 0)) throw new RangeError(`probePerSecond must be ≥ 0`);
    this.#margin = margin;
    this.#probe = probePerSecond;
    this.#onChange = onChange;
  }

  /** The window a limit counts over, as last learned (1 s until something says). */
  get windowMs(): number {
    return this.#windowMs;
  }

  /**
   * The provider's limit as learned, in requests per second (before the margin).
   *
   * @param now The time now.
   * @returns The rate, or `undefined` while nothing is known.
   */
  limitRate(now: number): number | undefined {
    this.#settle(now);
    let rate = this.#header?.rate ?? Infinity;
    if (this.#wave) {
      const grown = this.#wave.rate * (1 + this.#probe * Math.max(0, now - this.#wave.at) / 1000);
      rate = Math.min(rate, grown);
    }
    return rate === Infinity ? undefined : rate;
  }

  /**
   * The pace requests go at, in requests per second: `(1 − margin)` of the learned limit.
   *
   * @param now The time now.
   * @returns The rate, or `undefined` while unpaced.
   */
  rate(now: number): number | undefined {
    const limit = this.limitRate(now);
    return limit === undefined ? undefined : limit * (1 - this.#margin);
  }

  /**
   * How long until the next request may go.
   *
   * @param now The time now.
   * @returns Milliseconds (0: now).
   */
  delay(now: number): number {
    const limit = this.limitRate(now); // measures a wave whose answers are in
    // Before any pace is known, nothing goes while a wave's answers come in.
    const measuring = limit === undefined ? this.#wavePending?.until : undefined;
    let at = Math.max(this.#holdUntil, measuring ?? -Infinity);
    if (limit !== undefined) {
      if (!this.#bucketHasRoom()) at = Math.max(at, this.#next);
      at = Math.max(at, this.#windowFreeAt(now, limit));
    }
    return Math.max(0, at - now);
  }

  /**
   * Records a request going now (whether or not `delay()` said it may).
   *
   * @param now The time now.
   * @returns The send, to pass to `answered()`.
   */
  send(now: number): _Send {
    const rate = this.rate(now);
    if (rate !== undefined) {
      const interval = 1000 / rate;
      // From a bucket with room, a request leaves no debt: spacing starts when the room ends.
      this.#next = this.#bucketHasRoom()
        ? now + interval / 2
        : Math.max(this.#next, now - interval / 2) + interval;
    }
    const send: _Send = { at: now, seq: ++this.#seq, state: "pending" };
    this.#log.push(send);
    this.#inWindow++;
    this.#advance(now);
    return send;
  }

  /**
   * Records an answer: a 429 (`status` 429) rejects the send and may set a new pace; any other
   * answer (or none: `status` 0) means it counted at the provider. Headers update the rate.
   *
   * @param send The send (or `undefined` when the pool could not tell which one it was).
   * @param status The HTTP status, 0 when there was no answer.
   * @param info What the answer's headers say.
   * @param now The time now.
   */
  answered(send: _Send | undefined, status: number, info: _RateLimitInfo, now: number): void {
    if (status === 429) {
      if (send && send.state !== "rejected") {
        if (this.#windowHead < this.#log.length && send.seq >= this.#log[this.#windowHead]!.seq) {
          this.#inWindow--;
        }
        send.state = "rejected";
      }
    } else if (send) {
      send.state = "admitted";
    }
    this.#readHeaders(send, info, now);
    if (status === 429) this.#rateLimited(send, info.retryAfterMs, now);
    this.#settle(now);
  }

  /**
   * A 429. The first of a wave holds new requests while the rest of the wave's answers come
   * in (429s come at once: three times this one's wait, at least 50 ms); then `#settle()`
   * measures the limit. 429s for requests sent before that belong to the wave.
   */
  #rateLimited(send: _Send | undefined, retryAfterMs: number | undefined, now: number): void {
    const sentAt = send?.at ?? now;
    if (sentAt < this.#estimatedAt || this.#wavePending) return;
    this.#wavePending = {
      sentAt,
      heardAt: now,
      until: now + Math.max(SETTLE_MS, 3 * (now - sentAt)),
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }

  /**
   * Once a wave's answers are in: the most requests that went through in any one window
   * around its first 429 is the limit. With too few to tell, a pause for the `Retry-After`.
   */
  #settle(now: number): void {
    const wave = this.#wavePending;
    if (wave === undefined || now < wave.until) return;
    this.#wavePending = undefined;
    this.#estimatedAt = wave.until;
    const { sentAt, retryAfterMs } = wave;
    const windowMs = this.#header
      ? this.#windowMs
      : Math.min(this.#keptMs(), Math.max(DEFAULT_WINDOW_MS, retryAfterMs ?? 0));
    const through = this.#mostThrough(sentAt - windowMs, wave.until, windowMs);
    const said = retryAfterMs === undefined ? "no Retry-After" : `Retry-After ${ms(retryAfterMs)}`;
    if (through >= 2) {
      this.#wave = { rate: through * 1000 / windowMs, at: wave.until };
      if (!this.#header) this.#windowMs = windowMs;
      this.#tell(
        wave.until,
        `429 Too Many Requests (${said}): at most ${through} requests went through in any ` +
          `${ms(windowMs)} before it`,
        true,
      );
      return;
    }
    const wait = retryAfterMs ?? DEFAULT_WINDOW_MS;
    this.#holdUntil = Math.max(this.#holdUntil, wave.heardAt + wait);
    this.#onChange?.({
      kind: "pause",
      ms: wait,
      rate: this.rate(now),
      reason: `429 Too Many Requests (${said}) with too few requests let through to measure ` +
        `a rate: no new requests for ${ms(wait)}`,
    });
  }

  /**
   * The most sends not rejected in any window of `windowMs` that ends between `from` and `to`
   * (windows ending at a send are enough: the count only rises at a send).
   */
  #mostThrough(from: number, to: number, windowMs: number): number {
    const log = this.#log;
    let most = 0;
    let inside = 0;
    let left = this.#logHead;
    for (let right = this.#logHead; right < log.length && log[right]!.at <= to; right++) {
      const end = log[right]!;
      if (end.state !== "rejected") inside++;
      while (log[left]!.at <= end.at - windowMs) {
        if (log[left]!.state !== "rejected") inside--;
        left++;
      }
      if (end.at >= from) most = Math.max(most, inside);
    }
    return most;
  }

  /** The requests limit's refill rate (limit − remaining over the reset) and the bucket. */
  #readHeaders(send: _Send | undefined, info: _RateLimitInfo, now: number): void {
    const requests = info.requests;
    if (requests?.limit === undefined || requests.remaining === undefined) return;
    const { limit, remaining, resetMs } = requests;
    if (send && (!this.#bucket || send.seq > this.#bucket.seq)) {
      this.#bucket = { remaining, seq: send.seq };
    }
    const used = limit - remaining;
    if (resetMs === undefined || !(resetMs > 0) || used < 1) {
      if (this.#header) this.#header.limit = limit;
      return;
    }
    const reading = used * 1000 / resetMs;
    const rate = this.#header
      ? this.#header.rate + (reading - this.#header.rate) * HEADER_SMOOTHING
      : reading;
    this.#header = { rate, limit };
    this.#windowMs = Math.min(3_600_000, Math.max(100, limit * 1000 / rate));
    this.#tell(
      now,
      `rate-limit headers: ${used} of ${limit} requests used, full again in ${ms(resetMs)}`,
      false,
    );
  }

  /** Tells a new pace when it differs enough from the last one told (or `always`). */
  #tell(now: number, why: string, always: boolean): void {
    const rate = this.rate(now);
    if (rate === undefined) return;
    if (!always && this.#told !== undefined && Math.abs(rate / this.#told - 1) < TELL_CHANGE) {
      return;
    }
    this.#told = rate;
    this.#onChange?.({
      kind: "pace",
      rate,
      reason: `${why}: pacing at ${rate.toFixed(1)} requests/s`,
    });
  }

  /**
   * Whether the bucket the headers last reported still has more than a margin's room: its
   * `remaining` less what was sent since. What refilled since is not counted: a sliding window
   * frees nothing until its oldest requests leave it.
   */
  #bucketHasRoom(): boolean {
    const bucket = this.#bucket;
    const header = this.#header;
    if (!bucket || !header) return false;
    const room = bucket.remaining - (this.#seq - bucket.seq);
    return room >= Math.max(2, Math.ceil(this.#margin * header.limit));
  }

  /** When the window has room for one more request at `limit` a second. */
  #windowFreeAt(now: number, limit: number): number {
    this.#advance(now);
    const room = Math.max(1, Math.floor(limit * this.#windowMs / 1000));
    if (this.#inWindow < room) return -Infinity;
    let over = this.#inWindow - room + 1;
    const log = this.#log;
    for (let i = this.#windowHead; i < log.length; i++) {
      if (log[i]!.state !== "rejected" && --over === 0) {
        return log[i]!.at + this.#windowMs + SLACK_MS;
      }
    }
    return -Infinity;
  }

  /** How far back sends are kept: what a 429's estimate may look back over. */
  #keptMs(): number {
    return 2 * this.#windowMs;
  }

  /** Moves the window on to `now`, and forgets sends older than `#keptMs()`. */
  #advance(now: number): void {
    const log = this.#log;
    const start = now - this.#windowMs - SLACK_MS;
    while (this.#windowHead < log.length && log[this.#windowHead]!.at <= start) {
      if (log[this.#windowHead]!.state !== "rejected") this.#inWindow--;
      this.#windowHead++;
    }
    const keep = now - this.#keptMs() - SLACK_MS;
    while (this.#logHead < this.#windowHead && log[this.#logHead]!.at <= keep) this.#logHead++;
    if (this.#logHead > 1024 && this.#logHead * 2 > log.length) {
      this.#log = log.slice(this.#logHead);
      this.#windowHead -= this.#logHead;
      this.#logHead = 0;
    }
  }
}

function ms(value: number): string {
  return value >= 1000 ? `${+(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}
