import assert from "node:assert/strict";
import { defaultModel } from "./default_model.ts";

Deno.test("defaultModel() follows the environment's provider, else the offline baseline", () => {
  assert.equal(defaultModel({}).provider, "offline");
  assert.deepEqual(defaultModel({ OPENROUTER_API_KEY: "k", PRECEPTRON_MODEL: "openai/gpt-4o" }), {
    name: "openai-gpt-4o",
    provider: "openrouter",
    model_id: "openai/gpt-4o",
  });
});
