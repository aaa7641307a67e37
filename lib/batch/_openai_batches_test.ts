import assert from "node:assert/strict";
import OpenAI from "openai";
import { startBatchImitation } from "../testing/batch_imitation.ts";
import { _openaiBatches } from "./_openai_batches.ts";
import { chunkRequests } from "./chunk_requests.ts";
import { pollToEnd } from "./_batch_test_support.ts";

const body = { model: "scripted", messages: [{ role: "user", content: "Grade this." }] };

Deno.test("_openaiBatches() uploads a batch file, tags the batch with its chunk, reads both files", async () => {
  await using imitation = startBatchImitation({
    faults: [{ kind: "fail_items", customIds: ["b"], status: 400 }, {
      kind: "expire",
      afterItems: 2,
    }],
  });
  const client = new OpenAI({ apiKey: "unused", baseURL: imitation.baseURL });
  const api = _openaiBatches(client);
  const [chunk] = [...chunkRequests("openai", ["a", "b", "c"].map((key) => ({ key, body })))];
  const id = await api.create("chunk-1", chunk!);
  assert.deepEqual(imitation.requests.map((r) => `${r.method} ${r.path}`), [
    "POST /v1/files",
    "POST /v1/batches",
  ]);
  assert.equal((await client.batches.retrieve(id)).metadata?.preceptron_chunk, "chunk-1");
  assert.equal(await api.find("chunk-1", Date.now()), id);
  assert.equal(await api.find("chunk-2", Date.now()), undefined);
  const { polled, replies } = await pollToEnd(api, id);
  assert.equal(polled.status, "expired");
  assert.equal(replies.get("a"), "ok");
  assert.match(replies.get("b")!, /^refused: HTTP 400: /);
  assert.match(replies.get("c")!, /^retry: batch_expired: /);
});
