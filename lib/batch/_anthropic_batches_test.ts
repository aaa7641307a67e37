import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import { startBatchImitation } from "../testing/batch_imitation.ts";
import { _anthropicBatches } from "./_anthropic_batches.ts";
import { chunkRequests } from "./chunk_requests.ts";
import { pollToEnd } from "./_batch_test_support.ts";

const body = {
  model: "scripted",
  max_tokens: 100,
  messages: [{ role: "user", content: "Grade." }],
};

Deno.test("_anthropicBatches() reads errored results by their error type, and expired ones as unrun", async () => {
  await using imitation = startBatchImitation({
    faults: [
      { kind: "fail_items", customIds: ["b"], status: 400 },
      { kind: "fail_items", customIds: ["c"], status: 529 },
      { kind: "expire", afterItems: 3 },
    ],
  });
  const api = _anthropicBatches(
    new Anthropic({ apiKey: "unused", baseURL: imitation.anthropicBaseURL }),
  );
  const items = ["a", "b", "c", "d"].map((key) => ({ key, body }));
  const [chunk] = [...chunkRequests("anthropic", items)];
  const id = await api.create("chunk-1", chunk!);
  assert.equal(await api.find("chunk-1", Date.now()), undefined, "a message batch has no tag");
  const { polled, replies } = await pollToEnd(api, id);
  assert.equal(polled.counts.expired, 1);
  assert.equal(replies.get("a"), "ok");
  assert.match(replies.get("b")!, /^refused: HTTP 400: invalid_request_error: /);
  assert.match(replies.get("c")!, /^retry: HTTP 529: overloaded_error: /);
  assert.equal(replies.get("d"), "retry: the request was expired before it ran");
});
