// Attempts are async functions that throw or return at once, as a request would settle.
// deno-lint-ignore-file require-await
import assert from "node:assert/strict";
import { _requestFailure, classifyError, withRetries } from "./retry.ts";

const status = (code: number, headers: Record<string, string> = {}) =>
  Object.assign(new Error(`${code} error`), { status: code, headers: new Headers(headers) });

Deno.test("classifyError() sorts statuses into transient and permanent", () => {
  for (const code of [408, 409, 429, 500, 502, 503, 504, 529]) {
    assert.equal(classifyError(status(code)).transient, true, String(code));
  }
  for (const code of [400, 401, 403, 404, 422]) {
    assert.equal(classifyError(status(code)).transient, false, String(code));
  }
  // No status: the connection failed or was dropped.
  assert.deepEqual(classifyError(new TypeError("Connection error.")), {
    transient: true,
    message: "Connection error.",
  });
});

Deno.test("classifyError() reads Retry-After as seconds, milliseconds or an HTTP date", () => {
  assert.equal(classifyError(status(429, { "retry-after": "3" })).retryAfterMs, 3000);
  assert.equal(
    classifyError(status(429, { "retry-after-ms": "250", "retry-after": "3" })).retryAfterMs,
    250,
  );
  const later = new Date(Date.now() + 10_000).toUTCString();
  const ms = classifyError(status(503, { "retry-after": later })).retryAfterMs!;
  assert.ok(ms > 8_000 && ms <= 10_000, String(ms));
  // Plain-object headers (some SDK versions) work too.
  assert.equal(
    classifyError({ status: 429, headers: { "retry-after": "1" }, message: "x" }).retryAfterMs,
    1000,
  );
});

Deno.test("withRetries() waits Retry-After when given, else backs off exponentially", async () => {
  const waits: number[] = [];
  let calls = 0;
  const outcome = await withRetries(async () => {
    calls++;
    if (calls === 1) throw status(429, { "retry-after": "2" });
    if (calls <= 4) throw status(500);
    return "done";
  }, { sleep: async (ms) => void waits.push(ms), random: () => 1, baseDelayMs: 100 });
  assert.deepEqual(outcome, { ok: true, value: "done", attempts: 5 });
  // 2 s from Retry-After, then 200, 400, 800 ms (base 100 doubling; jitter at its top).
  assert.deepEqual(waits, [2000, 200, 400, 800]);
});

Deno.test("withRetries() caps Retry-After at maxDelayMs", async () => {
  const waits: number[] = [];
  let first = true;
  await withRetries(async () => {
    if (first) {
      first = false;
      throw status(429, { "retry-after": "3600" });
    }
    return 1;
  }, { sleep: async (ms) => void waits.push(ms), maxDelayMs: 5000 });
  assert.deepEqual(waits, [5000]);
});

Deno.test("withRetries() gives up after maxRetries, and at once on a permanent error", async () => {
  let calls = 0;
  const exhausted = await withRetries(async () => {
    calls++;
    throw status(503);
  }, { maxRetries: 2, sleep: async () => {} });
  assert.equal(calls, 3);
  assert.deepEqual(exhausted, {
    ok: false,
    error: { transient: true, status: 503, message: "HTTP 503: 503 error" },
    attempts: 3,
    exhausted: true,
  });
  const rejected = await withRetries(async () => {
    throw status(401);
  }, { sleep: async () => assert.fail("a 401 must not be retried") });
  assert.equal(rejected.ok, false);
  assert.equal(!rejected.ok && rejected.exhausted, false);
});

Deno.test("withRetries() treats a request that outlives timeoutMs as transient", async () => {
  let calls = 0;
  const outcome = await withRetries((_n, signal) => {
    calls++;
    return new Promise((_resolve, reject) =>
      signal.addEventListener("abort", () => reject(signal.reason))
    );
  }, { timeoutMs: 20, maxRetries: 1, sleep: async () => {} });
  assert.equal(calls, 2);
  assert.equal(!outcome.ok && outcome.error.message, "no answer within 20 ms");
});

Deno.test("withRetries() stops at once when the caller aborts", async () => {
  const controller = new AbortController();
  const pending = withRetries(
    async () => {
      controller.abort(new DOMException("stopped by the user", "AbortError"));
      throw status(503);
    },
    { sleep: async () => {} },
    controller.signal,
  );
  await assert.rejects(pending, /stopped by the user/);
});

Deno.test("withRetries() passes the caller's abort to an attempt under way", async () => {
  const controller = new AbortController();
  const pending = withRetries(
    (_n, signal) =>
      new Promise((_, reject) => {
        signal.addEventListener("abort", () => reject(signal.reason));
        setTimeout(() => controller.abort(new DOMException("stopped", "AbortError")), 5);
      }),
    { sleep: async () => {} },
    controller.signal,
  );
  await assert.rejects(pending, /stopped/);
});

Deno.test("withRetries() lets go of an answered attempt's timeout at once", async () => {
  // A timer left running would keep the attempt (and what its signal's listeners hold) alive
  // for the whole timeout, in every request of a long run.
  let seen: AbortSignal | undefined;
  const outcome = await withRetries((_n, signal) => {
    seen = signal;
    return Promise.resolve("ok");
  }, { timeoutMs: 20 });
  assert.equal(outcome.ok, true);
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.equal(seen?.aborted, false, "the timeout fired after the answer");
});

Deno.test("_requestFailure() tells exhausted retries from a rejected request", () => {
  const error = { transient: true, message: "HTTP 503: busy" };
  assert.deepEqual(_requestFailure({ ok: false, error, attempts: 5, exhausted: true }), {
    reason: "retries_exhausted",
    detail: "gave up after 5 attempts: HTTP 503: busy",
  });
  assert.deepEqual(_requestFailure({ ok: false, error, attempts: 1, exhausted: false }), {
    reason: "request_rejected",
    detail: "HTTP 503: busy",
  });
});
