import assert from "node:assert/strict";
import { judgementKey } from "../ledger/judgement_key.ts";
import { chunkRequests } from "./chunk_requests.ts";

const items = (n: number, size = 10) =>
  Array.from({ length: n }, (_, i) => ({ key: `k${i}`, body: { text: "é".repeat(size) } }));

Deno.test("chunkRequests() splits at the request limit, and sends a repeated key once", () => {
  const chunks = [
    ...chunkRequests("anthropic", [...items(5), ...items(2)], { requests: 2, bytes: 1e6 }),
  ];
  assert.deepEqual(chunks.map((c) => c.keys), [["k0", "k1"], ["k2", "k3"], ["k4"]]);
});

Deno.test("chunkRequests() counts the bytes the provider receives, UTF-8 included", () => {
  for (const provider of ["openai", "anthropic"] as const) {
    const [chunk] = [...chunkRequests(provider, items(3, 40), { requests: 10, bytes: 1e6 })];
    const lines = chunk!.lines.map((line) => new TextDecoder().decode(line));
    const sent = provider === "openai" ? lines.join("") : `{"requests":[${lines.join(",")}]}`;
    assert.equal(chunk!.bytes, new TextEncoder().encode(sent).byteLength, provider);
    // A limit one byte short moves the last request to a chunk of its own.
    const split = [
      ...chunkRequests(provider, items(3, 40), { requests: 10, bytes: chunk!.bytes - 1 }),
    ];
    assert.deepEqual(split.map((c) => c.keys.length), [2, 1], provider);
  }
});

Deno.test("chunkRequests() refuses a request larger than a batch, and a key Anthropic cannot take", () => {
  assert.throws(
    () => [...chunkRequests("openai", items(1, 100), { requests: 5, bytes: 100 })],
    RangeError,
  );
  const bad = [{ key: "not a custom id", body: {} }];
  assert.throws(() => [...chunkRequests("anthropic", bad)], /cannot take "not a custom id"/);
});

Deno.test("chunkRequests() takes ledger keys as Anthropic custom_ids as they are", () => {
  const key = judgementKey({
    task: "cpc_bond",
    inputs: { response: "1. Gout", final_diagnosis: "Gout" },
    judge: { provider: "anthropic", model: "claude", parameters: {} },
    promptHash: "ab",
    repeat: 0,
  });
  assert.match(key, /^[a-zA-Z0-9_-]{1,64}$/);
  const [chunk] = [...chunkRequests("anthropic", [{ key, body: {} }])];
  assert.equal(JSON.parse(new TextDecoder().decode(chunk!.lines[0]!)).custom_id, key);
});

Deno.test("chunkRequests() names OpenAI's and Azure OpenAI's chat-completions paths, at their limits", () => {
  const line = (provider: "openai" | "azure") =>
    JSON.parse(new TextDecoder().decode([...chunkRequests(provider, items(1))][0]!.lines[0]!));
  assert.equal(line("openai").url, "/v1/chat/completions");
  assert.equal(line("azure").url, "/chat/completions");
  // Azure's global batch holds 100,000 requests to OpenAI's 50,000.
  const many = Array.from({ length: 100_001 }, (_, i) => ({ key: `k${i}`, body: {} }));
  assert.deepEqual([...chunkRequests("openai", many)].map((c) => c.keys.length), [
    50_000,
    50_000,
    1,
  ]);
  assert.deepEqual([...chunkRequests("azure", many)].map((c) => c.keys.length), [100_000, 1]);
});
