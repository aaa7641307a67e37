import assert from "node:assert/strict";
import { BATCH_LIMITS, batchProvider } from "./batch_limits.ts";

Deno.test("BATCH_LIMITS holds the providers' documented numbers", () => {
  assert.deepEqual(BATCH_LIMITS, {
    openai: { requests: 50_000, bytes: 209_715_200 },
    azure: { requests: 100_000, bytes: 200_000_000 },
    anthropic: { requests: 100_000, bytes: 268_435_456 },
  });
});

Deno.test("BATCH_LIMITS cannot be changed by a caller", () => {
  assert.ok(Object.isFrozen(BATCH_LIMITS));
  assert.ok(Object.isFrozen(BATCH_LIMITS.openai));
  assert.ok(Object.isFrozen(BATCH_LIMITS.azure));
  assert.ok(Object.isFrozen(BATCH_LIMITS.anthropic));
  assert.throws(() => {
    (BATCH_LIMITS.openai as { requests: number }).requests = 1;
  }, TypeError);
});

Deno.test("batchProvider() maps each configured provider to the batch API it speaks", () => {
  assert.deepEqual(
    ["openai", "openai-compatible", "azure", "anthropic"].map(batchProvider),
    ["openai", "openai", "azure", "anthropic"],
  );
});
