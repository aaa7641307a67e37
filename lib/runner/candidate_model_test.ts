import assert from "node:assert/strict";
import { startScriptedServer } from "../testing/scripted_server.ts";
import { chooseCandidate } from "./candidate_model.ts";

Deno.test("chooseCandidate() takes the environment's OpenAI-compatible server and model", () => {
  let started = 0;
  const { candidate, standIn } = chooseCandidate({
    standIn: () => {
      started++;
      return startScriptedServer();
    },
    keys: {
      PRECEPTRON_CANDIDATE_BASE_URL: " http://127.0.0.1:8000/v1 ",
      PRECEPTRON_CANDIDATE_MODEL: "my org/med model:7b",
    },
  });
  assert.equal(standIn, undefined);
  assert.equal(started, 0, "the stand-in is not started when the environment names a model");
  assert.deepEqual(candidate, {
    name: "med-model-7b",
    provider: "openai-compatible",
    model_id: "my org/med model:7b",
    base_url: "http://127.0.0.1:8000/v1",
  });
});

Deno.test("chooseCandidate() without a server starts the stand-in passed, which answers", async () => {
  const { candidate, standIn } = chooseCandidate({ standIn: startScriptedServer, keys: {} });
  assert.ok(standIn);
  try {
    assert.equal(candidate.name, "scripted-candidate");
    assert.equal(candidate.base_url, standIn.baseURL);
    const reply = await fetch(`${standIn.baseURL}/models`);
    assert.equal(reply.status, 200);
    await reply.body?.cancel();
  } finally {
    await standIn.close();
  }
});

Deno.test("chooseCandidate() without a server or a stand-in says how to get one", () => {
  assert.throws(
    () => chooseCandidate({ keys: {} }),
    /No candidate model: set PRECEPTRON_CANDIDATE_BASE_URL .*standIn: startScriptedServer/,
  );
});

Deno.test("chooseCandidate() names a base URL that is not one", () => {
  assert.throws(
    () => chooseCandidate({ keys: { PRECEPTRON_CANDIDATE_BASE_URL: "localhost:8000" } }),
    /PRECEPTRON_CANDIDATE_BASE_URL must be an http\(s\) URL .*"localhost:8000"/,
  );
});
