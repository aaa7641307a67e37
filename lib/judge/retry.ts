/**
 * Bounded retries with backoff for provider requests, honouring `Retry-After`.
 *
 * @module
 */

import { _readRateLimit } from "./_rate_limit_headers.ts";

/** How hard to try. */
export interface RetryOptions {
  /** Retries after the first attempt (default 4). */
  maxRetries?: number;
  /** First backoff in milliseconds (default 500); doubles each retry. */
  baseDelayMs?: number;
  /** Longest backoff, and the cap on a server's `Retry-After` (default 60,000). */
  maxDelayMs?: number;
  /** Per-request timeout in milliseconds (default 120,000). */
  timeoutMs?: number;
  /** Waits; replaceable in tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** A random number in [0, 1) for jitter; replaceable in tests. */
  random?: () => number;
}

/** What a failed request means for retrying. */
export interface ErrorClass {
  /** Worth retrying: 408, 409, 429, 5xx, timeouts, dropped connections. */
  transient: boolean;
  /** The server's requested wait, from `Retry-After` / `retry-after-ms`, in milliseconds. */
  retryAfterMs?: number;
  /** The HTTP status, when there was one. */
  status?: number;
  /** A short description, safe to show (no credentials). */
  message: string;
}

/**
 * Sorts a provider SDK's error (openai, @anthropic-ai/sdk, or a fetch failure) into transient
 * or permanent, and reads the server's `Retry-After`.
 *
 * @param error What the request threw.
 * @returns The classification.
 *
 * @example
 * ```ts
 * import { classifyError } from "./retry.ts";
 * import assert from "node:assert/strict";
 *
 * const limited = Object.assign(new Error("429 Too Many Requests"), {
 *   status: 429,
 *   headers: new Headers({ "retry-after": "2" }),
 * });
 * assert.deepEqual(classifyError(limited), {
 *   transient: true,
 *   retryAfterMs: 2000,
 *   status: 429,
 *   message: "HTTP 429: 429 Too Many Requests",
 * });
 * ```
 */
export function classifyError(error: unknown): ErrorClass {
  const e = error as { status?: unknown; headers?: unknown; name?: unknown; message?: unknown };
  const message = typeof e?.message === "string" ? e.message : String(error);
  if (typeof e?.status === "number") {
    const status = e.status;
    const transient = status === 408 || status === 409 || status === 429 || status >= 500;
    const retryAfterMs = _readRateLimit(e.headers).retryAfterMs;
    return {
      transient,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      status,
      message: `HTTP ${status}: ${oneLine(message)}`,
    };
  }
  // No status: the request never got an answer (connection refused or dropped, timeout).
  return { transient: true, message: oneLine(message) || "no answer from the server" };
}

/** The result of `withRetries`: the value, or the last error and how many attempts were made. */
export type RetryOutcome<T> =
  | { ok: true; value: T; attempts: number }
  | { ok: false; error: ErrorClass; attempts: number; exhausted: boolean };

/**
 * Why a request failed, as a judgement or a generation records it: transient errors that
 * outlasted the retries, or a request the provider refused (retrying cannot help).
 *
 * @param outcome A failed outcome of `withRetries`.
 * @returns The failure's reason, and its detail (the error's message; not yet redacted).
 */
export function _requestFailure(
  outcome: Extract<RetryOutcome<unknown>, { ok: false }>,
): { reason: "retries_exhausted" | "request_rejected"; detail: string } {
  const { error, attempts, exhausted } = outcome;
  return exhausted
    ? {
      reason: "retries_exhausted",
      detail: `gave up after ${attempts} attempts: ${error.message}`,
    }
    : { reason: "request_rejected", detail: error.message };
}

/**
 * Runs `attempt` until it succeeds, a permanent error occurs, or the retries run out. Waits
 * between attempts: the server's `Retry-After` when given (capped at `maxDelayMs`), else an
 * exponential backoff with jitter. The caller's abort signal stops both waiting and requests.
 *
 * @param attempt One request; receives the attempt number (1-based) and a timeout signal.
 * @param options Retry limits and test hooks.
 * @param signal The caller's cancellation.
 * @param onRetry Told before each wait (for progress and logs).
 * @returns The value, or the last error.
 * @throws {DOMException} `AbortError` when the caller aborts.
 *
 * @example
 * ```ts
 * import { withRetries } from "./retry.ts";
 * import assert from "node:assert/strict";
 *
 * let calls = 0;
 * const outcome = await withRetries(async () => {
 *   if (++calls < 3) throw Object.assign(new Error("busy"), { status: 503 });
 *   return "ok";
 * }, { sleep: async () => {} });
 * assert.deepEqual(outcome, { ok: true, value: "ok", attempts: 3 });
 * ```
 */
export async function withRetries<T>(
  attempt: (n: number, timeout: AbortSignal) => Promise<T>,
  options: RetryOptions = {},
  signal?: AbortSignal,
  onRetry?: (error: ErrorClass, waitMs: number, attempt: number) => void,
): Promise<RetryOutcome<T>> {
  const maxRetries = options.maxRetries ?? 4;
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  for (let n = 1;; n++) {
    signal?.throwIfAborted();
    // Not AbortSignal.timeout()/any(): their timer and links outlive a request that answers
    // at once, holding its objects for the whole timeout (megabytes a second in a long run).
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, "TimeoutError"));
    }, timeoutMs);
    const cancel = () => controller.abort(signal!.reason);
    signal?.addEventListener("abort", cancel, { once: true });
    let outcome: { value: T } | { error: unknown };
    try {
      outcome = { value: await attempt(n, controller.signal) };
    } catch (error) {
      outcome = { error };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", cancel);
    }
    if ("value" in outcome) return { ok: true, value: outcome.value, attempts: n };
    // The caller's own cancellation is not a provider failure: let it through.
    if (signal?.aborted) throw signal.reason;
    const kind = timedOut
      ? { transient: true, message: `no answer within ${timeoutMs} ms` }
      : classifyError(outcome.error);
    if (!kind.transient) return { ok: false, error: kind, attempts: n, exhausted: false };
    if (n > maxRetries) return { ok: false, error: kind, attempts: n, exhausted: true };
    const backoff = Math.min(cap, base * 2 ** (n - 1)) * (0.5 + random() / 2);
    const wait = kind.retryAfterMs === undefined ? backoff : Math.min(cap, kind.retryAfterMs);
    onRetry?.(kind, wait, n);
    await sleep(wait, signal);
  }
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 300 ? line.slice(0, 300) + "…" : line;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
