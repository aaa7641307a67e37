/**
 * `_Pacer`: when the next request to a provider may go, so that a run keeps just under the
 * provider's rate limit instead of running into it and backing off.
 *
 * @module
 */

import type { _RateLimitInfo } from "../judge/_rate_limit_headers.ts";

/** One request the pacer let go. */
export interface _Send {
  /** When it went, on the pacer's clock (milliseconds). */
  readonly at: number;
  /** Its place among the sends, from 1. */
  readonly seq: number;
  /** Set by a 429: it did not count at the provider. */
  rejected: boolean;
}

/** A change of pace, for the pool's events. */
export type _PacerChange =
  | { kind: "pace"; rate: number; reason: string }
  | { kind: "pause"; rate: number | undefined; reason: string };

/** How a pacer behaves. */
export interface _PacerOptions {
  /** How far under the learned rate to pace (default 0.03). */
  margin?: number;
  /** How fast a rate learned from 429s grows, a share per second (default 0.01). */
  probePerSecond?: number;
  /** Told of each new pace worth logging, and of each pause. */
  onChange?: (change: _PacerChange) => void;
}

const DEFAULT_WINDOW_MS = 1000;
/** Added to the window when counting sends in it: our clock and the provider's differ a little. */
const SLACK_MS = 25;
/** The least time a wave's other 429s are waited for before it is measured. */
const SETTLE_MS = 50;
/** Learned rates closer than this to the last one told are not told again. */
const TELL_CHANGE = 0.05;
/** How much the header rate moves towards each new reading. */
const HEADER_SMOOTHING = 0.25;

/**
 * Paces requests to a rate learned from the provider; unpaced until it knows one.
 *
 * - **From headers** (`x-ratelimit-*-requests`, `anthropic-ratelimit-requests-*`): a limit `L`
 *   with `r` remaining that is full again in `t` refills at `(L − r) / t`, as OpenAI's and
 *   Anthropic's token buckets do. While the bucket has room to spare, requests go at once.
 * - **From 429s**: the first 429 of a wave means the provider's window is full. Once the wave's
 *   other 429s are in (they come at once), the most requests let through in *any* window before
 *   it is the limit — not those in the window ending at the 429: our clock and the provider's
 *   differ by tens of milliseconds, enough to put a burst on either side of a window's edge.
 *   The rate then grows by `probePerSecond` until the next wave measures it again.
 * - Requests go at `(1 − margin)` of the lower of the two, evenly spaced, never more than the
 *   limit in any window. A 429 with too little before it to measure pauses every new request
 *   for its `Retry-After` (1 s without).
 *
 * Every method takes the time (`now`, in milliseconds on one monotonic clock), so tests drive
 * it with a fake one.
 */
export class _Pacer {
  readonly #margin: number;
  readonly #probe: number;
  readonly #onChange: ((change: _PacerChange) => void) | undefined;
  /** The limit the last 429 wave measured, and when (the probe grows it from then). */
  #wave: { rate: number; at: number } | undefined;
  /** The refill rate the headers give (smoothed) and the limit they name. */
  #header: { rate: number; limit: number } | undefined;
  /** The latest header reading: remaining after the send numbered `seq`. */
  #bucket: { remaining: number; seq: number } | undefined;
  #windowMs = DEFAULT_WINDOW_MS;
  /** 429s for requests sent before this belong to the wave already measured. */
  #measuredAt = -Infinity;
  /** A wave whose first 429 came, measured at `until`. */
  #pending:
    | { sentAt: number; heardAt: number; until: number; retryAfterMs: number | undefined }
    | undefined;
  #holdUntil = -Infinity;
  #next = -Infinity;
  #seq = 0;
  /** The sends of the last two windows, oldest first. */
  readonly #log: _Send[] = [];
  #told: number | undefined;

  /**
   * Makes a pacer that knows nothing yet.
   *
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

  /** The provider's limit as learned, in requests per second; `undefined` while unknown. */
  limitRate(now: number): number | undefined {
    this.#settle(now);
    const wave = this.#wave;
    const grown = wave
      ? wave.rate * (1 + this.#probe * Math.max(0, now - wave.at) / 1000)
      : Infinity;
    const rate = Math.min(this.#header?.rate ?? Infinity, grown);
    return rate === Infinity ? undefined : rate;
  }

  /** The pace, `(1 − margin)` of the limit, in requests per second; `undefined` while unpaced. */
  rate(now: number): number | undefined {
    const limit = this.limitRate(now);
    return limit === undefined ? undefined : limit * (1 - this.#margin);
  }

  /** How long until the next request may go, in milliseconds (0: now). */
  delay(now: number): number {
    const limit = this.limitRate(now);
    let at = this.#holdUntil;
    if (limit === undefined) {
      at = Math.max(at, this.#pending?.until ?? -Infinity);
    } else {
      if (!this.#bucketHasRoom()) at = Math.max(at, this.#next);
      at = Math.max(at, this.#windowFreeAt(now, limit));
    }
    return Math.max(0, at - now);
  }

  /** Records a request going now (whether or not `delay()` said it may), for `answered()`. */
  send(now: number): _Send {
    const rate = this.rate(now);
    if (rate !== undefined) {
      const interval = 1000 / rate;
      // From a bucket with room, a request leaves no debt: spacing starts when the room ends.
      this.#next = this.#bucketHasRoom()
        ? now + interval / 2
        : Math.max(this.#next, now - interval / 2) + interval;
    }
    const send: _Send = { at: now, seq: ++this.#seq, rejected: false };
    this.#log.push(send);
    this.#forget(now);
    return send;
  }

  /**
   * Records an answer (status 0: none) to `send` (`undefined` when the pool cannot tell which):
   * a 429 did not count at the provider, and may start a wave; headers update the rate.
   */
  answered(send: _Send | undefined, status: number, info: _RateLimitInfo, now: number): void {
    if (status === 429 && send) send.rejected = true;
    this.#readHeaders(send, info, now);
    const sentAt = send?.at ?? now;
    if (status === 429 && sentAt >= this.#measuredAt && !this.#pending) {
      const until = now + Math.max(SETTLE_MS, 3 * (now - sentAt));
      this.#pending = { sentAt, heardAt: now, until, retryAfterMs: info.retryAfterMs };
    }
    this.#settle(now);
  }

  /** Measures a wave once its 429s are in, or pauses when it has too little to measure. */
  #settle(now: number): void {
    const wave = this.#pending;
    if (wave === undefined || now < wave.until) return;
    this.#pending = undefined;
    this.#measuredAt = wave.until;
    const { retryAfterMs } = wave;
    const windowMs = this.#header
      ? this.#windowMs
      : Math.min(2 * this.#windowMs, Math.max(DEFAULT_WINDOW_MS, retryAfterMs ?? 0));
    const through = this.#mostThrough(wave.sentAt - windowMs, wave.until, windowMs);
    const said = `429 Too Many Requests (${
      retryAfterMs === undefined ? "no Retry-After" : `Retry-After ${ms(retryAfterMs)}`
    })`;
    if (through >= 2) {
      this.#wave = { rate: through * 1000 / windowMs, at: wave.until };
      if (!this.#header) this.#windowMs = windowMs;
      const why = `${said}: at most ${through} requests went through in any ` +
        `${ms(windowMs)} before it`;
      this.#tell(wave.until, why, true);
      return;
    }
    const wait = retryAfterMs ?? DEFAULT_WINDOW_MS;
    this.#holdUntil = Math.max(this.#holdUntil, wave.heardAt + wait);
    this.#onChange?.({
      kind: "pause",
      rate: this.rate(now),
      reason: `${said} with too few requests let through to measure a rate: no new requests ` +
        `for ${ms(wait)}`,
    });
  }

  /**
   * The most sends not rejected in any window of `windowMs` ending between `from` and `to`
   * (windows ending at a send are enough: the count only rises at a send).
   */
  #mostThrough(from: number, to: number, windowMs: number): number {
    const log = this.#log;
    let most = 0;
    let inside = 0;
    let left = 0;
    for (let right = 0; right < log.length && log[right]!.at <= to; right++) {
      const end = log[right]!;
      if (!end.rejected) inside++;
      for (; log[left]!.at <= end.at - windowMs; left++) {
        if (!log[left]!.rejected) inside--;
      }
      if (end.at >= from) most = Math.max(most, inside);
    }
    return most;
  }

  /** The request limit's refill rate, (limit − remaining) over the reset, and the bucket. */
  #readHeaders(send: _Send | undefined, info: _RateLimitInfo, now: number): void {
    const { limit, remaining, resetMs } = info.requests ?? {};
    if (limit === undefined || remaining === undefined) return;
    if (send && (!this.#bucket || send.seq > this.#bucket.seq)) {
      this.#bucket = { remaining, seq: send.seq };
    }
    const used = limit - remaining;
    if (resetMs === undefined || !(resetMs > 0) || used < 1) {
      if (this.#header) this.#header.limit = limit;
      return;
    }
    const reading = used * 1000 / resetMs;
    const old = this.#header?.rate;
    const rate = old === undefined ? reading : old + (reading - old) * HEADER_SMOOTHING;
    this.#header = { rate, limit };
    this.#windowMs = Math.min(3_600_000, Math.max(100, limit * 1000 / rate));
    const why = `rate-limit headers: ${used} of ${limit} requests used, ` +
      `full again in ${ms(resetMs)}`;
    this.#tell(now, why, false);
  }

  /** Tells the new pace when it differs enough from the last one told (or `always`). */
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
   * Whether the bucket the headers last reported, less what was sent since, has more than a
   * margin's room. What refilled since is not counted: a sliding window frees nothing until its
   * oldest requests leave it.
   */
  #bucketHasRoom(): boolean {
    if (!this.#bucket || !this.#header) return false;
    const room = this.#bucket.remaining - (this.#seq - this.#bucket.seq);
    return room >= Math.max(2, Math.ceil(this.#margin * this.#header.limit));
  }

  /** When the window has room for one more request at `limit` a second. */
  #windowFreeAt(now: number, limit: number): number {
    this.#forget(now);
    const start = now - this.#windowMs - SLACK_MS;
    const inWindow = this.#log.filter((send) => send.at > start && !send.rejected);
    const room = Math.max(1, Math.floor(limit * this.#windowMs / 1000));
    const oldest = inWindow[inWindow.length - room];
    return oldest ? oldest.at + this.#windowMs + SLACK_MS : -Infinity;
  }

  /** Forgets sends more than two windows old: no estimate looks further back. */
  #forget(now: number): void {
    const keep = now - 2 * this.#windowMs - SLACK_MS;
    while (this.#log.length > 0 && this.#log[0]!.at <= keep) this.#log.shift();
  }
}

function ms(value: number): string {
  return value >= 1000 ? `${+(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}
