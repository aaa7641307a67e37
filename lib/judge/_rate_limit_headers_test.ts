import assert from "node:assert/strict";
import {
  _parseDuration,
  _parseResetTime,
  _parseRetryAfter,
  _readRateLimit,
} from "./_rate_limit_headers.ts";

const NOW = Date.parse("2025-01-01T00:00:00Z");

Deno.test("_parseRetryAfter() reads retry-after-ms, delay-seconds and an HTTP date", () => {
  assert.equal(_parseRetryAfter(null, "2", NOW), 2000);
  assert.equal(_parseRetryAfter(null, "0.5", NOW), 500);
  assert.equal(_parseRetryAfter(null, "Wed, 01 Jan 2025 00:00:03 GMT", NOW), 3000);
  assert.equal(_parseRetryAfter("250", "3", NOW), 250); // the exact one first, as OpenAI's SDK
  assert.equal(_parseRetryAfter(null, "Tue, 31 Dec 2024 23:59:00 GMT", NOW), 0); // passed
  assert.equal(_parseRetryAfter("soon", "1", NOW), 1000);
  assert.equal(_parseRetryAfter(null, "-1", NOW), undefined);
  assert.equal(_parseRetryAfter(null, "later", NOW), undefined);
  assert.equal(_parseRetryAfter(undefined, "", NOW), undefined);
});

Deno.test("_parseDuration() reads OpenAI's Go-style durations", () => {
  assert.equal(_parseDuration("1s"), 1000);
  assert.equal(_parseDuration("20ms"), 20);
  assert.equal(_parseDuration("6m0s"), 360_000);
  assert.equal(_parseDuration("1h2m3.5s"), 3_723_500);
  assert.equal(_parseDuration("7.66s"), 7660);
  assert.equal(_parseDuration("500us"), 0.5);
  assert.equal(_parseDuration("2"), 2000); // a bare number is seconds
  for (const bad of ["", "s", "1x", "1s2", "ten seconds", null, undefined]) {
    assert.equal(_parseDuration(bad), undefined, String(bad));
  }
});

Deno.test("_parseResetTime() reads Anthropic's RFC 3339 resets relative to now", () => {
  assert.equal(_parseResetTime("2025-01-01T00:00:05Z", NOW), 5000);
  assert.equal(_parseResetTime("2025-01-01T00:00:00.250Z", NOW), 250);
  assert.equal(_parseResetTime("2024-12-31T23:59:59Z", NOW), 0);
  assert.equal(_parseResetTime("1s", NOW), undefined);
  assert.equal(_parseResetTime("2025-13-45Tnonsense", NOW), undefined);
});

Deno.test("_readRateLimit() reads OpenAI's requests and tokens headers", () => {
  const headers = new Headers({
    "x-ratelimit-limit-requests": "60",
    "x-ratelimit-remaining-requests": "59",
    "x-ratelimit-reset-requests": "1s",
    "x-ratelimit-limit-tokens": "150000",
    "x-ratelimit-remaining-tokens": "149984",
    "x-ratelimit-reset-tokens": "6m0s",
    "retry-after": "1",
  });
  assert.deepEqual(_readRateLimit(headers, NOW), {
    retryAfterMs: 1000,
    requests: { limit: 60, remaining: 59, resetMs: 1000 },
    tokens: { limit: 150000, remaining: 149984, resetMs: 360_000 },
  });
});

Deno.test("_readRateLimit() reads Anthropic's headers, and a plain record", () => {
  const headers = {
    "anthropic-ratelimit-requests-limit": "50",
    "anthropic-ratelimit-requests-remaining": "49",
    "anthropic-ratelimit-requests-reset": "2025-01-01T00:00:01.2Z",
    "anthropic-ratelimit-tokens-remaining": "0",
  };
  assert.deepEqual(_readRateLimit(headers, NOW), {
    requests: { limit: 50, remaining: 49, resetMs: 1200 },
    tokens: { remaining: 0 },
  });
});

Deno.test("_readRateLimit() says nothing for headers that say nothing", () => {
  assert.deepEqual(_readRateLimit(new Headers({ "content-type": "application/json" }), NOW), {});
  assert.deepEqual(_readRateLimit(undefined, NOW), {});
  assert.deepEqual(
    _readRateLimit(new Headers({ "x-ratelimit-remaining-requests": "many" }), NOW),
    {},
  );
});
