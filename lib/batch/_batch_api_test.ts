import assert from "node:assert/strict";
import { _failedReply, _unrunReply } from "./_batch_api.ts";

Deno.test("_failedReply() follows the live retry rules: 429 and 5xx retried, other 4xx refused", () => {
  assert.deepEqual(_failedReply(503, "busy"), {
    ok: false,
    error: { transient: true, status: 503, message: "HTTP 503: busy" },
    attempts: 1,
    exhausted: true,
  });
  const limited = _failedReply(429, "slow down");
  assert.equal(limited.ok === false && limited.exhausted, true);
  const refused = _failedReply(400, "bad schema");
  assert.equal(refused.ok === false && refused.exhausted, false);
});

Deno.test("_unrunReply() is a failure a later run retries", () => {
  const reply = _unrunReply("batch_expired: too late");
  assert.equal(reply.ok === false && reply.exhausted && reply.error.transient, true);
});
