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
  /** The bucket's capacity. */
  limit?: number;
  /** What is left, counting the request that got this answer. */
  remaining?: number;
  /** Milliseconds until the bucket is full again. */
  resetMs?: number;
}

/** What a response's headers say; fields absent when the headers are. */
export interface _RateLimitInfo {
  /** The wait it asks for, in milliseconds. */
  retryAfterMs?: number;
  /** The request limit. */
  requests?: _LimitState;
  /** The token limit. */
  tokens?: _LimitState;
}

/** OpenAI's and Anthropic's header names, and how each writes a reset. */
const DIALECTS = [
  {
    name: (kind: string, attribute: string) => `x-ratelimit-${attribute}-${kind}`,
    reset: _parseDuration,
  },
  {
    name: (kind: string, attribute: string) => `anthropic-ratelimit-${kind}-${attribute}`,
    reset: _parseResetTime,
  },
];

/**
 * Reads a response's rate-limit headers (a `Headers`, or a record of lower-case names);
 * `dateNow` (default `Date.now()`) is for HTTP dates and RFC 3339 times.
 */
export function _readRateLimit(headers: unknown, dateNow: number = Date.now()): _RateLimitInfo {
  const get = (name: string): string | null | undefined => {
    if (headers instanceof Headers) return headers.get(name);
    const value = (headers as Record<string, unknown> | null | undefined)?.[name];
    return typeof value === "string" ? value : undefined;
  };
  const info: _RateLimitInfo = defined({
    retryAfterMs: _parseRetryAfter(get("retry-after-ms"), get("retry-after"), dateNow),
  });
  for (const kind of ["requests", "tokens"] as const) {
    for (const { name, reset } of DIALECTS) {
      const state: _LimitState = defined({
        limit: count(get(name(kind, "limit"))),
        remaining: count(get(name(kind, "remaining"))),
        resetMs: reset(get(name(kind, "reset")), dateNow),
      });
      if (Object.keys(state).length > 0) {
        info[kind] = state;
        break;
      }
    }
  }
  return info;
}

/**
 * The wait a 429 or 503 asks for, in milliseconds: `retry-after-ms` (as OpenAI sends), else
 * `Retry-After` as delay-seconds or an HTTP date (RFC 9110 §10.2.3) from `dateNow`.
 */
export function _parseRetryAfter(
  retryAfterMs: string | null | undefined,
  retryAfter: string | null | undefined,
  dateNow: number,
): number | undefined {
  const ms = Number(retryAfterMs?.trim() || NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  if (!retryAfter?.trim()) return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(retryAfter);
  return Number.isFinite(date) ? Math.max(0, date - dateNow) : undefined;
}

/** Milliseconds per unit of a Go-style duration (`µs` and `μs` are read as `us`). */
const UNITS: Readonly<Record<string, number>> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 1e-3,
  ns: 1e-6,
};

/**
 * A reset as OpenAI writes it (Go's `time.Duration`: `"1s"`, `"6m0s"`, `"1h2m3.5s"`; a bare
 * number is seconds), in milliseconds; `undefined` when it is not a duration.
 */
export function _parseDuration(text: string | null | undefined): number | undefined {
  const value = text?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const part = /(\d+(?:\.\d+)?)(h|ms|m|s|[uµμ]s|ns)/gy;
  let ms = 0;
  let end = 0;
  for (let match = part.exec(value); match; match = part.exec(value)) {
    ms += Number(match[1]) * UNITS[match[2]!.replace(/[µμ]/, "u")]!;
    end = part.lastIndex;
  }
  return end === value.length ? ms : undefined;
}

/**
 * A reset as Anthropic writes it (an RFC 3339 time), in milliseconds from `dateNow` (0 when
 * passed); `undefined` when it is not a time.
 */
export function _parseResetTime(
  text: string | null | undefined,
  dateNow: number,
): number | undefined {
  const value = text?.trim();
  if (!value || !/^\d{4}-\d\d-\d\dT/.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - dateNow) : undefined;
}

function count(text: string | null | undefined): number | undefined {
  return text != null && /^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : undefined;
}

/** `record` without its undefined fields. */
function defined<T extends object>(record: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const entries = Object.entries(record).filter(([, value]) => value !== undefined);
  return Object.fromEntries(entries) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
