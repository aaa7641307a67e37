import assert from "node:assert/strict";
import { _BatchLog, batchRecordsPath, readBatchRecords } from "./batch_records.ts";

Deno.test("_BatchLog folds events into each batch's state, flushed as they come", async () => {
  const dir = await Deno.makeTempDir();
  const log = await _BatchLog.open(dir, "gpt-4o");
  const submitting = { provider: "openai" as const, judge: "gpt-4o", keys: ["a", "b"] };
  await log.append({ event: "submitting", chunk: "c1", ...submitting });
  await log.append({ event: "submitting", chunk: "c2", ...submitting });
  await log.append({ event: "live", chunk: "c1", id: "batch_1" });
  await log.append({ event: "abandoned", chunk: "c2", reason: "HTTP 500" });
  await log.append({ event: "collected", chunk: "c1" });
  const records = await readBatchRecords(dir, "gpt-4o");
  assert.deepEqual(records.map((r) => [r.chunk, r.state, r.id, r.reason]), [
    ["c1", "collected", "batch_1", undefined],
    ["c2", "abandoned", undefined, "HTTP 500"],
  ]);
  assert.deepEqual(records[0]!.keys, ["a", "b"]);
  assert.deepEqual(log.records(), records);
});

Deno.test("_BatchLog cuts off a torn last line, so the next event starts a line of its own", async () => {
  const dir = await Deno.makeTempDir();
  const log = await _BatchLog.open(dir, "judge");
  await log.append({
    event: "submitting",
    chunk: "c1",
    provider: "anthropic",
    judge: "judge",
    keys: ["k"],
  });
  const path = batchRecordsPath(dir, "judge");
  await Deno.writeTextFile(path, '{"event":"live","chu', { append: true });
  assert.deepEqual((await readBatchRecords(dir, "judge")).map((r) => r.state), ["submitting"]);
  const reopened = await _BatchLog.open(dir, "judge");
  await reopened.append({ event: "live", chunk: "c1", id: "msgbatch_1" });
  assert.deepEqual((await readBatchRecords(dir, "judge")).map((r) => r.state), ["live"]);
});
