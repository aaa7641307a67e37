import assert from "node:assert/strict";
import Anthropic from "@anthropic-ai/sdk";
import { startScriptedServer } from "../testing/scripted_server.ts";
import { bond, bondInputs, noWait } from "./_judge_test_support.ts";
import { anthropicJudge } from "./anthropic_judge.ts";

const KEY = "sk-ant-test-0123456789abcdef";

function judgeAt(baseURL: string) {
  return anthropicJudge({
    client: new Anthropic({ apiKey: KEY, baseURL }),
    model: "claude-sonnet-4-20250514",
    retry: noWait,
  });
}

Deno.test("anthropicJudge() forces a tool call whose input is the judgement", async () => {
  await using server = startScriptedServer();
  const j = await judgeAt(server.anthropicBaseURL).judge(bond, bondInputs);
  assert.equal(j.status, "scored");
  assert.equal(j.provenance.output_mode, "tool_call");
  assert.equal(j.provenance.provider, "anthropic");
  assert.deepEqual(j.provenance.parameters, { temperature: 0, max_tokens: 1000 });
  assert.ok(j.usage && j.usage.input_tokens > 0);
  const body = server.requests.at(-1)!.body as Record<string, unknown>;
  assert.deepEqual(body.tool_choice, { type: "tool", name: "record_judgement" });
  const tools = body.tools as { input_schema: unknown }[];
  assert.deepEqual(tools[0]!.input_schema, bond.outputSchema);
  // The static rubric is the system prompt; the entry is the user message.
  assert.match(JSON.stringify(body.system), /PrecepTron judge · task: cpc_bond/);
  // The rubric block is marked for the prompt cache.
  assert.deepEqual((body.system as { cache_control?: unknown }[])[0]!.cache_control, {
    type: "ephemeral",
  });
  assert.match(JSON.stringify(body.messages), /<final_diagnosis>/);
});

Deno.test("anthropicJudge() fails bad tool input with its reason and retries transient errors", async () => {
  await using server = startScriptedServer();
  const judge = judgeAt(server.anthropicBaseURL);
  server.setFaults([{ kind: "out_of_range", times: 1 }]);
  const offScale = await judge.judge(bond, bondInputs);
  assert.equal(offScale.status === "failed" && offScale.reason, "score_not_allowed");
  server.setFaults([{ kind: "missing_field", times: 1 }]);
  const missing = await judge.judge(bond, bondInputs);
  assert.equal(missing.status === "failed" && missing.reason, "missing_score");
  server.setFaults([{ kind: "rate_limit", retryAfterSeconds: 1, times: 1 }, {
    kind: "server_error",
    status: 529,
    times: 1,
  }]);
  const recovered = await judge.judge(bond, bondInputs);
  assert.equal(recovered.status, "scored");
  assert.equal(recovered.attempts, 3);
});

Deno.test("anthropicJudge() reports an exhausted retry budget without the key", async () => {
  await using server = startScriptedServer();
  server.setFaults([{ kind: "drop_connection" }]);
  const j = await judgeAt(server.anthropicBaseURL).judge(bond, bondInputs);
  assert.equal(j.status === "failed" && j.reason, "retries_exhausted");
  assert.equal(j.attempts, 4);
  assert.doesNotMatch(JSON.stringify(j), /sk-ant-test/);
});

Deno.test("anthropicJudge() requestBody() is the body a live call sends, and readReply() its judgement", async () => {
  await using server = startScriptedServer();
  const judge = judgeAt(server.anthropicBaseURL);
  const live = await judge.judge(bond, bondInputs);
  const sent = server.requests.at(-1)!.body;
  assert.deepEqual(judge.requestBody(bond, bondInputs), sent);
  const value = await new Anthropic({ apiKey: KEY, baseURL: server.anthropicBaseURL }).messages
    .create(sent as never);
  assert.deepEqual(
    judge.readReply(bond, bondInputs, { ok: true, value, attempts: 1 }, live.latency_ms),
    live,
  );
  const rejected = judge.readReply(bond, bondInputs, {
    ok: false,
    error: { transient: false, status: 400, message: "HTTP 400: bad request" },
    attempts: 1,
    exhausted: false,
  });
  assert.equal(rejected.status === "failed" && rejected.reason, "request_rejected");
});
