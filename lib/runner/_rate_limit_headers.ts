/**
 * What a provider's response headers say about its rate limit: `Retry-After` (seconds or an
 * HTTP date) and `retry-after-ms`; OpenAI's `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`
 * (resets as durations: `"1s"`, `"6m0s"`, `"20ms"`); Anthropic's
 * `anthropic-ratelimit-{requests,tokens}-{limit,remaining,reset}` (resets as RFC 3339 times).
 *
 * @module
 */

/** One limit (requests or tokens) as a response reported it. */
export interface _LimitState {
  /** The most the provider allows (its bucket's capacity). */
  limit?: number;
  /** How many are left, counting the request that got this answer. */
  remaining?: number;
  /** Milliseconds until the limit is back to full ("resets to its initial state"). */
  resetMs?: number;
}

/** Everything rate-related a response's headers say; fields absent when the headers are. */
export interface _RateLimitInfo {
  /** The server's requested wait, from `retry-after-ms` or `Retry-After`, in milliseconds. */
  retryAfterMs?: number;
  /** The request limit. */
  requests?: _LimitState;
  /** The token limit. */
  tokens?: _LimitState;
}

/** Header names by dialect: [limit, remaining, reset, how the reset is written]. */
const FAMILIES = [
  { prefix: "x-ratelimit-", order: "attribute-first", reset: "duration" },
  { prefix: "anthropic-ratelimit-", order: "kind-first", reset: "time" },
] as const;

/**
 * Reads a response's rate-limit headers.
 *
 * @param headers The response's headers (a `Headers`, or a plain record of lower-case names).
 * @param dateNow The wall-clock time now, in milliseconds since the epoch, for HTTP dates and
 *   RFC 3339 times (default `Date.now()`).
 * @returns What they say; `{}` when they say nothing.
 */
export function _readRateLimit(headers: unknown, dateNow: number = Date.now()): _RateLimitInfo {
  const get = headerGetter(headers);
  const info: _RateLimitInfo = {};
  const retryAfterMs = _parseRetryAfter(get("retry-after-ms"), get("retry-after"), dateNow);
  if (retryAfterMs !== undefined) info.retryAfterMs = retryAfterMs;
  for (const kind of ["requests", "tokens"] as const) {
    for (const family of FAMILIES) {
      const name = (attribute: string) =>
        family.order === "attribute-first"
          ? `${family.prefix}${attribute}-${kind}`
          : `${family.prefix}${kind}-${attribute}`;
      const state: _LimitState = {};
      const limit = count(get(name("limit")));
      const remaining = count(get(name("remaining")));
      const reset = get(name("reset"));
      const resetMs = family.reset === "duration"
        ? _parseDuration(reset)
        : _parseResetTime(reset, dateNow);
      if (limit !== undefined) state.limit = limit;
      if (remaining !== undefined) state.remaining = remaining;
      if (resetMs !== undefined) state.resetMs = resetMs;
      if (Object.keys(state).length > 0) {
        info[kind] = state;
        break;
      }
    }
  }
  return info;
}

/**
 * The wait a 429 or 503 asks for: `retry-after-ms` (milliseconds, as OpenAI sends), else
 * `Retry-After` as delay-seconds or an HTTP date (RFC 9110 §10.2.3).
 *
 * @param retryAfterMs The `retry-after-ms` value, if any.
 * @param retryAfter The `Retry-After` value, if any.
 * @param dateNow The wall-clock time now, in milliseconds since the epoch.
 * @returns The wait in milliseconds (never negative), or `undefined` when neither says one.
 */
export function _parseRetryAfter(
  retryAfterMs: string | null | undefined,
  retryAfter: string | null | undefined,
  dateNow: number,
): number | undefined {
  if (retryAfterMs != null && retryAfterMs.trim() !== "") {
    const ms = Number(retryAfterMs);
    if (Number.isFinite(ms) && ms >= 0) return ms;
  }
  if (retryAfter == null || retryAfter.trim() === "") return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(retryAfter);
  return Number.isFinite(date) ? Math.max(0, date - dateNow) : undefined;
}

/** One part of a Go-style duration, and its length in milliseconds. */
const UNITS: Readonly<Record<string, number>> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 0.001,
  "µs": 0.001,
  "μs": 0.001,
  ns: 0.000001,
};

/**
 * A duration as OpenAI writes its resets (Go's `time.Duration` format): `"1s"`, `"6m0s"`,
 * `"20ms"`, `"1h2m3.5s"`; a bare number is seconds.
 *
 * @param text The header's value.
 * @returns Milliseconds, or `undefined` when it is not a duration.
 */
export function _parseDuration(text: string | null | undefined): number | undefined {
  if (text == null) return undefined;
  const value = text.trim();
  if (value === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const part = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|μs|ns)/gy;
  let ms = 0;
  let end = 0;
  for (let match = part.exec(value); match; match = part.exec(value)) {
    ms += Number(match[1]) * UNITS[match[2]!]!;
    end = part.lastIndex;
  }
  return end === value.length ? ms : undefined;
}

/**
 * A reset written as a time (Anthropic's RFC 3339, e.g. `"2025-01-01T00:00:05Z"`), as the
 * milliseconds from `dateNow` (0 when it has passed).
 *
 * @param text The header's value.
 * @param dateNow The wall-clock time now, in milliseconds since the epoch.
 * @returns Milliseconds, or `undefined` when it is not a time.
 */
export function _parseResetTime(
  text: string | null | undefined,
  dateNow: number,
): number | undefined {
  if (text == null || !/^\d{4}-\d\d-\d\dT/.test(text.trim())) return undefined;
  const at = Date.parse(text.trim());
  return Number.isFinite(at) ? Math.max(0, at - dateNow) : undefined;
}

function count(text: string | null | undefined): number | undefined {
  if (text == null || !/^\s*\d+(\.\d+)?\s*$/.test(text)) return undefined;
  return Number(text);
}

function headerGetter(headers: unknown): (name: string) => string | null | undefined {
  if (headers instanceof Headers) return (name) => headers.get(name);
  if (headers !== null && typeof headers === "object") {
    return (name) => {
      const value = (headers as Record<string, unknown>)[name];
      return typeof value === "string" ? value : undefined;
    };
  }
  return () => undefined;
}
